//! The JSON face of accounts and sign-in: each handler calls an operation
//! of `crate::auth` and responds. The caller's own account is `me`'s.

mod me;

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{
    self, EmailChangeConfirmIn, EmailVerificationConfirmIn, LoginIn, PasswordResetConfirmIn,
    PasswordResetIn, RefreshIn, RegisterIn, RegistrationOut, TokensOut,
};
use crate::http::extract::Json;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .merge(me::router())
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(confirm_verification))
        .routes(routes!(confirm_email_change))
}

/// Create an account.
///
/// The answer is the same, 202, whether or not the address already has an
/// account, so that nobody learns from it who is registered:
/// - a new address gets its account, and an email with a code to confirm
///   it (`POST /auth/email-verification/confirm`); sign-in waits for that;
/// - an address that has an account gets an email telling its owner, with
///   a code to choose a new password (`POST /auth/password-reset/confirm`),
///   and the account is left as it was.
///
/// The email is trimmed and lower-cased. Two registrations of one address
/// at once make one account.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "auth",
    request_body = RegisterIn,
    responses(
        (status = 202, description = "Registered, or the address's owner told: an email is on its way either way", body = RegistrationOut),
    )
)]
async fn register(
    State(state): State<AppState>,
    Json(input): Json<RegisterIn>,
) -> ApiResult<(StatusCode, Json<RegistrationOut>)> {
    let out = auth::register(&state, input).await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// Sign in with email and password.
///
/// An unknown email and a wrong password get the same answer in about the
/// same time. After 10 failures for one email within 15 minutes, attempts get
/// 429 with `Retry-After` until the window passes.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    request_body = LoginIn,
    responses(
        (status = 200, description = "Signed in", body = TokensOut),
        (status = 401, description = "Wrong email or password, or the account is disabled"),
        (status = 403, description = "The right password, but the address is not yet confirmed"),
        (status = 429, description = "Too many failed attempts; see Retry-After",
         headers(("Retry-After" = u64, description = "Seconds until attempts are accepted again"))),
    )
)]
async fn login(
    State(state): State<AppState>,
    Json(input): Json<LoginIn>,
) -> ApiResult<Json<TokensOut>> {
    Ok(Json(auth::login(&state, input).await?))
}

/// Exchange a refresh token for a new access and refresh token.
///
/// Each refresh token works once. Presenting one that was already used
/// revokes its whole session: every token descended from that sign-in stops
/// working.
#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    request_body = RefreshIn,
    responses(
        (status = 200, description = "New tokens", body = TokensOut),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token"),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    Json(input): Json<RefreshIn>,
) -> ApiResult<Json<TokensOut>> {
    Ok(Json(auth::refresh(&state, input).await?))
}

/// Sign out: ends the session of the access token used.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    responses((status = 204, description = "Signed out")),
    security(("bearer" = []))
)]
async fn logout(State(state): State<AppState>, user: AuthUser) -> ApiResult<StatusCode> {
    auth::logout(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask for a password reset email.
///
/// Always 202, whether or not the address has an account (nobody learns
/// who is registered). An account that exists and is not disabled gets an
/// email with a single-use code valid for 30 minutes, at most one every two
/// minutes however often this is asked.
#[utoipa::path(
    post,
    path = "/auth/password-reset",
    tag = "auth",
    request_body = PasswordResetIn,
    responses((status = 202, description = "If the address has an account, a reset email is on its way")),
)]
async fn request_reset(
    State(state): State<AppState>,
    Json(input): Json<PasswordResetIn>,
) -> ApiResult<StatusCode> {
    auth::request_reset(&state, input).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the code from a reset email.
///
/// The code works once, within 30 minutes. Every session of the account
/// ends (sign in again with the new password); the address is verified, as
/// the code proves it is theirs; the sign-in lock-out is lifted.
#[utoipa::path(
    post,
    path = "/auth/password-reset/confirm",
    tag = "auth",
    request_body = PasswordResetConfirmIn,
    responses(
        (status = 204, description = "Password set; every session ended"),
        (status = 422, description = "The code is not valid (expired, used, or never issued), or the password is too short or long"),
    ),
)]
async fn confirm_reset(
    State(state): State<AppState>,
    Json(input): Json<PasswordResetConfirmIn>,
) -> ApiResult<StatusCode> {
    auth::confirm_reset(&state, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirm an address with the code from a verification email.
///
/// No sign-in needed (the email may be read on another device). The code
/// works once, within seven days, and only for the address it was sent to.
#[utoipa::path(
    post,
    path = "/auth/email-verification/confirm",
    tag = "auth",
    request_body = EmailVerificationConfirmIn,
    responses(
        (status = 204, description = "The address is verified"),
        (status = 422, description = "The code is not valid (expired, used, or never issued)"),
    ),
)]
async fn confirm_verification(
    State(state): State<AppState>,
    Json(input): Json<EmailVerificationConfirmIn>,
) -> ApiResult<StatusCode> {
    auth::confirm_verification(&state, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change an account's address with the code emailed to the new address.
///
/// No sign-in needed (the email may be read on another device): the code
/// proves the new address is yours. It works once, within 24 hours. The
/// address is then the account's, verified; codes sent to the old address
/// stop working, and every session of the account ends but the one making
/// this request, if it is signed in to that account (send its bearer token
/// to stay signed in).
#[utoipa::path(
    post,
    path = "/auth/email-change/confirm",
    tag = "auth",
    request_body = EmailChangeConfirmIn,
    responses(
        (status = 204, description = "The address is changed; the account's other sessions have ended"),
        (status = 409, description = "Another account has taken the address since the change was asked for; nothing changed"),
        (status = 422, description = "The code is not valid (expired, used, called off, or never issued)"),
    ),
    security((), ("bearer" = []))
)]
async fn confirm_email_change(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Json(input): Json<EmailChangeConfirmIn>,
) -> ApiResult<StatusCode> {
    auth::confirm_email_change(&state, caller.as_ref(), input).await?;
    Ok(StatusCode::NO_CONTENT)
}
