//! The public record: what a forum owes the public, readable without
//! signing in — its approved minutes and meetings to come, as lists and as
//! Atom feeds, and each region's accountability as it happens.

mod feeds;
mod lists;
mod queries;

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    lists::router().merge(feeds::router())
}
