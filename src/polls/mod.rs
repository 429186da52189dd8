//! Polls: a question put to the forum's member organisations, one vote
//! each, decided by the database.
//!
//! A poll is `upcoming` until `opens_at`, `open` until `closes_at` and then
//! `closed`, unless its officers cancel it; where it stands is computed from
//! those times and the application's clock, in Rust and in SQL alike. Votes
//! share-lock the poll's row and edits lock it alone, so every vote is taken
//! against the poll as it is when the vote is written.

mod changes;
mod queries;
mod results;
mod routes;
mod rules;
mod types;
mod votes;

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(changes::router())
        .merge(votes::router())
        .merge(results::router())
}
