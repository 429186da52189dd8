//! Changing a user account (admins): disabling it, making an admin,
//! linking it to an organisation.

use entity::{organisation, user};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::types::UserPatch;
use crate::auth::{UserOut, sessions};
use crate::kernel::access::{self, AuthUser};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Changes an account. Disabling it ends all its sessions. Admins cannot
/// disable themselves or take away their own admin rights (422), so the
/// platform never loses its last admin by accident. A change that changes
/// nothing writes nothing.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: UserPatch,
) -> ApiResult<UserOut> {
    access::require_admin(caller)?;
    let mut v = Validator::default();
    if let Some(name) = &patch.display_name {
        v.rule::<limits::DisplayName>(name, "display_name");
    }
    let is_self = id == caller.id();
    v.check(
        !(is_self && patch.disabled == Some(true)),
        "disabled",
        "you cannot disable your own account",
    );
    v.check(
        !(is_self && patch.is_admin == Some(false)),
        "is_admin",
        "you cannot remove your own admin rights",
    );
    v.finish()?;
    let Some(target) = user::Entity::find_by_id(id).one(&state.db).await? else {
        return Err(ApiError::not_found("user"));
    };
    if let Some(Some(organisation_id)) = patch.organisation_id
        && organisation::Entity::find_by_id(organisation_id)
            .one(&state.db)
            .await?
            .is_none()
    {
        return Err(ApiError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    }
    let disabling = patch.disabled == Some(true);
    let mut changes = target.clone().into_active_model();
    patch.apply(&mut changes);
    let before = UserOut::from(target);
    if !changes.is_changed() {
        return Ok(before);
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    // Only the columns given are written, so two admins changing different
    // things about one person do not undo each other.
    let updated = changes.update(&txn).await?;
    if disabling {
        // Every session ends, even one started while this was being decided.
        sessions::revoke_all_of_user(&txn, id, None, sessions::REASON_DISABLED, now).await?;
    }
    let out = UserOut::from(updated);
    AuditEvent::by(caller.id(), "user.updated", EntityKind::User, id)
        .changes(audit::diff(
            &audit::snapshot(&before)?,
            &audit::snapshot(&out)?,
        ))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
