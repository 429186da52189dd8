//! The one-click answer to a meeting, from its page or from "Your
//! organisation's work": the operation `PUT /meetings/{id}/rsvp` calls,
//! then back to the page the form was on. A refusal (answers closed, an
//! observer answering) is shown on that page as its error summary, with
//! the status the API gives it.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::view::Forms;
use super::{At, refused, require_meeting, told};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::meetings::{self, RsvpIn};
use crate::web::error::PageResult;
use crate::web::pages::{rsvp, your_work};
use crate::web::session::{CheckedForm, back_saying};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RsvpSent {
    response: String,
    back: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Path((forum, meeting)): Path<(String, String)>,
    CheckedForm { visitor, form }: CheckedForm<RsvpSent>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let caller = visitor.signed_in(&at.href())?;
    let response = rsvp::parse(&form.response)
        .ok_or_else(|| ApiError::invalid("response", "must be yes, maybe or no"))?;
    require_meeting(&state, caller, &at).await?;
    let answered: ApiResult<_> =
        meetings::answer(&state, caller, at.meeting, RsvpIn { response }).await;
    let from_your_work = form.back.starts_with(your_work::PATH);
    match answered {
        Ok(_) => {
            let back = back_saying(&form.back, "rsvp")
                .unwrap_or_else(|| format!("{}?done=rsvp#rsvp", at.href()));
            Ok(Redirect::to(&back).into_response())
        }
        Err(error @ (ApiError::Conflict(_) | ApiError::Forbidden(_))) => {
            let status = crate::http::problem::status(&error);
            if from_your_work {
                your_work::refused(&state, &visitor, caller, told(&error), status).await
            } else {
                refused(
                    &state,
                    &visitor,
                    caller,
                    &at,
                    Forms::problem(told(&error)),
                    status,
                )
                .await
            }
        }
        Err(other) => Err(other.into()),
    }
}
