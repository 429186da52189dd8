use axum::extract::State;
use axum::http::StatusCode;
use entity::user;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::accounts::{self, NewAccount};
use super::lockout;
use super::sessions::{self, Refresh};
use super::types::{LoginIn, RefreshIn, RegisterIn, RegistrationOut, TokensOut, normalise_email};
use crate::http::extract::Json;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::credentials::passwords::Verified;
use crate::kernel::credentials::tokens::ACCESS_TOKEN_TTL;
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

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
    let email = input.validate()?;
    // Hashed whether or not the address is taken, so both take as long; and
    // before the transaction, never holding the write lock for its CPU.
    let password_hash = state.passwords.hash(input.password).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let account = NewAccount {
        email: email.clone(),
        display_name: input.display_name,
        password_hash,
        is_admin: false,
    };
    match accounts::create(&txn, account, now).await? {
        Some(created) => super::recovery::send_verification(&txn, &created, now).await?,
        None => {
            let owner = user::Entity::find()
                .filter(user::Column::Email.eq(&email))
                .one(&txn)
                .await?;
            if let Some(owner) = owner {
                super::recovery::tell_owner(&txn, &owner, now).await?;
            }
        }
    }
    txn.commit().await?;
    let detail = format!(
        "We have emailed {email}. Use the code in that email to confirm the address, then \
         sign in; if the address already has an account, the email says how to use it."
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(RegistrationOut { email, detail }),
    ))
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
        (status = 401, description = "Wrong email or password, or the account is disabled", body = crate::http::problem::Problem),
        (status = 403, description = "The right password, but the address is not yet confirmed", body = crate::http::problem::Problem),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = crate::http::problem::Problem,
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
        Some(user) if verified.is_right() => user,
        _ => {
            lockout::record_failure(&txn, &email, now).await?;
            if let Some(user) = &account {
                audit::record(
                    &txn,
                    now,
                    AuditEvent::new(None, "user.login-failed", EntityKind::User, user.id),
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
    // Only whoever holds the password learns this; registration told
    // nobody else that the account exists.
    if user.email_verified_at.is_none() {
        txn.commit().await?;
        return Err(ApiError::Forbidden(
            "confirm your email address first, with the code emailed to it; to have a new \
             code sent, ask for a password reset, which confirms the address too"
                .into(),
        ));
    }
    if let Verified::Upgrade(hash) = verified {
        // The stored hash predates normalised passwords; it is replaced by
        // the hash of the same password's NFKC form (the write is the
        // hash's alone, so the account's other changes are untouched).
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::val(hash))
            .filter(user::Column::Id.eq(user.id))
            .filter(user::Column::PasswordHash.eq(&user.password_hash))
            .exec(&txn)
            .await?;
    }
    lockout::clear(&txn, &email).await?;
    let (session, refresh_token) = sessions::start(&txn, user.id, now).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id),
            "session.started",
            EntityKind::Session,
            session.id,
        ),
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
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = crate::http::problem::Problem),
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
                AuditEvent::new(
                    Some(user.id),
                    "session.refreshed",
                    EntityKind::Session,
                    session_id,
                ),
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
                AuditEvent::new(None, "session.revoked", EntityKind::Session, session_id)
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
        AuditEvent::new(
            Some(user.id()),
            "session.ended",
            EntityKind::Session,
            user.session_id,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
