//! The JSON face of the caller's own account (`/me`).

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use uuid::Uuid;

use crate::auth::{
    self, EmailChangeIn, EmailChangeOut, MePatch, PasswordChangeIn, SessionOut, UserOut,
};
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, patch_me))
        .routes(routes!(change_password))
        .routes(routes!(request_email_change))
        .routes(routes!(resend_verification))
        .routes(routes!(list_sessions, end_every_session))
        .routes(routes!(end_session))
}

/// The signed-in user's own account.
#[utoipa::path(
    get,
    path = "/me",
    tag = "me",
    responses((status = 200, description = "Your account", body = UserOut)),
    security(("bearer" = []))
)]
async fn get_me(user: AuthUser) -> Json<UserOut> {
    Json(auth::me(&user))
}

/// Change your display name. A PATCH that changes nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/me",
    tag = "me",
    request_body = MePatch,
    responses((status = 200, description = "Your updated account", body = UserOut)),
    security(("bearer" = []))
)]
async fn patch_me(
    State(state): State<AppState>,
    user: AuthUser,
    Json(patch): Json<MePatch>,
) -> ApiResult<Json<UserOut>> {
    Ok(Json(auth::change_me(&state, &user, patch).await?))
}

/// Change your password.
///
/// Needs the current password. Every other session of yours ends; the one
/// making this request stays signed in.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "me",
    request_body = PasswordChangeIn,
    responses(
        (status = 204, description = "Password changed"),
        (status = 422, description = "The current password is wrong, or the new one is too short or long"),
        (status = 429, description = "Too many wrong passwords"),
    ),
    security(("bearer" = []))
)]
async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<PasswordChangeIn>,
) -> ApiResult<StatusCode> {
    auth::change_password(&state, &user, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask to change your email address.
///
/// Needs the current password (a wrong one counts towards the sign-in
/// lock-out, as for a password change). Nothing changes yet: the new
/// address is emailed a code, valid for 24 hours, that makes the change
/// (`POST /auth/email-change/confirm`), and your present address is told of
/// the request, with a code to choose a new password (which calls the
/// change off) in case it was not you. A new request calls off the one
/// before; at most one is accepted every two minutes.
///
/// The answer is the same, 202, whether or not the new address has an
/// account, so that nobody learns from it who is registered: an address
/// that has one is sent no code (its owner is told instead), so the change
/// cannot happen.
#[utoipa::path(
    post,
    path = "/me/email",
    tag = "me",
    request_body = EmailChangeIn,
    responses(
        (status = 202, description = "The new address is emailed a code (or, if it has an account, its owner is told); your present address is told of the request", body = EmailChangeOut),
        (status = 422, description = "The new address is not an address or is already yours, or the current password is wrong"),
        (status = 429, description = "Too many wrong passwords, or a change was asked for less than two minutes ago; see Retry-After",
         headers(("Retry-After" = u64, description = "Seconds until another request is accepted"))),
    ),
    security(("bearer" = []))
)]
async fn request_email_change(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<EmailChangeIn>,
) -> ApiResult<(StatusCode, Json<EmailChangeOut>)> {
    let out = auth::request_email_change(&state, &user, input).await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Send the verification email again.
///
/// 409 when the address is already verified; 429 (with `Retry-After`) when
/// one was sent in the last ten minutes.
#[utoipa::path(
    post,
    path = "/me/email-verification",
    tag = "me",
    responses(
        (status = 202, description = "A verification email is on its way"),
        (status = 409, description = "Your address is already verified"),
        (status = 429, description = "One was sent less than ten minutes ago; see Retry-After",
         headers(("Retry-After" = u64, description = "Seconds until another can be sent"))),
    ),
    security(("bearer" = []))
)]
async fn resend_verification(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<StatusCode> {
    auth::resend_verification(&state, &user).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Where you are signed in: your live sessions, newest first, from
/// browsers (`browser`) and API clients (`api`).
#[utoipa::path(
    get,
    path = "/me/sessions",
    tag = "me",
    params(PageQuery),
    responses((status = 200, description = "A page of your live sessions", body = Page<SessionOut>)),
    security(("bearer" = []))
)]
async fn list_sessions(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<SessionOut>>> {
    Ok(Json(auth::my_sessions(&state, &user, query).await?))
}

/// Sign out everywhere: every session of yours ends, this one included,
/// in browsers and API clients alike.
#[utoipa::path(
    delete,
    path = "/me/sessions",
    tag = "me",
    responses((status = 204, description = "Every session ended")),
    security(("bearer" = []))
)]
async fn end_every_session(State(state): State<AppState>, user: AuthUser) -> ApiResult<StatusCode> {
    auth::end_every_session(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End one of your sessions (a browser left signed in elsewhere, or an
/// API client you no longer use).
#[utoipa::path(
    delete,
    path = "/me/sessions/{id}",
    tag = "me",
    params(("id" = Uuid, Path, description = "Session id")),
    responses(
        (status = 204, description = "The session ended"),
        (status = 404, description = "None of your live sessions has that id"),
    ),
    security(("bearer" = []))
)]
async fn end_session(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    auth::end_session(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
