//! Editing a forum: its profile (officers) and its settings (admins).

use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::queries;
use super::types::{ForumOut, ForumPatch};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;

/// Edits a forum: its secretary or chair the description and terms of
/// reference, admins also the name and `issue_response_days` (403
/// otherwise). A change that changes nothing writes nothing.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: ForumPatch,
) -> ApiResult<ForumOut> {
    let access = ForumAccess::load(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::EditForumProfile)?;
    if patch.touches_settings() {
        access.require(ForumAction::EditForumSettings)?;
    }
    patch.validate()?;
    let mut changes = access.forum.clone().into_active_model();
    patch.apply(&mut changes);
    let before = queries::forum_out(&state.db, access.forum).await?;
    if !changes.is_changed() {
        return Ok(before);
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    // Only the columns given are written: concurrent edits of different
    // fields (the profile by an officer, the settings by an admin) both stand.
    let out = ForumOut::new(changes.update(&txn).await?, before.region.clone());
    AuditEvent::by(caller.id(), "forum.updated", EntityKind::Forum, id)
        .forum(id)
        .changes(audit::diff(
            &audit::snapshot(&before)?,
            &audit::snapshot(&out)?,
        ))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
