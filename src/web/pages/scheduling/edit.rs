//! `/forums/{id}/meetings/{meeting_id}/edit`: one meeting changed (the
//! forum's officers) — or, for a meeting of a series, the series from it
//! on ("this and following", the series' split). The form carries the
//! versions it was opened at: a save made stale by someone else's never
//! overwrites theirs; it shows who changed the meeting and when, their
//! values beside the ones typed, and saves the merge when sent again.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use entity::MeetingStatus;
use serde::Deserialize;

use super::new_meeting::{MeetingFields, MeetingFormPage, given, meeting_form};
use super::{meeting_of, meetings_page, officer_of};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::EntityKind;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::meetings::{self, MeetingOut, MeetingPatch, SplitIn};
use crate::web::conflict::if_match;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Choice, Form, Kind, renamed};
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};
use crate::web::{format, forms};

/// Someone else's save that came first: who, when, and the values the
/// meeting now has, field by field (label, value).
pub struct Conflict {
    pub summary: String,
    pub theirs: Vec<(String, String)>,
}

/// The edit form as sent: the meeting's fields, the versions it was
/// opened at, and what the change is for.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditFields {
    title: String,
    description: String,
    date: String,
    starts_at: String,
    ends_at: String,
    location: String,
    online_link: String,
    version: String,
    series_version: String,
    /// `this` meeting, or this and the `following` meetings of its series.
    scope: String,
}

impl EditFields {
    fn meeting(&self) -> MeetingFields {
        MeetingFields {
            title: self.title.clone(),
            description: self.description.clone(),
            date: self.date.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            location: self.location.clone(),
            online_link: self.online_link.clone(),
        }
    }
}

/// The series a meeting's change may carry on through: the series'
/// version, when the meeting is one still to come of an active series.
async fn series_version(
    state: &AppState,
    caller: &AuthUser,
    meeting: &MeetingOut,
) -> ApiResult<Option<i32>> {
    let Some(series_id) = meeting.series_id else {
        return Ok(None);
    };
    if meeting.status != MeetingStatus::Scheduled || meeting.starts_at <= state.clock.now() {
        return Ok(None);
    }
    let series = meetings::get_series(state, caller, series_id).await?;
    Ok((series.status == "active").then_some(series.version))
}

pub(super) fn edit_form(text: &Text, typed: &MeetingFields, scope: Option<&str>) -> Form {
    let mut form = meeting_form(text, typed);
    if let Some(scope) = scope {
        let choices = vec![
            Choice::new("this", text.get("scheduling-scope-this")),
            Choice::new("following", text.get("scheduling-scope-following"))
                .hint(text.get("scheduling-scope-following-hint")),
        ];
        form.fields.insert(
            0,
            super::field(text, "scope", Kind::Radios)
                .choices(choices)
                .value(scope),
        );
    }
    form
}

fn page(
    visitor: &Visitor,
    meeting: &MeetingOut,
    forum_name: String,
    form: Form,
    versions: (i32, Option<i32>),
) -> MeetingFormPage {
    let text = Text::default();
    let mut hidden = vec![("version", versions.0.to_string())];
    if let Some(series) = versions.1 {
        hidden.push(("series_version", series.to_string()));
    }
    MeetingFormPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name,
        heading: text.get("scheduling-edit-title"),
        action: format!("/forums/{}/meetings/{}/edit", meeting.forum_id, meeting.id),
        back: format!("/forums/{}/meetings", meeting.forum_id),
        button: text.get("scheduling-edit-button"),
        form,
        hidden,
        conflict: None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, meeting_id)): Path<(String, String)>,
) -> PageResult<Response> {
    let (forum_id, meeting_id) = (id_in_path(&id)?, id_in_path(&meeting_id)?);
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings/{meeting_id}/edit"))?;
    let meeting = meeting_of(&state, caller, forum_id, meeting_id).await?;
    let access = officer_of(&state, caller, forum_id).await?;
    let series = series_version(&state, caller, &meeting).await?;
    let text = Text::default();
    let form = edit_form(&text, &MeetingFields::of(&meeting), series.map(|_| "this"));
    let shown = page(
        &visitor,
        &meeting,
        access.forum.name,
        form,
        (meeting.version, series),
    );
    Ok((visitor.cookies(), shown).into_response())
}

async fn save(
    state: &AppState,
    caller: &AuthUser,
    meeting: &MeetingOut,
    typed: &EditFields,
) -> ApiResult<&'static str> {
    let fields = typed.meeting();
    let (starts_at, ends_at) = fields.times()?;
    if typed.scope == "following"
        && let Some(series_id) = meeting.series_id
    {
        let input = SplitIn {
            from_meeting_id: meeting.id,
            title: Some(fields.title),
            description: Some(fields.description),
            location: Some(given(&fields.location)),
            online_link: Some(given(&fields.online_link)),
            starts_at_local: Some(local(starts_at)),
            duration_minutes: i32::try_from((ends_at - starts_at).num_minutes()).ok(),
            rrule: None,
        };
        let precondition = if_match(&typed.series_version)?;
        meetings::split_series(state, caller, series_id, input, &precondition)
            .await
            .map_err(|e| {
                renamed(
                    e,
                    &[
                        ("starts_at_local", "starts_at"),
                        ("duration_minutes", "ends_at"),
                        ("rrule", "scope"),
                        ("from_meeting_id", "scope"),
                    ],
                )
            })?;
        return Ok("following");
    }
    let patch = MeetingPatch {
        title: Some(fields.title),
        description: Some(fields.description),
        starts_at: Some(starts_at),
        ends_at: Some(ends_at),
        location: Some(given(&fields.location)),
        online_link: Some(given(&fields.online_link)),
        ..MeetingPatch::default()
    };
    meetings::change(state, caller, meeting.id, patch, &if_match(&typed.version)?).await?;
    Ok("changed")
}

fn local(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&chrono_tz::Europe::London).naive_local()
}

pub async fn submit(
    State(state): State<AppState>,
    Path((id, meeting_id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<EditFields>,
) -> PageResult<Response> {
    let (forum_id, meeting_id) = (id_in_path(&id)?, id_in_path(&meeting_id)?);
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings/{meeting_id}/edit"))?;
    let meeting = meeting_of(&state, caller, forum_id, meeting_id).await?;
    let access = officer_of(&state, caller, forum_id).await?;
    let error = match save(&state, caller, &meeting, &typed).await {
        Ok(done) => return Ok(Redirect::to(&meetings_page(forum_id, done)).into_response()),
        Err(error) => error,
    };
    let text = Text::default();
    let series = series_version(&state, caller, &meeting).await?;
    let scope = series
        .map(|_| typed.scope.as_str())
        .filter(|s| !s.is_empty());
    let mut form = edit_form(&text, &typed.meeting(), scope.or(series.map(|_| "this")));
    if let ApiError::PreconditionFailed(_) = error {
        // The form now carries the versions found, so that sending the
        // merge again saves it.
        let conflict = conflict(&state, &meeting, &form).await?;
        let mut shown = page(
            &visitor,
            &meeting,
            access.forum.name,
            form,
            (meeting.version, series),
        );
        shown.conflict = Some(conflict);
        return Ok((StatusCode::PRECONDITION_FAILED, shown).into_response());
    }
    let status = form.refuse(error)?;
    let versions = (
        typed.version.trim().parse().unwrap_or(meeting.version),
        typed.series_version.trim().parse().ok().or(series),
    );
    let shown = page(&visitor, &meeting, access.forum.name, form, versions);
    Ok((status, shown).into_response())
}

/// Who changed the meeting since the form was opened, and its values now.
async fn conflict(state: &AppState, meeting: &MeetingOut, form: &Form) -> ApiResult<Conflict> {
    let summary = crate::web::conflict::changed_by(state, EntityKind::Meeting, meeting.id).await?;
    let current = MeetingFields::of(meeting);
    let values = [
        ("title", current.title),
        ("date", format::date_time(meeting.starts_at)),
        ("ends_at", format::date_time(meeting.ends_at)),
        ("location", current.location),
        ("online_link", current.online_link),
        ("description", current.description),
    ];
    let label = |name: &str| form.field(name).map(|f: &forms::Field| f.label.clone());
    Ok(Conflict {
        summary,
        theirs: values
            .into_iter()
            .filter_map(|(name, value)| label(name).map(|l| (l, value)))
            .collect(),
    })
}
