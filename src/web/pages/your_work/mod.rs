//! `/your-work`: "Your organisation's work" — for a person of a member
//! organisation, in each forum they take part in: the actions their
//! organisation owns by the commitment they serve, the issues it raised
//! and their answers, the next meetings with a one-click answer, the
//! consultations taking contributions, the polls open, and the
//! opportunities open in the region with interest registered or
//! withdrawn in one click. One statement for the visitor and three for the
//! whole page ([`crate::organisations::work`]).

mod interest;
mod view;

pub use interest::{register, withdraw};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::kernel::access::AuthUser;
use crate::kernel::state::AppState;
use crate::organisations::work;
use crate::web::error::PageResult;
use crate::web::session::Visitor;
use view::YourWorkPage;

/// The page's address; forms sent from it come back to it.
pub const PATH: &str = "/your-work";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    done: String,
}

/// What a form did, for the success banner: the message id.
fn done(what: &str) -> Option<&'static str> {
    Some(match what {
        "rsvp" => "rsvp-done",
        "interest-registered" => "work-done-interest-registered",
        "interest-withdrawn" => "work-done-interest-withdrawn",
        _ => return None,
    })
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ShowQuery>,
) -> PageResult<Response> {
    let caller = visitor.signed_in(PATH)?;
    let page = page(&state, &visitor, caller, done(&query.done), None).await?;
    Ok(page.into_response())
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    done: Option<&'static str>,
    problem: Option<String>,
) -> PageResult<YourWorkPage> {
    let now = state.clock.now();
    let found = work::work(&state.db, caller, now).await?;
    Ok(view::render(visitor, found, now, done, problem))
}

/// The page again with a form's refusal as its error summary, answered
/// with the status the API gives the same refusal.
pub async fn refused(
    state: &AppState,
    visitor: &Visitor,
    caller: &AuthUser,
    message: String,
    status: StatusCode,
) -> PageResult<Response> {
    let page = page(state, visitor, caller, None, Some(message)).await?;
    Ok((status, page).into_response())
}
