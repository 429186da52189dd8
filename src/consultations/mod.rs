//! Consultations: the forum's member organisations contribute, its officers
//! compose one joint response citing them, the members agree it by poll,
//! and it is submitted — then public.

mod contributions;
mod queries;
mod response;
mod routes;
mod status;
mod types;

pub use queries::{lock_consultation, london_today};

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(contributions::router())
        .merge(response::router())
}
