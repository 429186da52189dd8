use axum::extract::State;
use axum::http::StatusCode;
use entity::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::accounts::{self, NewAccount};
use super::sessions::{self, Refresh};
use super::tokens::ACCESS_TOKEN_TTL;
use super::types::{LoginIn, RefreshIn, RegisterIn, TokensOut, UserOut, normalise_email};
use super::{AuthUser, lockout};
use crate::audit::{self, AuditEvent};
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::responses::Created;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("the email or password is incorrect".into())
}

fn tokens(
    state: &AppState,
    user_id: Uuid,
    session_id: Uuid,
    refresh_token: String,
) -> ApiResult<TokensOut> {
    Ok(TokensOut {
        access_token: state.tokens.issue(user_id, session_id, state.clock.now())?,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        refresh_token,
    })
}

/// Create an account.
///
/// A verification email goes to the address; until its code is confirmed
/// (`POST /auth/email-verification/confirm`), Convene sends the address
/// nothing else but account links and role invitations.
/// The email is trimmed and lower-cased; an email already registered, in any
/// case, is a 409 (also when both are registered at the same moment). The
/// answer's `Location` is `/api/v1/me`, where the new user reads their
/// account once signed in.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "auth",
    request_body = RegisterIn,
    responses(
        (status = 201, description = "Account created", body = UserOut,
         headers(("Location" = String, description = "`/api/v1/me`: the account, as its owner reads it once signed in"))),
        (status = 409, description = "Email already registered", body = crate::error::Problem),
    )
)]
async fn register(
    State(state): State<AppState>,
    Json(input): Json<RegisterIn>,
) -> ApiResult<Created<UserOut>> {
    let email = input.validate()?;
    // Hash before the transaction: never hold the write lock for ~50 ms of CPU.
    let password_hash = state.passwords.hash(input.password).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let account = NewAccount {
        email,
        display_name: input.display_name,
        password_hash,
        is_admin: false,
    };
    let created = accounts::create(&txn, account, now).await?;
    super::recovery::send_verification(&txn, &created, now).await?;
    txn.commit().await?;
    // Not `/users/{id}`: that is for admins, and the new user could not read it.
    Ok(Created::at("/api/v1/me", UserOut::from(created)))
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
        (status = 401, description = "Wrong email or password, or the account is disabled", body = crate::error::Problem),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = crate::error::Problem,
         headers(("Retry-After" = u64, description = "Seconds until attempts are accepted again"))),
    )
)]
async fn login(
    State(state): State<AppState>,
    Json(input): Json<LoginIn>,
) -> ApiResult<Json<TokensOut>> {
    // Not-an-email is still just a failed sign-in: answering 422 would not
    // leak anything, but keeping one path keeps the timing identical.
    let email = normalise_email(&input.email).unwrap_or_else(|| input.email.trim().to_lowercase());
    lockout::check(&state.db, &email, state.clock.now()).await?;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&state.db)
        .await?;
    let stored = account.as_ref().map(|u| u.password_hash.clone());
    let verified = state.passwords.verify(input.password, stored).await?;

    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let user = match account {
        Some(user) if verified => user,
        _ => {
            lockout::record_failure(&txn, &email, now).await?;
            if let Some(user) = &account {
                audit::record(
                    &txn,
                    now,
                    AuditEvent::new(None, "user.login-failed", "user", user.id),
                )
                .await?;
            }
            txn.commit().await?;
            return Err(bad_credentials());
        }
    };
    if user.disabled {
        txn.commit().await?;
        return Err(ApiError::Unauthorized("this account is disabled".into()));
    }
    lockout::clear(&txn, &email).await?;
    let (session, refresh_token) = sessions::start(&txn, user.id, now).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id), "session.started", "session", session.id),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(tokens(&state, user.id, session.id, refresh_token)?))
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
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = crate::error::Problem),
    )
)]
async fn refresh(
    State(state): State<AppState>,
    Json(input): Json<RefreshIn>,
) -> ApiResult<Json<TokensOut>> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let outcome = sessions::refresh(&txn, &input.refresh_token, now).await?;
    let result = match outcome {
        Refresh::Rotated {
            user,
            session_id,
            refresh_token,
        } => {
            audit::record(
                &txn,
                now,
                AuditEvent::new(Some(user.id), "session.refreshed", "session", session_id),
            )
            .await?;
            tokens(&state, user.id, session_id, refresh_token)
        }
        Refresh::Reused {
            user_id,
            session_id,
        } => {
            tracing::warn!(%session_id, "refresh token reused; session revoked");
            audit::record(
                &txn,
                now,
                AuditEvent::new(None, "session.revoked", "session", session_id)
                    .changes(json!({"reason": sessions::REASON_REUSE, "user_id": user_id})),
            )
            .await?;
            Err(ApiError::Unauthorized(
                "this refresh token was already used; the session has been ended".into(),
            ))
        }
        Refresh::Refused => Err(ApiError::Unauthorized(
            "the refresh token is invalid or has expired".into(),
        )),
    };
    txn.commit().await?;
    result.map(Json)
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
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    sessions::revoke(&txn, user.session_id, sessions::REASON_LOGOUT, now).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "session.ended", "session", user.session_id),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
