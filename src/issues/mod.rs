//! Issues a forum raises with the Regional Probation Director's team, and the
//! team's answers: the loop that makes the RPD accountable to the forum.

mod changes;
mod queries;
mod responses;
mod routes;
mod types;

pub use queries::{open_issues_per_commitment, responsiveness};

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(changes::router())
        .merge(responses::router())
}
