//! Webhooks: a forum's integrations, told of its events.
//!
//! Officers register a URL and the kinds of event it wants (delivery is a
//! job: `jobs::webhooks`).

mod routes;
mod types;

pub use types::subscribable;

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}
