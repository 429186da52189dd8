//! The RPD's team's answer to an issue, sent from its page with evidence
//! papers (`multipart/form-data`: the token, the answer, then its files),
//! by the operation the API's `POST /issues/{id}/responses` calls; the
//! answer and its evidence are written in one transaction. A refusal is
//! shown on the form, with the answer as typed.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::At;
use super::show::issue_page;
use crate::issues::{self, ResponseIn};
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::session::CheckedMultipart;
use crate::web::uploads;

pub async fn submit(
    State(state): State<AppState>,
    Path((forum, issue)): Path<(String, String)>,
    CheckedMultipart { visitor, multipart }: CheckedMultipart,
) -> PageResult<Response> {
    let at = At::parse(&forum, &issue)?;
    let caller = visitor.signed_in(&at.href())?;
    // Leave first: no file is written for someone who may not answer.
    let issue = issues::get(&state, caller, at.issue).await?;
    if issue.issue.forum_id != at.forum {
        return Err(ApiError::not_found("issue").into());
    }
    ForumAccess::load(&state.db, at.forum, Some(caller))
        .await?
        .require(ForumAction::RespondToIssue)?;
    let (body, answered) = read_and_answer(&state, caller, at, multipart).await?;
    match answered {
        Ok(()) => Ok(Redirect::to(&format!("{}?done=answered#answers", at.href())).into_response()),
        Err(
            error @ (ApiError::Validation(_)
            | ApiError::Conflict(_)
            | ApiError::TooLarge(_)
            | ApiError::UnsupportedMediaType(_)),
        ) => {
            let status = crate::http::problem::status(&error);
            let page = issue_page(&state, &visitor, caller, at, Some((body, error)), None).await?;
            Ok((status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Reads the form and answers: the answer as typed, and how it went.
async fn read_and_answer(
    state: &AppState,
    caller: &crate::kernel::access::AuthUser,
    at: At,
    multipart: Multipart,
) -> PageResult<(String, Result<(), ApiError>)> {
    let sent = uploads::read(multipart, "file", state.paper_max_bytes).await?;
    let body = sent.text("body");
    let answered = match sent.refused {
        Some(error) => Err(error),
        None => issues::respond_with_evidence(
            state,
            caller,
            at.issue,
            ResponseIn { body: body.clone() },
            sent.files,
        )
        .await
        .map(|_| ()),
    };
    Ok((body, answered))
}
