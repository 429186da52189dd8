//! A member organisation's contribution to a consultation's question, from
//! the consultation's page: written by any of its people, edited until the
//! end of the forum's deadline, within the question's word limit (counted
//! as it is typed where scripts run: the design system's character count
//! in word mode). The operation decides everything; its refusal is shown
//! beside the text, which is kept. A contribution saved by a colleague
//! since the page was read is never overwritten: theirs is shown among the
//! contributions, the person's own kept to merge and save again.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::running::{Refused, address, ids, if_match, render};
use crate::consultations::{self, ContributionEdit, ContributionIn, ContributionOut};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::capitalised;
use crate::web::i18n::Text;
use crate::web::session::CheckedForm;

/// The contribution's form on a question: what it holds, and the rest.
pub struct OwnContribution {
    /// The contribution's id and version, once there is one.
    pub saved: Option<(String, i32)>,
    /// What the textarea holds: the contribution as saved, or as typed.
    pub typed: String,
    /// The question's word limit, which the count counts down from, and
    /// its words ("You can enter up to 150 words").
    pub word_limit: Option<(u32, String)>,
    pub error: Option<String>,
}

impl OwnContribution {
    /// The form for the organisation's `saved` contribution (if any), or
    /// with what was typed when that was refused.
    pub fn of(
        text: &Text,
        saved: Option<&ContributionOut>,
        word_limit: Option<i32>,
        refused: Option<RefusedContribution>,
    ) -> Self {
        let (typed, error) = match refused {
            Some(refused) => (refused.typed, Some(refused.message)),
            None => (saved.map(|c| c.body.clone()).unwrap_or_default(), None),
        };
        Self {
            saved: saved.map(|c| (c.id.to_string(), c.version)),
            typed,
            word_limit: word_limit
                .and_then(|n| u32::try_from(n).ok())
                .map(|n| (n, text.count("consultation-contribution-limit", n.into()))),
            error,
        }
    }
}

/// A contribution the operation refused: to which question, what was
/// typed, and why.
pub struct RefusedContribution {
    pub question: Uuid,
    pub typed: String,
    pub message: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ContributionForm {
    body: String,
    /// The contribution edited, empty for a first one.
    contribution: String,
    version: String,
}

/// Adds or edits the organisation's contribution to a question; then back
/// to the question saying so, or the page again with the refusal beside
/// the text.
pub async fn save(
    State(state): State<AppState>,
    Path((forum, id, question)): Path<(String, String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<ContributionForm>,
) -> PageResult<Response> {
    let ids = ids(&forum, &id)?;
    let question = id_in_path(&question)?;
    let caller = visitor.signed_in(&address(ids))?;
    // Another forum's consultation is not contributed to through this
    // forum's address.
    if consultations::get(&state, Some(caller), ids.1)
        .await?
        .consultation
        .forum_id
        != ids.0
    {
        return Err(ApiError::not_found("consultation").into());
    }
    let saved = match typed.contribution.trim() {
        "" => {
            let input = ContributionIn {
                question_id: question,
                body: typed.body.clone(),
            };
            consultations::contribute(&state, caller, ids.1, input).await
        }
        contribution => {
            let input = ContributionEdit {
                body: typed.body.clone(),
            };
            let version = if_match(&typed.version)?;
            consultations::edit_contribution(
                &state,
                caller,
                id_in_path(contribution)?,
                input,
                &version,
            )
            .await
        }
    };
    let error = match saved {
        Ok(_) => {
            let to = format!("{}?done=contribution#question-{question}", address(ids));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error @ (ApiError::Forbidden(_) | ApiError::NotFound(_))) => {
            return Err(error.into());
        }
        Err(error) => error,
    };
    let status = crate::http::problem::status(&error);
    let message = refusal(&Text::default(), error)?;
    let refused = Refused::contribution(RefusedContribution {
        question,
        typed: typed.body,
        message,
    });
    let page = render(&state, &visitor, caller, ids, refused).await?;
    Ok((status, page).into_response())
}

/// The refusal as told beside the contribution's text.
fn refusal(text: &Text, error: ApiError) -> Result<String, ApiError> {
    Ok(match error {
        ApiError::PreconditionFailed(_) => text.get("consultation-contribution-changed"),
        ApiError::Validation(errors) => errors
            .into_iter()
            .map(|e| {
                capitalised(&format!(
                    "{} {}",
                    text.get("consultation-your-contribution"),
                    e.message
                ))
            })
            .collect::<Vec<_>>()
            .join(". "),
        ApiError::Conflict(detail) => capitalised(&detail),
        other => return Err(other),
    })
}
