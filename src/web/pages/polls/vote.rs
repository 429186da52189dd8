//! A member organisation's vote, from the poll's page: radios for a poll
//! of one choice, checkboxes for one of several, the organisation's vote
//! as it stands ticked. Any of its people may change it until the poll
//! closes; the operation decides who may vote and when, and the page shows
//! its refusal beside the choices, what was ticked kept.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use entity::PollKind;
use serde::Deserialize;
use uuid::Uuid;

use super::show::{Typed, poll_page};
use super::{field, poll_href};
use crate::kernel::error::{ApiError, FieldError};
use crate::kernel::state::AppState;
use crate::polls::{self, OptionOut, VoteIn};
use crate::web::error::{PageResult, id_in_path};
use crate::web::forms::{Choice, Form, Kind, renamed};
use crate::web::i18n::Text;
use crate::web::session::{CheckedForm, Visitor};

/// The vote's form: the poll's options, those `ticked` chosen.
pub fn vote_form(
    text: &Text,
    (kind, options): (PollKind, &[OptionOut]),
    organisation: &str,
    ticked: &[String],
) -> Form {
    let input = match kind {
        PollKind::MultipleChoice => Kind::Checkboxes,
        PollKind::AgreeDisagreeAbstain | PollKind::SingleChoice => Kind::Radios,
    };
    let hint = match kind {
        PollKind::MultipleChoice => "poll-vote-hint-several",
        PollKind::AgreeDisagreeAbstain | PollKind::SingleChoice => "poll-vote-hint-one",
    };
    let option = field(text, "option", input)
        .hint(text.with(hint, &[("organisation", organisation.to_string())]))
        .choices(
            options
                .iter()
                .map(|o| Choice::new(o.id.to_string(), o.label.clone()))
                .collect(),
        )
        .checked(ticked);
    Form::new(text, vec![option])
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VoteFields {
    option: Vec<String>,
}

/// The options ticked, as the operation takes them: one not an option's
/// id (a form made up by hand) is refused on the field, as the operation
/// refuses an option not of the poll.
fn chosen(typed: &VoteFields) -> Result<VoteIn, ApiError> {
    let option_ids: Result<Vec<Uuid>, _> = typed.option.iter().map(|o| o.parse()).collect();
    option_ids
        .map(|option_ids| VoteIn { option_ids })
        .map_err(|_| {
            ApiError::Validation(vec![FieldError::new(
                "option",
                "must be options of this poll",
            )])
        })
}

/// Casts (or changes) the organisation's vote; then back to the poll page
/// saying so, or the page again with the refusal beside the choices.
pub async fn cast(
    State(state): State<AppState>,
    Path((forum, id)): Path<(String, String)>,
    CheckedForm {
        visitor,
        form: typed,
    }: CheckedForm<VoteFields>,
) -> PageResult<Response> {
    let (forum, id) = (id_in_path(&forum)?, id_in_path(&id)?);
    let caller = visitor.signed_in(&poll_href(forum, id))?;
    // Another forum's poll is not voted in through this forum's address.
    super::poll_of(&state, caller, forum, id).await?;
    let voted = match chosen(&typed) {
        Ok(vote) => polls::vote(&state, caller, id, vote).await,
        Err(error) => Err(error),
    };
    let error = match voted {
        Ok(_) => {
            let to = format!("{}?done=voted", poll_href(forum, id));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error @ (ApiError::Forbidden(_) | ApiError::NotFound(_))) => {
            return Err(error.into());
        }
        Err(error) => renamed(error, &[("option_ids", "option")]),
    };
    refused(&state, &visitor, (forum, id), typed, error).await
}

/// The poll page again, the refusal beside the vote's choices (or, if the
/// poll closed meanwhile and offers no vote, in the page's summary).
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    ids: (Uuid, Uuid),
    typed: VoteFields,
    error: ApiError,
) -> PageResult<Response> {
    let caller = visitor.signed_in(&poll_href(ids.0, ids.1))?;
    let ticked = typed.option;
    let mut page = poll_page(
        state,
        visitor,
        caller,
        ids,
        Typed {
            ticked: Some(ticked),
            ..Typed::default()
        },
    )
    .await?;
    let status = match page.vote_form.as_mut() {
        Some(form) => form.refuse(error)?,
        None => {
            let status = crate::http::problem::status(&error);
            page.problem = Some(super::changes::problem(&Text::default(), &error));
            status
        }
    };
    Ok((status, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_that_is_not_an_id_is_refused_on_the_field() {
        let typed = VoteFields {
            option: vec!["agree".into()],
        };
        let Err(ApiError::Validation(errors)) = chosen(&typed) else {
            panic!("refused");
        };
        assert_eq!(errors[0].field, "option");
    }

    #[test]
    fn nothing_ticked_is_left_for_the_operation_to_refuse() {
        let vote = chosen(&VoteFields::default()).map(|v| v.option_ids.len());
        assert!(matches!(vote, Ok(0)));
    }
}
