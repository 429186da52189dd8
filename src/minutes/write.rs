//! Drafting and editing the minutes: the first draft, and every version
//! after it, each kept.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{MeetingStatus, MinutesStatus, agenda_item, meeting, minutes};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::queries::{keep_revision, minutes_of, read_as};
use super::sections::{self, Section};
use super::types::{MinutesIn, MinutesOut};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::{MeetingLock, lock_meeting};

/// What a write of the minutes made: their first version, or a later one
/// (or none, when the text sent is the text kept).
#[derive(Debug)]
pub enum Written {
    First(MinutesOut),
    Edited(MinutesOut),
}

fn cancelled() -> ApiError {
    ApiError::Conflict("this meeting was cancelled; it has no minutes".into())
}

/// Drafts or edits the minutes (secretary, chair, admins).
///
/// The first write takes no `If-Match` (412 if it sends one: there is
/// nothing yet to match); if someone else's first draft is saved first,
/// this one is 409. Every later write must send the version it edits (428
/// without it, 412 when stale), so two editors never overwrite each other.
/// Every version is kept; the text unchanged makes no new version. Approved
/// minutes are read-only (409), and a cancelled meeting has none (409).
pub async fn write(
    state: &AppState,
    caller: &AuthUser,
    meeting_id: Uuid,
    input: MinutesIn,
    if_match: &IfMatch,
) -> ApiResult<Written> {
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, meeting_id, Some(caller)).await?;
    access.require(ForumAction::DraftMinutes)?;
    let agenda = sections::agenda_of(&state.db, meeting_id).await?;
    let written = check_input(&input, &agenda)?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(cancelled());
    }
    let Some(existing) = minutes_of(&state.db, meeting_id).await? else {
        let out = first_draft(state, caller, &access, if_match, meeting_id, written).await?;
        return Ok(Written::First(out));
    };
    // Approval is final, so refusing on what was read is safe; an approval
    // committed after this read raises the version, and the write below loses.
    if existing.status == MinutesStatus::Approved {
        return Err(ApiError::Conflict(
            "these minutes are approved and can no longer be changed".into(),
        ));
    }
    if_match.require(existing.version)?;
    let before = sections::load_one(&state.db, existing.id).await?;
    if before == written {
        let out = read_as(&state.db, existing, &meeting, &access).await?;
        return Ok(Written::Edited(out));
    }

    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Share-locked so that a cancellation cannot commit under this edit.
    let meeting = lock_meeting(&txn, meeting_id, MeetingLock::Share).await?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(cancelled());
    }
    // Only the version read: of two edits of it, the second is refused.
    let saved = versioning::touch::<minutes::Entity>(&txn, &existing, if_match, now).await?;
    sections::replace(&txn, saved.id, &written).await?;
    keep_revision(&txn, &saved, &written, caller.id(), now).await?;
    record_edit(&txn, caller, &meeting, &saved, written.len(), now).await?;
    txn.commit().await?;
    let out = read_as(&state.db, saved, &meeting, &access).await?;
    Ok(Written::Edited(out))
}

/// The sections the request writes: its `sections`, or its `body` as one
/// public section (422 for both or neither, and for every bad section).
fn check_input(
    input: &MinutesIn,
    agenda: &HashMap<Uuid, agenda_item::Model>,
) -> ApiResult<Vec<Section>> {
    let mut v = Validator::default();
    let written = match (&input.sections, &input.body) {
        (Some(given), None) => sections::check(&mut v, given, agenda),
        (None, Some(body)) => {
            v.rule::<limits::MinutesBody>(body, "body");
            sections::single(body)
        }
        _ => {
            v.check(false, "sections", "send either sections or body");
            Vec::new()
        }
    };
    v.finish()?;
    Ok(written)
}

/// The first version of a meeting's minutes, written by a caller whose
/// right to has been checked. Two first drafts sent at once both find no
/// minutes; the unique meeting id lets exactly one in, and the other is
/// told to read what was saved (409) rather than overwrite it.
pub(super) async fn first_draft(
    state: &AppState,
    caller: &AuthUser,
    access: &ForumAccess,
    if_match: &IfMatch,
    meeting_id: Uuid,
    written: Vec<Section>,
) -> ApiResult<MinutesOut> {
    if if_match.sent() {
        return Err(ApiError::PreconditionFailed(
            "this meeting has no minutes yet; send the first draft without If-Match".into(),
        ));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting_id, MeetingLock::Share).await?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(cancelled());
    }
    // Counted rather than returned: a conflict returns no row, which not
    // every backend's RETURNING path reports the same way.
    let inserted = minutes::Entity::insert(minutes::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting_id),
        status: Set(MinutesStatus::Draft),
        version: Set(1),
        approved_by: Set(None),
        approved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(minutes::Column::MeetingId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let created = match minutes_of(&txn, meeting_id).await? {
        Some(created) if inserted == 1 => created,
        _ => {
            return Err(ApiError::Conflict(
                "someone else drafted these minutes while your request was being made; read \
                 them and send your changes with If-Match"
                    .into(),
            ));
        }
    };
    sections::replace(&txn, created.id, &written).await?;
    keep_revision(&txn, &created, &written, caller.id(), now).await?;
    record_edit(&txn, caller, &meeting, &created, written.len(), now).await?;
    txn.commit().await?;
    read_as(&state.db, created, &meeting, access).await
}

/// The audit entry of a version written.
async fn record_edit(
    txn: &impl ConnectionTrait,
    caller: &AuthUser,
    meeting: &meeting::Model,
    saved: &minutes::Model,
    sections: usize,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    AuditEvent::by(caller.id(), "minutes.edited", EntityKind::Minutes, saved.id)
        .forum(meeting.forum_id)
        .changes(json!({"version": saved.version, "sections": sections}))
        .record(txn, now)
        .await?;
    Ok(())
}
