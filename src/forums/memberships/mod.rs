//! Organisations' memberships of a forum: applying, deciding, suspending,
//! reinstating and leaving, along the state machine of `MembershipStatus`.

mod decisions;
mod queries;
mod routes;
mod types;

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router().merge(decisions::router())
}
