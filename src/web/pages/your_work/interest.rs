//! "Register interest" and "Withdraw interest" in an opportunity, from
//! "Your organisation's work": the operations behind
//! `/opportunities/{id}/interest`, then back to the page saying so. A
//! refusal (interest already registered, an observer, an opportunity
//! withdrawn meanwhile) is shown as the page's error summary.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{PATH, refused};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::opportunities::{self, InterestIn};
use crate::web::error::{PageResult, id_in_path};
use crate::web::pages::meeting::told;
use crate::web::session::{CheckedForm, Visitor, back_saying};

/// The form carries nothing but its token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InterestSent {}

async fn settle(
    state: &AppState,
    visitor: &Visitor,
    done: ApiResult<()>,
    what: &str,
) -> PageResult<Response> {
    let caller = visitor.signed_in(PATH)?;
    match done {
        Ok(()) => {
            let back = back_saying(PATH, what).unwrap_or_else(|| PATH.to_string());
            Ok(Redirect::to(&back).into_response())
        }
        // Withdrawing what the organisation never registered is told on
        // the page too; an opportunity there is no such is the 404 page.
        Err(error @ (ApiError::Conflict(_) | ApiError::Forbidden(_)))
        | Err(error @ ApiError::NotFound(_))
            if refused_on_page(&error) =>
        {
            let status = crate::http::problem::status(&error);
            refused(state, visitor, caller, told(&error), status).await
        }
        Err(other) => Err(other.into()),
    }
}

fn refused_on_page(error: &ApiError) -> bool {
    match error {
        ApiError::NotFound(message) => message.starts_with("your organisation"),
        _ => true,
    }
}

pub async fn register(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CheckedForm { visitor, form: _ }: CheckedForm<InterestSent>,
) -> PageResult<Response> {
    let id = id_in_path(&id)?;
    let caller = visitor.signed_in(PATH)?;
    let done = opportunities::register_interest(&state, caller, id, InterestIn { note: None })
        .await
        .map(|_| ());
    settle(&state, &visitor, done, "interest-registered").await
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CheckedForm { visitor, form: _ }: CheckedForm<InterestSent>,
) -> PageResult<Response> {
    let id = id_in_path(&id)?;
    let caller = visitor.signed_in(PATH)?;
    let done = opportunities::withdraw_interest(&state, caller, id).await;
    settle(&state, &visitor, done, "interest-withdrawn").await
}
