//! Cancelling, with the reason the participants are told:
//! `/forums/{id}/meetings/{meeting_id}/cancel` (one meeting, at the version
//! the page showed) and `/forums/{id}/series/{series_id}/cancel` (the
//! series' meetings still to come).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use entity::MeetingStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::{field, meeting_of, meetings_page, officer_of};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::kernel::versioning::{IfMatch, tag};
use crate::meetings::{self, CancelSeriesIn, MeetingPatch, SeriesOut};
use crate::web::error::{PageResult, id_in_path};
use crate::web::format;
use crate::web::forms::{Form, Kind};
use crate::web::i18n::Text;
use crate::web::page::Page;
use crate::web::session::{CheckedForm, Visitor};

#[derive(Template, WebTemplate)]
#[template(path = "scheduling_cancel.html")]
pub struct CancelPage {
    page: Page,
    csrf_token: String,
    forum_name: String,
    heading: String,
    /// What is cancelled, in words.
    what: String,
    action: String,
    back: String,
    button: String,
    version: Option<i32>,
    form: Form,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReasonFields {
    reason: String,
    version: String,
}

pub(super) fn reason_form(text: &Text, reason: &str) -> Form {
    Form::new(
        text,
        vec![
            field(text, "reason", Kind::TextArea)
                .hint(text.get("scheduling-reason-hint"))
                .rows(3)
                .value(reason),
        ],
    )
}

struct Subject {
    forum_name: String,
    heading: String,
    what: String,
    action: String,
    button: String,
    version: Option<i32>,
}

fn page(visitor: &Visitor, forum_id: Uuid, subject: Subject, form: Form) -> CancelPage {
    CancelPage {
        page: visitor.page(),
        csrf_token: visitor.csrf_token().to_string(),
        forum_name: subject.forum_name,
        heading: subject.heading,
        what: subject.what,
        action: subject.action,
        back: format!("/forums/{forum_id}/meetings"),
        button: subject.button,
        version: subject.version,
        form,
    }
}

/// The meeting to cancel, as the page words it.
async fn meeting_subject(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    meeting_id: Uuid,
) -> PageResult<Subject> {
    let meeting = meeting_of(state, caller, forum_id, meeting_id).await?;
    let access = officer_of(state, caller, forum_id).await?;
    let text = Text::default();
    Ok(Subject {
        forum_name: access.forum.name,
        heading: text.get("scheduling-cancel-meeting-title"),
        what: format!(
            "{} – {}",
            format::date_time(meeting.starts_at),
            meeting.title
        ),
        action: format!("/forums/{forum_id}/meetings/{meeting_id}/cancel"),
        button: text.get("scheduling-cancel-meeting-button"),
        version: Some(meeting.version),
    })
}

pub async fn show_meeting(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, meeting_id)): Path<(String, String)>,
) -> PageResult<Response> {
    let (forum_id, meeting_id) = (id_in_path(&id)?, id_in_path(&meeting_id)?);
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings/{meeting_id}/cancel"))?;
    let subject = meeting_subject(&state, caller, forum_id, meeting_id).await?;
    let form = reason_form(&Text::default(), "");
    Ok((visitor.cookies(), page(&visitor, forum_id, subject, form)).into_response())
}

pub async fn cancel_meeting(
    State(state): State<AppState>,
    Path((id, meeting_id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<ReasonFields>,
) -> PageResult<Response> {
    let (forum_id, meeting_id) = (id_in_path(&id)?, id_in_path(&meeting_id)?);
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/meetings/{meeting_id}/cancel"))?;
    let subject = meeting_subject(&state, caller, forum_id, meeting_id).await?;
    let patch = MeetingPatch {
        status: Some(MeetingStatus::Cancelled),
        cancel_reason: Some(typed.reason.clone()),
        ..MeetingPatch::default()
    };
    let cancelled = match typed.version.trim().parse::<i32>() {
        Ok(version) => match IfMatch::parse(&tag(version)) {
            Ok(precondition) => {
                meetings::change(&state, caller, meeting_id, patch, &precondition).await
            }
            Err(error) => Err(error),
        },
        Err(_) => Err(ApiError::BadRequest("the form has no version".into())),
    };
    let error = match cancelled {
        Ok(_) => return Ok(Redirect::to(&meetings_page(forum_id, "cancelled")).into_response()),
        Err(error) => error,
    };
    let text = Text::default();
    let mut form = reason_form(&text, &typed.reason);
    let status = match error {
        // Shown on the reason; the form now carries the version found.
        ApiError::PreconditionFailed(_) => {
            let changed =
                crate::web::conflict::changed_by(&state, EntityKind::Meeting, meeting_id).await?;
            form.refuse(ApiError::Conflict(changed))?;
            StatusCode::PRECONDITION_FAILED
        }
        ApiError::Validation(mut errors) => {
            for error in &mut errors {
                if error.field == "cancel_reason" {
                    error.field = "reason".into();
                }
            }
            form.refuse(ApiError::Validation(errors))?
        }
        other => form.refuse(other)?,
    };
    Ok((status, page(&visitor, forum_id, subject, form)).into_response())
}

/// The series to cancel, of this forum (another forum's is not found
/// here), as the page words it.
async fn series_subject(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    series_id: Uuid,
) -> PageResult<(SeriesOut, Subject)> {
    let series = meetings::get_series(state, caller, series_id).await?;
    if series.forum_id != forum_id {
        return Err(ApiError::not_found("meeting series").into());
    }
    let access = officer_of(state, caller, forum_id).await?;
    let text = Text::default();
    let subject = Subject {
        forum_name: access.forum.name,
        heading: text.get("scheduling-cancel-series-title"),
        what: series.title.clone(),
        action: format!("/forums/{forum_id}/series/{series_id}/cancel"),
        button: text.get("scheduling-cancel-series-button"),
        version: None,
    };
    Ok((series, subject))
}

pub async fn show_series(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, series_id)): Path<(String, String)>,
) -> PageResult<Response> {
    let (forum_id, series_id) = (id_in_path(&id)?, id_in_path(&series_id)?);
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/series/{series_id}/cancel"))?;
    let (_, subject) = series_subject(&state, caller, forum_id, series_id).await?;
    let form = reason_form(&Text::default(), "");
    Ok((visitor.cookies(), page(&visitor, forum_id, subject, form)).into_response())
}

pub async fn cancel_series(
    State(state): State<AppState>,
    Path((id, series_id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<ReasonFields>,
) -> PageResult<Response> {
    let (forum_id, series_id) = (id_in_path(&id)?, id_in_path(&series_id)?);
    let caller = visitor.signed_in(&format!("/forums/{forum_id}/series/{series_id}/cancel"))?;
    let (_, subject) = series_subject(&state, caller, forum_id, series_id).await?;
    let input = CancelSeriesIn {
        reason: typed.reason.clone(),
    };
    match meetings::cancel_series(&state, caller, series_id, input).await {
        Ok(_) => Ok(Redirect::to(&meetings_page(forum_id, "series-cancelled")).into_response()),
        Err(error) => {
            let mut form = reason_form(&Text::default(), &typed.reason);
            let status = form.refuse(error)?;
            Ok((status, page(&visitor, forum_id, subject, form)).into_response())
        }
    }
}
