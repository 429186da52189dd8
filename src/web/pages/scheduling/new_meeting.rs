//! `/forums/{id}/meetings/new`: one meeting scheduled (the forum's
//! officers), its date and times typed on London's clock.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{field, meetings_page, officer_of};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meetings::{self, MeetingIn, MeetingOut};
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};
use crate::web::when;

#[derive(Template, WebTemplate)]
#[template(path = "scheduling_meeting_form.html")]
pub struct MeetingFormPage {
    pub(super) page: Page,
    pub(super) csrf_token: String,
    pub(super) forum_name: String,
    pub(super) heading: String,
    pub(super) action: String,
    pub(super) back: String,
    pub(super) button: String,
    pub(super) form: Form,
    /// Hidden fields the form carries (its versions).
    pub(super) hidden: Vec<(&'static str, String)>,
    /// A stale save: who changed it, when, and their values.
    pub(super) conflict: Option<super::edit::Conflict>,
}

/// A meeting's fields as the form sends them.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct MeetingFields {
    pub title: String,
    pub description: String,
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub location: String,
    pub online_link: String,
}

/// Text left empty is a value not given.
pub(super) fn given(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_string())
}

impl MeetingFields {
    pub(super) fn of(m: &MeetingOut) -> Self {
        let (date, starts_at) = when::fields_of(m.starts_at);
        let (_, ends_at) = when::fields_of(m.ends_at);
        Self {
            title: m.title.clone(),
            description: m.description.clone(),
            date,
            starts_at,
            ends_at,
            location: m.location.clone().unwrap_or_default(),
            online_link: m.online_link.clone().unwrap_or_default(),
        }
    }

    /// The start and end as instants: both on the date, on London's
    /// clock (422 naming each field that is no date or time).
    pub(super) fn times(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
        let day = when::date(&self.date, "date");
        let start = when::time(&self.starts_at, "starts_at");
        let end = when::time(&self.ends_at, "ends_at");
        let (day, start, end) = match (day, start, end) {
            (Ok(day), Ok(start), Ok(end)) => (day, start, end),
            (day, start, end) => {
                let errors = [day.err(), start.err(), end.err()];
                return Err(ApiError::Validation(errors.into_iter().flatten().collect()));
            }
        };
        let starts = when::instant(when::local(day, start), "starts_at");
        let ends = when::instant(when::local(day, end), "ends_at");
        match (starts, ends) {
            (Ok(starts), Ok(ends)) => Ok((starts, ends)),
            (starts, ends) => Err(ApiError::Validation(
                [starts.err(), ends.err()].into_iter().flatten().collect(),
            )),
        }
    }
}

/// The meeting's form, as typed.
pub(super) fn meeting_form(text: &Text, typed: &MeetingFields) -> Form {
    let london = text.get("scheduling-london-time");
    Form::new(
        text,
        vec![
            field(text, "title", Kind::Text).value(&typed.title),
            field(text, "date", Kind::Date).value(&typed.date),
            field(text, "starts_at", Kind::Time)
                .hint(london.clone())
                .value(&typed.starts_at),
            field(text, "ends_at", Kind::Time)
                .hint(london)
                .value(&typed.ends_at),
            field(text, "location", Kind::Text)
                .hint(text.get("scheduling-location-hint"))
                .value(&typed.location),
            field(text, "online_link", Kind::Text).value(&typed.online_link),
            field(text, "description", Kind::TextArea)
                .hint(text.get("scheduling-description-hint"))
                .value(&typed.description),
        ],
    )
}

fn page(
    visitor: &Visitor,
    forum_id: uuid::Uuid,
    forum_name: String,
    form: Form,
) -> MeetingFormPage {
    let text = Text::default();
    MeetingFormPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name,
        heading: text.get("scheduling-new-meeting-title"),
        action: format!("/forums/{forum_id}/meetings/new"),
        back: format!("/forums/{forum_id}/meetings"),
        button: text.get("scheduling-new-meeting-button"),
        form,
        hidden: Vec::new(),
        conflict: None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let forum_id = id_in_path(&id)?;
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings/new"))?;
    let access = officer_of(&state, caller, forum_id).await?;
    let form = meeting_form(&Text::default(), &MeetingFields::default());
    let shown = page(&visitor, forum_id, access.forum.name, form);
    Ok((visitor.cookies(), shown).into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<MeetingFields>,
) -> PageResult<Response> {
    let forum_id = id_in_path(&id)?;
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings/new"))?;
    let access = officer_of(&state, caller, forum_id).await?;
    let scheduled = match typed.times() {
        Ok((starts_at, ends_at)) => {
            let input = MeetingIn {
                title: typed.title.clone(),
                description: typed.description.clone(),
                starts_at,
                ends_at,
                location: given(&typed.location),
                online_link: given(&typed.online_link),
            };
            meetings::schedule(&state, caller, forum_id, input).await
        }
        Err(error) => Err(error),
    };
    match scheduled {
        Ok(_) => Ok(Redirect::to(&meetings_page(forum_id, "scheduled")).into_response()),
        Err(error) => {
            let mut form = meeting_form(&Text::default(), &typed);
            let status = form.refuse(error)?;
            Ok((status, page(&visitor, forum_id, access.forum.name, form)).into_response())
        }
    }
}
