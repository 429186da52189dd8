//! Consultations: the forum's members contribute, its officers compose one
//! joint response, the members agree it by poll, and it is submitted.

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
