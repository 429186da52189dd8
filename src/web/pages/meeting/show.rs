//! The meeting page itself: for whoever may read the meeting (its forum's
//! participants; anyone else gets what the API gives them, 404), its
//! agenda's forms for those who may use them.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::view::{Forms, meeting_page};
use super::{At, done};
use crate::kernel::state::AppState;
use crate::web::error::PageResult;
use crate::web::session::Visitor;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((forum, meeting)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> PageResult<Response> {
    let at = At::parse(&forum, &meeting)?;
    let caller = visitor.signed_in(&at.href())?;
    let forms = Forms {
        done: done(&query.done),
        ..Forms::empty()
    };
    Ok(meeting_page(&state, &visitor, caller, &at, forms)
        .await?
        .into_response())
}
