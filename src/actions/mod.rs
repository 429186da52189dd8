//! Action items: what a forum agreed to do, who owns it, when it is due, the
//! log of progress on it, and the plan commitments it is work towards.

mod links;
mod queries;
mod routes;
mod types;
mod updates;

pub use queries::check_meeting;
pub use types::ActionOut;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(updates::router())
        .merge(links::router())
}
