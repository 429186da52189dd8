//! Accounts and sign-in: registration, login, token refresh and logout, and
//! the caller's own account (`/me`).

pub mod accounts;
pub mod lockout;
mod me;
pub mod recovery;
mod routes;
pub mod sessions;
pub mod types;

pub use sessions::authenticate;
pub use types::UserOut;

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(me::router())
        .merge(recovery::router())
}
