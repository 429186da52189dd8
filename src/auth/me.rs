//! The caller's own account: reading it, changing their display name and
//! their password (and checking the current password, which a change of
//! address needs too).

use entity::user;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use super::links::{self, EMAIL_CHANGE};
use super::types::{MePatch, PasswordChangeIn, UserOut, check_password};
use super::{lockout, sessions};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// The caller's account, as of this request.
pub fn me(caller: &AuthUser) -> UserOut {
    caller.user.clone().into()
}

/// Changes the caller's display name; a change that changes nothing
/// writes nothing.
pub async fn change_me(state: &AppState, caller: &AuthUser, patch: MePatch) -> ApiResult<UserOut> {
    let mut v = Validator::default();
    if let Some(name) = &patch.display_name {
        v.rule::<limits::DisplayName>(name, "display_name");
    }
    v.finish()?;
    let before = audit::snapshot(&UserOut::from(caller.user.clone()))?;
    let mut changes = caller.user.clone().into_active_model();
    patch.apply(&mut changes);
    if !changes.is_changed() {
        return Ok(me(caller));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    let updated: user::Model = changes.update(&txn).await?;
    let out = UserOut::from(updated);
    let after = audit::snapshot(&out)?;
    AuditEvent::new(Some(out.id), "user.updated", EntityKind::User, out.id)
        .changes(audit::diff(&before, &after))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// Checks the caller's current password, which a change to how they sign
/// in needs: a wrong one is 422 on `current_password` and counts towards
/// the sign-in lock-out (429 once locked).
pub(super) async fn check_current_password(
    state: &AppState,
    caller: &AuthUser,
    current_password: String,
) -> ApiResult<()> {
    let now = state.clock.now();
    lockout::check(&state.db, &caller.user.email, now).await?;
    let current_ok = state
        .passwords
        .verify(current_password, Some(caller.user.password_hash.clone()))
        .await?
        .is_right();
    if !current_ok {
        // Counts towards the sign-in lock-out, so a stolen access token cannot
        // be used to guess the password at leisure.
        let txn = begin_write(&state.db).await?;
        lockout::record_failure(&txn, &caller.user.email, now).await?;
        txn.commit().await?;
        return Err(ApiError::invalid("current_password", "is incorrect"));
    }
    Ok(())
}

/// Changes the caller's password, given the current one (a wrong one is
/// 422 and counts towards the sign-in lock-out, 429). Every other session
/// of theirs ends; the one making this change stays signed in. A change of
/// address asked for and not yet confirmed is called off: whoever had the
/// old password may have asked for it.
pub async fn change_password(
    state: &AppState,
    caller: &AuthUser,
    input: PasswordChangeIn,
) -> ApiResult<()> {
    let mut v = Validator::default();
    check_password(&mut v, "new_password", &input.new_password);
    v.finish()?;
    check_current_password(state, caller, input.current_password).await?;
    let now = state.clock.now();
    let new_hash = state.passwords.hash(input.new_password).await?;
    let txn = begin_write(&state.db).await?;
    let user_id = caller.id();
    let mut active = caller.user.clone().into_active_model();
    active.password_hash = Set(new_hash);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    links::use_up(&txn, user_id, EMAIL_CHANGE, now).await?;
    let ended = sessions::revoke_all_of_user(
        &txn,
        user_id,
        Some(caller.session_id),
        sessions::REASON_PASSWORD_CHANGED,
        now,
    )
    .await?;
    AuditEvent::new(
        Some(user_id),
        "user.password-changed",
        EntityKind::User,
        user_id,
    )
    .changes(serde_json::json!({"sessions_ended": ended}))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}
