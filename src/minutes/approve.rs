//! Approving the minutes: `draft → approved`, once, by the chair.

use entity::{ForumRole, MeetingStatus, MinutesStatus, forum_role, meeting, minutes};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::queries::{keep_revision, minutes_of, no_minutes, read_as};
use super::sections;
use super::types::MinutesOut;
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};

/// Approves the minutes: the chair, or the secretary where the forum has no
/// chair (and admins); only once the meeting is held (409 otherwise). They
/// then become public and read-only.
///
/// Approval is a new version of the minutes (the approved text is kept as
/// its last revision). With `If-Match`, minutes changed since the version
/// sent are not approved (412): the caller approves what they read. Of
/// several approvals at once exactly one succeeds; the others are 409.
pub async fn approve(
    state: &AppState,
    caller: &AuthUser,
    meeting_id: Uuid,
    if_match: &IfMatch,
) -> ApiResult<MinutesOut> {
    // The minutes as this request approves them, read first; nothing of them
    // is shown before the caller's access is checked.
    let existing = minutes_of(&state.db, meeting_id).await?;
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, meeting_id, Some(caller)).await?;
    let forum_has_chair = forum_has_chair(&state.db, meeting.forum_id).await?;
    access.require(ForumAction::ApproveMinutes { forum_has_chair })?;
    let existing = existing.ok_or_else(no_minutes)?;
    let to = MinutesStatus::Approved;
    if !existing.status.can_become(to) {
        return Err(ApiError::transition(
            "minutes",
            existing.status.as_str(),
            to.as_str(),
        ));
    }
    // `held` is final: a meeting read as held stays held, so this read is safe.
    if meeting.status != MeetingStatus::Held {
        return Err(ApiError::Conflict(format!(
            "minutes are approved once the meeting is held; it is {}",
            meeting.status.as_str()
        )));
    }
    if_match.check(existing.version)?;
    let now = state.clock.now();
    let mut changes = existing.clone().into_active_model();
    changes.status.set_ne(to);
    changes.approved_by.set_ne(Some(caller.id()));
    changes.approved_at.set_ne(Some(now));

    let txn = begin_write(&state.db).await?;
    // Only if the minutes are still the draft read above: of concurrent
    // approvals, the first to commit wins and the rest find them approved (409).
    let approved = versioning::save::<minutes::Entity>(&txn, &existing, changes, if_match, now)
        .await?
        .into_inner();
    // Read after the conditional update: the sections of the version approved.
    let approved_sections = sections::load_one(&txn, approved.id).await?;
    keep_revision(&txn, &approved, &approved_sections, caller.id(), now).await?;
    crate::kernel::events::emit(&txn, now, events::approved(&meeting, Some(caller.id()))).await?;
    AuditEvent::by(
        caller.id(),
        "minutes.approved",
        EntityKind::Minutes,
        approved.id,
    )
    .forum(meeting.forum_id)
    .changes(json!({"status": {"from": existing.status, "to": to}, "version": approved.version}))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    read_as(&state.db, approved, &meeting, &access).await
}

/// Whether the forum has a chair: where it has none, its secretary approves.
pub(super) async fn forum_has_chair(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
) -> ApiResult<bool> {
    Ok(forum_role::Entity::find()
        .filter(forum_role::Column::ForumId.eq(forum_id))
        .filter(forum_role::Column::Role.eq(ForumRole::Chair))
        .count(conn)
        .await?
        > 0)
}
