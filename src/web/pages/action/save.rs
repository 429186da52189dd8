//! The progress form sent: a note, and a new status if one was chosen,
//! logged by the operation the API calls — in one transaction, to the
//! version the page was shown at. A stale save keeps what was typed and
//! says who changed the action and when; a refusal is shown on the form.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::show::{Shown, Typed, action_page};
use super::{action_at, action_href, back_to};
use crate::actions::{self, ActionDetail, UpdateIn};
use crate::kernel::audit::EntityKind;
use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::state::AppState;
use crate::web::conflict::{self, Conflict, Part};
use crate::web::error::PageResult;
use crate::web::forms::parsed;
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};

pub async fn save(
    State(state): State<AppState>,
    Path(path): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<Typed>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(&format!("/forums/{}/actions/{}", path.0, path.1))?;
    let detail = action_at(&state, caller, &path).await?;
    let href = action_href(detail.action.forum_id, detail.action.id);
    let status = match typed.status.trim() {
        "" => None,
        word => match parsed(word) {
            Some(status) => Some(status),
            None => {
                let error = ApiError::Validation(vec![FieldError::new(
                    "status",
                    "is not a status an action can have",
                )]);
                return refused(&state, &visitor, detail, typed, error).await;
            }
        },
    };
    let if_match = conflict::if_match(&typed.version)?;
    let input = UpdateIn {
        body: typed.body.clone(),
        status,
    };
    match actions::log_progress(&state, caller, detail.action.id, input, &if_match).await {
        Ok(_) => Ok(Redirect::to(&back_to(&href, "logged", &typed.q)).into_response()),
        Err(ApiError::PreconditionFailed(_)) => stale(&state, &visitor, &path, typed).await,
        // Not theirs to change: the page's refusal, not the form's.
        Err(error @ (ApiError::Forbidden(_) | ApiError::Unauthorized(_))) => Err(error.into()),
        // Nothing was saved: what was typed is shown again to be put right.
        Err(error) => refused(&state, &visitor, detail, typed, error).await,
    }
}

async fn refused(
    state: &AppState,
    visitor: &Visitor,
    detail: ActionDetail,
    typed: Typed,
    error: ApiError,
) -> PageResult<Response> {
    let shown = Shown {
        typed,
        error: Some(error),
        ..Shown::default()
    };
    let (status, page) = action_page(state, visitor, detail, shown).await?;
    Ok((status, page).into_response())
}

/// The action changed since the page was shown: nothing is saved. The
/// page says who changed it and when, shows where it stands now and their
/// newest note, keeps the note typed, and carries the new version, so that
/// sending it again saves it.
async fn stale(
    state: &AppState,
    visitor: &Visitor,
    path: &(String, String),
    typed: Typed,
) -> PageResult<Response> {
    let caller = visitor.signed_in("/")?;
    let now = action_at(state, caller, path).await?;
    let text = Text::default();
    let mut theirs = vec![Part::new(
        "",
        &text.with(
            "action-their-status",
            &[("status", super::status_words(&text, now.action.status))],
        ),
    )];
    if let Some(note) = now.log.first() {
        let by = note
            .author_name
            .clone()
            .unwrap_or_else(|| text.get("conflict-someone"));
        theirs.push(Part::new(
            text.with("action-their-note", &[("name", by)]),
            &note.body,
        ));
    }
    let conflict = Conflict::after(
        state,
        EntityKind::Action,
        now.action.id,
        now.action.version,
        theirs,
    )
    .await?;
    let shown = Shown {
        typed,
        conflict: Some(conflict),
        ..Shown::default()
    };
    let (status, page) = action_page(state, visitor, now, shown).await?;
    Ok((status, page).into_response())
}
