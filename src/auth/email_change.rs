//! Changing the address of one's own account. It is asked for with the
//! current password and happens only when the new address is proven by the
//! code emailed to it; until then the account keeps its address, and the
//! old address is told of the request (with a code to choose a new
//! password, which calls the change off, in case it was not them).

use entity::user;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use super::events;
use super::links::{
    EMAIL_CHANGE, EMAIL_CHANGE_EVERY, EMAIL_CHANGE_TTL, RESET, RESET_TTL, bad_token, may_send,
    send_link_to, use_token, use_up,
};
use super::me::check_current_password;
use super::sessions;
use super::types::{EmailChangeConfirmIn, EmailChangeIn, EmailChangeOut};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::events::{Kind, emit};
use crate::kernel::state::AppState;

/// Asks to change the caller's address, given their current password (a
/// wrong one is 422 and counts towards the sign-in lock-out, 429, as for a
/// password change). The new address is checked by registration's rule.
/// At most one change is asked for every two minutes (429 with how long to
/// wait), and a new one calls off any before it.
///
/// As at registration, the answer is the same whether or not the new
/// address has an account, so that nobody learns from it who is registered:
/// a new address is sent a code that makes the change; one that has an
/// account is not, and its owner is told instead. Either way the caller's
/// address is told of the request.
pub async fn request_email_change(
    state: &AppState,
    caller: &AuthUser,
    input: EmailChangeIn,
) -> ApiResult<EmailChangeOut> {
    let new_email = input.validate(&caller.user.email)?;
    check_current_password(state, caller, input.current_password).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if !may_send(
        &txn,
        caller.id(),
        user::Column::EmailChangeSentAt,
        EMAIL_CHANGE_EVERY,
        now,
    )
    .await?
    {
        let last = caller.user.email_change_sent_at.unwrap_or(now);
        let wait = (last + EMAIL_CHANGE_EVERY - now).num_seconds().max(1);
        return Err(ApiError::TooManyRequests {
            detail: "a change of address was asked for less than two minutes ago".into(),
            retry_after_secs: u64::try_from(wait).unwrap_or(1),
        });
    }
    // Only the newest request's code changes the address.
    use_up(&txn, caller.id(), EMAIL_CHANGE, now).await?;
    let owner = user::Entity::find()
        .filter(user::Column::Email.eq(&new_email))
        .one(&txn)
        .await?;
    match owner {
        None => {
            send_link_to(
                &txn,
                caller.id(),
                &new_email,
                Kind::EmailChange,
                EMAIL_CHANGE_TTL,
                json!({}),
                now,
            )
            .await?;
        }
        Some(owner) if !owner.disabled => {
            let told = events::account_notice(Kind::EmailTaken, owner.id, &owner.email, json!({}));
            emit(&txn, now, told).await?;
        }
        // A disabled account is sent nothing.
        Some(_) => {}
    }
    send_link_to(
        &txn,
        caller.id(),
        &caller.user.email,
        Kind::EmailChangeRequested,
        RESET_TTL,
        json!({ "new_email": new_email }),
        now,
    )
    .await?;
    AuditEvent::by(
        caller.id(),
        "user.email-change-requested",
        EntityKind::User,
        caller.id(),
    )
    .changes(json!({ "new_email": new_email }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    let detail = format!(
        "We have emailed {new_email}. Use the code in that email within 24 hours to confirm \
         the address; until then your account keeps {}. If {new_email} already has an \
         account, nothing changes and the email tells its owner so.",
        caller.user.email
    );
    Ok(EmailChangeOut { new_email, detail })
}

/// Changes an account's address to the one a change code was sent to (no
/// sign-in needed: the code alone proves the new address is the person's,
/// and the email may be read on another device). The code works once,
/// within 24 hours (422 otherwise). The unique index on addresses decides
/// whether the address is still free: if another account has taken it
/// since, nothing changes (409) and the code can be used again should it
/// be freed.
///
/// The new address is verified, as the code proves it, and the old one is
/// told of the change. Links sent to the old address (password resets)
/// stop working, and every session of the
/// account ends but the one confirming, if it is the account's own: the
/// address is how the account signs in and is recovered, so a sign-in left
/// open elsewhere — on a shared computer, or by whoever learned the
/// password — must not outlive a change of it unseen, as after a password
/// change.
pub async fn confirm_email_change(
    state: &AppState,
    caller: Option<&AuthUser>,
    input: EmailChangeConfirmIn,
) -> ApiResult<()> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let used = use_token(&txn, EMAIL_CHANGE, input.token.trim(), now)
        .await?
        .ok_or_else(bad_token)?;
    let person = user::Entity::find_by_id(used.user_id)
        .one(&txn)
        .await?
        .filter(|p| !p.disabled)
        .ok_or_else(bad_token)?;
    let old_email = person.email.clone();
    let mut changed = person.into_active_model();
    changed.email = Set(used.email.clone());
    changed.email_verified_at = Set(Some(now));
    changed.updated_at = Set(now);
    // On a conflict the transaction is dropped, so the code is not spent.
    changed.update(&txn).await.or_conflict(|| {
        format!(
            "{} has become the address of another account since the change was asked for; \
             your address is still {old_email}",
            used.email
        )
    })?;
    use_up(&txn, used.user_id, RESET, now).await?;
    let keep = caller
        .filter(|c| c.id() == used.user_id)
        .map(|c| c.session_id);
    let ended = sessions::revoke_all_of_user(
        &txn,
        used.user_id,
        keep,
        sessions::REASON_EMAIL_CHANGED,
        now,
    )
    .await?;
    AuditEvent::new(
        Some(used.user_id),
        "user.email-changed",
        EntityKind::User,
        used.user_id,
    )
    .changes(json!({
        "email": { "from": old_email, "to": used.email },
        "sessions_ended": ended,
    }))
    .record(&txn, now)
    .await?;
    // Told at the address it had: the one its owner reads, if the change
    // was not theirs.
    let told = events::account_notice(
        Kind::EmailChanged,
        used.user_id,
        &old_email,
        json!({ "new_email": used.email }),
    );
    emit(&txn, now, told).await?;
    txn.commit().await?;
    Ok(())
}
