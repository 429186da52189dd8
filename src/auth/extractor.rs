//! `AuthUser` (a valid bearer token is required) and `Option<AuthUser>`
//! (public endpoints: no header is anonymous, a bad token is still 401).

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::{header, request::Parts};
use entity::user;
use uuid::Uuid;

use super::sessions;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;

/// The signed-in caller: their account as of this request, and the session
/// their token belongs to.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    pub session_id: Uuid,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }
}

fn refused() -> ApiError {
    ApiError::Unauthorized("the access token is invalid or has expired".into())
}

fn bearer(parts: &Parts) -> Option<Result<&str, ApiError>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then_some(token.trim())
            })
            .ok_or_else(|| ApiError::Unauthorized("use `Authorization: Bearer <token>`".into())),
    )
}

async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let claims = state.tokens.verify(token)?;
    // Checked on every request, so a logout, a password change or disabling
    // the account ends the token now, not when it expires.
    let user = sessions::live_user(&state.db, claims.sid, claims.sub)
        .await?
        .ok_or_else(refused)?;
    Ok(AuthUser {
        user,
        session_id: claims.sid,
    })
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            Some(token) => authenticate(state, token?).await,
            None => Err(ApiError::Unauthorized(
                "sign in to use this endpoint".into(),
            )),
        }
    }
}

impl OptionalFromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        match bearer(parts) {
            Some(token) => authenticate(state, token?).await.map(Some),
            None => Ok(None),
        }
    }
}
