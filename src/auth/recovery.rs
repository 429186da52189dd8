//! Links sent to a person's own address: a password reset and an email
//! verification. Each is a random single-use token of which only the
//! SHA-256 is stored; the database decides, with a conditional update,
//! that a token is used once and that links are not sent too often.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use entity::{account_token, user};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::types::{check_password, normalise_email};
use super::{lockout, sessions};
use crate::http::extract::Json;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::credentials::tokens;
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// A reset link is good for half an hour.
pub const RESET_TTL: Duration = Duration::minutes(30);
/// A verification link, for a week (mail is read late).
pub const VERIFICATION_TTL: Duration = Duration::days(7);
/// At most one reset email per account in this time, however often asked.
pub const RESET_EVERY: Duration = Duration::minutes(2);
/// At most one verification email per account in this time.
pub const VERIFICATION_EVERY: Duration = Duration::minutes(10);

const RESET: &str = "password-reset";
const VERIFICATION: &str = "email-verification";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(resend_verification))
        .routes(routes!(confirm_verification))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetIn {
    /// The account's address. Whatever it is, the answer is the same.
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmIn {
    /// The code from the reset email.
    pub token: String,
    /// 12–256 characters.
    #[schema(min_length = 12, max_length = 256)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailVerificationConfirmIn {
    /// The code from the verification email.
    pub token: String,
}

/// Claims the right to send `purpose`'s email to the person now: the
/// database sets the time sent only if the last was long enough ago.
async fn may_send(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    column: user::Column,
    every: Duration,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let claimed = user::Entity::update_many()
        .col_expr(column, Expr::val(now))
        .filter(user::Column::Id.eq(user_id))
        .filter(
            Condition::any()
                .add(column.is_null())
                .add(column.lte(now - every)),
        )
        .exec(conn)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Records a new single-use token and the event that emails it.
async fn send_link(
    conn: &impl ConnectionTrait,
    person: &user::Model,
    kind: Kind,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let token = tokens::new_refresh_token();
    let expires_at = now + ttl;
    account_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(person.id),
        // An account's owner told of a registration gets a reset code.
        purpose: Set(if kind == Kind::EmailVerification {
            VERIFICATION
        } else {
            RESET
        }
        .to_string()),
        token_hash: Set(tokens::hash_refresh_token(&token)),
        email: Set(person.email.clone()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    events::emit(
        conn,
        now,
        Event::account(kind, person.id, &token, expires_at),
    )
    .await
}

/// Sends a new account its verification link; call it in the write that
/// made the account.
pub async fn send_verification(
    conn: &impl ConnectionTrait,
    person: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if may_send(
        conn,
        person.id,
        user::Column::VerificationSentAt,
        VERIFICATION_EVERY,
        now,
    )
    .await?
    {
        send_link(conn, person, Kind::EmailVerification, VERIFICATION_TTL, now).await?;
    }
    Ok(())
}

/// Tells the owner of an address that someone tried to register it, with a
/// code to choose a new password (at most one such email, or reset, every
/// two minutes; none to a disabled account). Registration answers the same
/// as for a new address, so only the owner learns that the account exists.
pub async fn tell_owner(
    conn: &impl ConnectionTrait,
    owner: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if owner.disabled
        || !may_send(
            conn,
            owner.id,
            user::Column::PasswordResetSentAt,
            RESET_EVERY,
            now,
        )
        .await?
    {
        return Ok(());
    }
    send_link(conn, owner, Kind::AccountExists, RESET_TTL, now).await?;
    audit::record(
        conn,
        now,
        AuditEvent::new(
            None,
            "user.registration-attempted",
            EntityKind::User,
            owner.id,
        ),
    )
    .await
}

/// Uses a token once: the database marks it used only if it is of this
/// purpose, unused and unexpired. Returns whose it was and the address it
/// was sent to.
async fn use_token(
    conn: &impl ConnectionTrait,
    purpose: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<account_token::Model>, DbErr> {
    let used = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::val(now))
        .filter(account_token::Column::TokenHash.eq(tokens::hash_refresh_token(token)))
        .filter(account_token::Column::Purpose.eq(purpose))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
        .exec_with_returning(conn)
        .await?;
    Ok(used.into_iter().next())
}

/// Marks the address verified if it is still the one the link went to.
async fn verify_address(
    conn: &impl ConnectionTrait,
    used: &account_token::Model,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let verified = user::Entity::update_many()
        .col_expr(user::Column::EmailVerifiedAt, Expr::val(now))
        .filter(user::Column::Id.eq(used.user_id))
        .filter(user::Column::Email.eq(&used.email))
        .filter(user::Column::EmailVerifiedAt.is_null())
        .exec(conn)
        .await?;
    Ok(verified.rows_affected == 1)
}

fn bad_token() -> ApiError {
    ApiError::invalid(
        "token",
        "is not a valid code: it may have expired or been used already",
    )
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
    let Some(email) = normalise_email(&input.email) else {
        return Ok(StatusCode::ACCEPTED);
    };
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let person = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .filter(user::Column::Disabled.eq(false))
        .one(&txn)
        .await?;
    if let Some(person) = person
        && may_send(
            &txn,
            person.id,
            user::Column::PasswordResetSentAt,
            RESET_EVERY,
            now,
        )
        .await?
    {
        send_link(&txn, &person, Kind::PasswordReset, RESET_TTL, now).await?;
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                None,
                "user.password-reset-requested",
                EntityKind::User,
                person.id,
            ),
        )
        .await?;
    }
    txn.commit().await?;
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
        (status = 422, description = "The code is not valid (expired, used, or never issued), or the password is too short or long", body = crate::http::problem::Problem),
    ),
)]
async fn confirm_reset(
    State(state): State<AppState>,
    Json(input): Json<PasswordResetConfirmIn>,
) -> ApiResult<StatusCode> {
    let mut v = Validator::default();
    check_password(&mut v, "new_password", &input.new_password);
    v.finish()?;
    // Hash before the transaction: never hold the write lock for the hash's CPU.
    let new_hash = state.passwords.hash(input.new_password).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let used = use_token(&txn, RESET, &input.token, now)
        .await?
        .ok_or_else(bad_token)?;
    let person = user::Entity::find_by_id(used.user_id)
        .one(&txn)
        .await?
        .filter(|p| !p.disabled)
        .ok_or_else(bad_token)?;
    let mut changed: user::ActiveModel = person.clone().into();
    changed.password_hash = Set(new_hash);
    changed.updated_at = Set(now);
    changed.update(&txn).await?;
    verify_address(&txn, &used, now).await?;
    // Any other reset link still out there stops working too.
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::val(now))
        .filter(account_token::Column::UserId.eq(person.id))
        .filter(account_token::Column::Purpose.eq(RESET))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let ended =
        sessions::revoke_all_of_user(&txn, person.id, None, sessions::REASON_PASSWORD_RESET, now)
            .await?;
    lockout::clear(&txn, &person.email).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(None, "user.password-reset", EntityKind::User, person.id)
            .changes(json!({ "sessions_ended": ended })),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
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
        (status = 409, description = "Your address is already verified", body = crate::http::problem::Problem),
        (status = 429, description = "One was sent less than ten minutes ago; see Retry-After", body = crate::http::problem::Problem,
         headers(("Retry-After" = u64, description = "Seconds until another can be sent"))),
    ),
    security(("bearer" = []))
)]
async fn resend_verification(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<StatusCode> {
    if user.user.email_verified_at.is_some() {
        return Err(ApiError::Conflict(
            "your address is already verified".into(),
        ));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if !may_send(
        &txn,
        user.id(),
        user::Column::VerificationSentAt,
        VERIFICATION_EVERY,
        now,
    )
    .await?
    {
        let last = user.user.verification_sent_at.unwrap_or(now);
        let wait = (last + VERIFICATION_EVERY - now).num_seconds().max(1);
        return Err(ApiError::TooManyRequests {
            detail: "a verification email was sent less than ten minutes ago".into(),
            retry_after_secs: u64::try_from(wait).unwrap_or(1),
        });
    }
    send_link(
        &txn,
        &user.user,
        Kind::EmailVerification,
        VERIFICATION_TTL,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::ACCEPTED)
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
        (status = 422, description = "The code is not valid (expired, used, or never issued)", body = crate::http::problem::Problem),
    ),
)]
async fn confirm_verification(
    State(state): State<AppState>,
    Json(input): Json<EmailVerificationConfirmIn>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let used = use_token(&txn, VERIFICATION, &input.token, now)
        .await?
        .ok_or_else(bad_token)?;
    if verify_address(&txn, &used, now).await? {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(used.user_id),
                "user.email-verified",
                EntityKind::User,
                used.user_id,
            )
            .changes(json!({ "email": used.email })),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
