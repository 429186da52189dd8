//! The officers' changes to a poll still to close, from its page: its
//! closing put later, or the poll cancelled with the reason its
//! participants are told. Each carries the version the page showed; a
//! poll changed since is not changed again but shown as it is now, with
//! who changed it, and what was typed kept.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use entity::PollStatus;
use serde::Deserialize;
use uuid::Uuid;

use super::form::instant;
use super::show::{Typed, poll_page};
use super::{field, poll_href};
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::polls::{self, PollPatch};
use crate::web::components::{ErrorLink, ErrorSummary};
use crate::web::conflict::{changed_by, if_match, is_stale};
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Form, Kind, capitalised, renamed};
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};

/// The new closing's form, as typed (or as the poll stands).
pub fn closes_form(text: &Text, on: &str, at: &str) -> Form {
    Form::new(
        text,
        vec![
            field(text, "closes_on", Kind::Date)
                .hint(text.get("poll-later-hint"))
                .value(on),
            field(text, "closes_time", Kind::Time)
                .hint(text.get("poll-london-time"))
                .value(at),
        ],
    )
}

/// The cancellation's form, with its reason as typed.
pub fn reason_form(text: &Text, reason: &str) -> Form {
    Form::new(
        text,
        vec![
            field(text, "reason", Kind::TextArea)
                .hint(text.get("poll-reason-hint"))
                .rows(3)
                .value(reason),
        ],
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ClosesFields {
    closes_on: String,
    closes_time: String,
    version: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReasonFields {
    reason: String,
    version: String,
}

/// Which of the page's forms was sent, as typed.
enum Sent {
    Closes(ClosesFields),
    Cancel(ReasonFields),
}

/// The change a form asks for, made by the operation at the version the
/// page showed; then back to the poll page saying so, or the page again
/// with the refusal on the form that was sent.
async fn change(
    state: &AppState,
    visitor: &Visitor,
    (forum, id): (Uuid, Uuid),
    sent: Sent,
) -> PageResult<Response> {
    let caller = visitor.signed_in(&poll_href(forum, id))?;
    // Another forum's poll is not changed through this forum's address.
    super::poll_of(state, caller, forum, id).await?;
    let (patch, version, what) = match &sent {
        Sent::Closes(typed) => {
            let mut errors = Vec::new();
            let closes_at = instant(
                (&typed.closes_on, "closes_on"),
                (&typed.closes_time, "closes_time"),
                &mut errors,
            );
            let patch = match closes_at {
                Some(closes_at) if errors.is_empty() => Ok(PollPatch {
                    closes_at: Some(closes_at),
                    ..PollPatch::default()
                }),
                _ => Err(ApiError::Validation(errors)),
            };
            (patch, &typed.version, "closes")
        }
        Sent::Cancel(typed) => {
            let patch = PollPatch {
                status: Some(PollStatus::Cancelled),
                cancel_reason: Some(typed.reason.clone()),
                ..PollPatch::default()
            };
            (Ok(patch), &typed.version, "cancelled")
        }
    };
    let changed = match patch {
        Ok(patch) => polls::change(state, caller, id, patch, &if_match(version)?).await,
        Err(error) => Err(error),
    };
    let error = match changed {
        Ok(_) => {
            let to = format!("{}?done={what}", poll_href(forum, id));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error @ (ApiError::Forbidden(_) | ApiError::NotFound(_))) => {
            return Err(error.into());
        }
        Err(error) => error,
    };
    // A stale save is told as who changed the poll since, and when.
    let (error, status) = if is_stale(&error) {
        let message = changed_by(state, EntityKind::Poll, id).await?;
        (ApiError::Conflict(message), StatusCode::PRECONDITION_FAILED)
    } else {
        let status = crate::http::problem::status(&error);
        let names = [
            ("closes_at", "closes_on"),
            ("cancel_reason", "reason"),
            ("status", "reason"),
        ];
        (renamed(error, &names), status)
    };
    let text = Text::default();
    let typed = match &sent {
        Sent::Closes(typed) => Typed {
            closes: Some((typed.closes_on.clone(), typed.closes_time.clone())),
            ..Typed::default()
        },
        Sent::Cancel(typed) => Typed {
            reason: typed.reason.clone(),
            ..Typed::default()
        },
    };
    let mut page = poll_page(state, visitor, caller, (forum, id), typed).await?;
    let form = match sent {
        Sent::Closes(_) => page.closes_form.as_mut(),
        Sent::Cancel(_) => page.cancel_form.as_mut(),
    };
    match form {
        Some(form) => {
            form.refuse(error)?;
        }
        // The poll has closed or was cancelled meanwhile: no form is left
        // to show the refusal on, so the page's summary tells it.
        None => page.problem = Some(problem(&text, &error)),
    }
    Ok((status, page).into_response())
}

pub(super) fn problem(text: &Text, error: &ApiError) -> ErrorSummary {
    ErrorSummary {
        title_text: text.get("error-summary-title"),
        description_text: None,
        error_list: vec![ErrorLink {
            text: capitalised(&error.detail()),
            href: None,
        }],
    }
}

pub async fn put_later(
    State(state): State<AppState>,
    Path((forum, id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<ClosesFields>,
) -> PageResult<Response> {
    let ids = (id_in_path(&forum)?, id_in_path(&id)?);
    change(&state, &visitor, ids, Sent::Closes(typed)).await
}

pub async fn cancel(
    State(state): State<AppState>,
    Path((forum, id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<ReasonFields>,
) -> PageResult<Response> {
    let ids = (id_in_path(&forum)?, id_in_path(&id)?);
    change(&state, &visitor, ids, Sent::Cancel(typed)).await
}
