//! Recovering an account and proving an address: asking for a password
//! reset, setting a new password with its code, and verifying an address
//! with the code sent to it (the links themselves are `links`').

use entity::user;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::links::{
    EMAIL_CHANGE, RESET, RESET_EVERY, RESET_TTL, VERIFICATION, VERIFICATION_EVERY,
    VERIFICATION_TTL, bad_token, may_send, send_link, use_token, use_up, verify_address,
};
use super::types::{
    EmailVerificationConfirmIn, PasswordResetConfirmIn, PasswordResetIn, check_password,
    normalise_email,
};
use super::{lockout, sessions};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Emails a reset code to the account of the address, if it has one that is
/// not disabled, at most once every two minutes. Whatever the address, the
/// answer is the same: nobody learns from it who is registered.
pub async fn request_reset(state: &AppState, input: PasswordResetIn) -> ApiResult<()> {
    let Some(email) = normalise_email(&input.email) else {
        return Ok(());
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
        AuditEvent::new(
            None,
            "user.password-reset-requested",
            EntityKind::User,
            person.id,
        )
        .record(&txn, now)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Sets a new password with a reset code (422 when the code is expired,
/// used or unknown). Every session of the account ends; the address is
/// verified, as the code proves it is theirs; the sign-in lock-out is lifted;
/// a change of address asked for and not yet confirmed is called off (it
/// may have been asked for by whoever had the old password).
pub async fn confirm_reset(state: &AppState, input: PasswordResetConfirmIn) -> ApiResult<()> {
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
    // Any other reset link still out there stops working too, and so
    // does the code of a change of address not yet confirmed.
    use_up(&txn, person.id, RESET, now).await?;
    use_up(&txn, person.id, EMAIL_CHANGE, now).await?;
    let ended =
        sessions::revoke_all_of_user(&txn, person.id, None, sessions::REASON_PASSWORD_RESET, now)
            .await?;
    lockout::clear(&txn, &person.email).await?;
    AuditEvent::new(None, "user.password-reset", EntityKind::User, person.id)
        .changes(json!({ "sessions_ended": ended }))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Sends the caller's verification email again: 409 when their address is
/// already verified, 429 when one was sent in the last ten minutes.
pub async fn resend_verification(state: &AppState, caller: &AuthUser) -> ApiResult<()> {
    if caller.user.email_verified_at.is_some() {
        return Err(ApiError::Conflict(
            "your address is already verified".into(),
        ));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if !may_send(
        &txn,
        caller.id(),
        user::Column::VerificationSentAt,
        VERIFICATION_EVERY,
        now,
    )
    .await?
    {
        let last = caller.user.verification_sent_at.unwrap_or(now);
        let wait = (last + VERIFICATION_EVERY - now).num_seconds().max(1);
        return Err(ApiError::TooManyRequests {
            detail: "a verification email was sent less than ten minutes ago".into(),
            retry_after_secs: u64::try_from(wait).unwrap_or(1),
        });
    }
    send_link(
        &txn,
        &caller.user,
        Kind::EmailVerification,
        VERIFICATION_TTL,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Verifies an address with the code sent to it (no sign-in needed: the
/// email may be read on another device). The code works once, within seven
/// days, and only for the address it was sent to (422 otherwise).
pub async fn confirm_verification(
    state: &AppState,
    input: EmailVerificationConfirmIn,
) -> ApiResult<()> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let used = use_token(&txn, VERIFICATION, &input.token, now)
        .await?
        .ok_or_else(bad_token)?;
    if verify_address(&txn, &used, now).await? {
        AuditEvent::new(
            Some(used.user_id),
            "user.email-verified",
            EntityKind::User,
            used.user_id,
        )
        .changes(json!({ "email": used.email }))
        .record(&txn, now)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
