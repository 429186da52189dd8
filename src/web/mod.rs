//! The pages: the second face on the domain operations, for people in a
//! browser. For now, the design system's assets they are built from.

pub mod assets;

use axum::Router;

use crate::kernel::state::AppState;

/// The pages' routes.
pub fn router() -> Router<AppState> {
    assets::router()
}
