//! A commitment linked to the action, or unlinked, from the page: the
//! operations the API calls, to the version the page was shown at. A stale
//! page, or a refusal, is told at the top of the page shown again.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::show::{Shown, Typed, action_page, problem};
use super::{action_at, action_href, back_to};
use crate::actions;
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::conflict::{self, changed_by};
use crate::web::error::{PageResult, id_in_path};
use crate::web::session::{CheckedForm, Visitor};

/// A link or unlink form as sent: the version shown, and the search the
/// page was showing.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    version: String,
    q: String,
}

pub async fn link(
    State(state): State<AppState>,
    Path((forum, action, commitment)): Path<(String, String, String)>,
    CheckedForm { visitor, form }: CheckedForm<LinkForm>,
) -> PageResult<Response> {
    let path = (forum, action);
    changed(&state, &visitor, &path, &commitment, form, Change::Link).await
}

pub async fn unlink(
    State(state): State<AppState>,
    Path((forum, action, commitment)): Path<(String, String, String)>,
    CheckedForm { visitor, form }: CheckedForm<LinkForm>,
) -> PageResult<Response> {
    let path = (forum, action);
    changed(&state, &visitor, &path, &commitment, form, Change::Unlink).await
}

#[derive(Clone, Copy)]
enum Change {
    Link,
    Unlink,
}

/// Links or unlinks, then shows the page again: after it, or with what
/// stopped it.
async fn changed(
    state: &AppState,
    visitor: &Visitor,
    path: &(String, String),
    commitment: &str,
    form: LinkForm,
    change: Change,
) -> PageResult<Response> {
    let caller = visitor.signed_in(&format!("/forums/{}/actions/{}", path.0, path.1))?;
    let detail = action_at(state, caller, path).await?;
    let commitment = id_in_path(commitment)?;
    let if_match = conflict::if_match(&form.version)?;
    let id = detail.action.id;
    let (done, what) = match change {
        Change::Link => (
            actions::link(state, caller, id, commitment, &if_match)
                .await
                .map(|_| ()),
            "linked",
        ),
        Change::Unlink => (
            actions::unlink(state, caller, id, commitment, &if_match)
                .await
                .map(|_| ()),
            "unlinked",
        ),
    };
    let message = match done {
        Ok(()) => {
            let href = action_href(detail.action.forum_id, id);
            return Ok(Redirect::to(&back_to(&href, what, &form.q)).into_response());
        }
        Err(ApiError::PreconditionFailed(_) | ApiError::Conflict(_)) => {
            changed_by(state, EntityKind::Action, id).await?
        }
        Err(ApiError::Validation(errors)) => errors
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
            .join("; "),
        Err(other) => return Err(other.into()),
    };
    let now = action_at(state, caller, path).await?;
    let shown = Shown {
        typed: Typed {
            q: form.q,
            ..Typed::default()
        },
        problem: Some(problem(message)),
        ..Shown::default()
    };
    let (status, page) = action_page(state, visitor, now, shown).await?;
    Ok((status, page).into_response())
}
