//! Polls: a question put to the forum's member organisations, one vote
//! each, decided by the database.

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
