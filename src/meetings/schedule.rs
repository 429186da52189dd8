//! Scheduling a meeting.

use entity::{MeetingStatus, meeting};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use super::events;
use super::matters_arising;
use super::types::{MeetingIn, MeetingOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::events::Kind;
use crate::kernel::patch::trimmed;
use crate::kernel::state::AppState;

/// Schedules a meeting of the forum (secretary, chair, admins): its agenda
/// opens with the forum's matters arising, and its participants are told,
/// with a calendar invitation.
pub async fn schedule(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: MeetingIn,
) -> ApiResult<MeetingOut> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    input.validate()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let created = meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(trimmed(input.title)),
        description: Set(trimmed(input.description)),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        location: Set(input.location.map(trimmed)),
        online_link: Set(input.online_link.map(trimmed)),
        status: Set(MeetingStatus::Scheduled),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
        series_id: Set(None),
        occurrence_start: Set(None),
        is_exception: Set(false),
    }
    .insert(&txn)
    .await?;
    // A new agenda opens with what the forum must come back to.
    matters_arising::assemble(&txn, &created, now).await?;
    let scheduled = events::meeting(Kind::MeetingScheduled, &created, Some(caller.id()), None);
    crate::kernel::events::emit(&txn, now, scheduled).await?;
    let out = MeetingOut::new(created, Default::default());
    AuditEvent::by(
        caller.id(),
        "meeting.scheduled",
        EntityKind::Meeting,
        out.id,
    )
    .forum(forum_id)
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}
