//! Forums (one per region), the organisations that are members of them, and
//! the roles people hold in them.

mod memberships;
mod queries;
mod role_changes;
mod roles;
mod routes;
mod types;

pub use queries::{active_member_ids, region_code};

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(memberships::router())
        .merge(roles::router())
}
