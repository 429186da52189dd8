//! Links sent to a person's own address: a password reset, an email
//! verification and the confirmation of a new address. Each is a random
//! single-use token of which only the SHA-256 is stored, with the address
//! it was sent to; the database decides, with a conditional update, that a
//! token is used once and that links are not sent too often.

use chrono::{DateTime, Duration, Utc};
use entity::{account_token, user};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::events;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::credentials::tokens;
use crate::kernel::error::ApiError;
use crate::kernel::events::{Kind, emit};

/// A reset link is good for half an hour.
pub const RESET_TTL: Duration = Duration::minutes(30);
/// A verification link, for a week (mail is read late).
pub const VERIFICATION_TTL: Duration = Duration::days(7);
/// At most one reset email per account in this time, however often asked.
pub const RESET_EVERY: Duration = Duration::minutes(2);
/// At most one verification email per account in this time.
pub const VERIFICATION_EVERY: Duration = Duration::minutes(10);
/// A new address's confirmation, for a day: the person is waiting for it,
/// and until it is used the change hangs over the account.
pub const EMAIL_CHANGE_TTL: Duration = Duration::hours(24);
/// At most one change of address asked for per account in this time
/// (each sends mail to an address of the asker's choosing).
pub const EMAIL_CHANGE_EVERY: Duration = Duration::minutes(2);

pub const RESET: &str = "password-reset";
pub const VERIFICATION: &str = "email-verification";
pub const EMAIL_CHANGE: &str = "email-change";

/// What a token sent with an email of this kind is for.
fn purpose(kind: Kind) -> &'static str {
    match kind {
        Kind::EmailVerification => VERIFICATION,
        Kind::EmailChange => EMAIL_CHANGE,
        // An account's owner told of a registration, or of a change of
        // address asked for, gets a reset code.
        _ => RESET,
    }
}

/// Claims the right to send `purpose`'s email to the person now: the
/// database sets the time sent only if the last was long enough ago.
pub async fn may_send(
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

/// Records a new single-use token and the event that emails it to the
/// person's address.
pub async fn send_link(
    conn: &impl ConnectionTrait,
    person: &user::Model,
    kind: Kind,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    send_link_to(conn, person.id, &person.email, kind, ttl, json!({}), now).await
}

/// Records a new single-use token for `address`, which it proves when used,
/// and the event that emails it there, saying `told`'s fields too.
pub async fn send_link_to(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    address: &str,
    kind: Kind,
    ttl: Duration,
    told: Value,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let token = tokens::new_refresh_token();
    let expires_at = now + ttl;
    account_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        purpose: Set(purpose(kind).to_string()),
        token_hash: Set(tokens::hash_refresh_token(&token)),
        email: Set(address.to_string()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    emit(
        conn,
        now,
        events::account_link(kind, user_id, address, &token, expires_at, told),
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
    AuditEvent::new(
        None,
        "user.registration-attempted",
        EntityKind::User,
        owner.id,
    )
    .record(conn, now)
    .await
}

/// Uses a token once: the database marks it used only if it is of this
/// purpose, unused and unexpired. Returns whose it was and the address it
/// was sent to.
pub async fn use_token(
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
pub async fn verify_address(
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

/// Makes every link of `purpose` of the person still out there stop
/// working.
pub async fn use_up(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::val(now))
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::Purpose.eq(purpose))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

pub fn bad_token() -> ApiError {
    ApiError::invalid(
        "token",
        "is not a valid code: it may have expired or been used already",
    )
}
