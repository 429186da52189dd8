//! `AuthUser` from a request: required (a valid bearer token, else 401),
//! or `Option<AuthUser>` for public endpoints (no header is anonymous, a
//! bad token is still 401).

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::{header, request::Parts};

use crate::auth::authenticate;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;

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
