//! Attendance: who came and who sent apologies, recorded by the secretary
//! once the meeting has started, never for a cancelled one.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{MeetingStatus, meeting, meeting_attendance, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::queries::{MeetingLock, attendance_summaries, lock_meeting};
use super::types::{AttendanceIn, AttendanceOut};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};

const MAX_ATTENDANCE: usize = 1_000;

/// The people named, each known and named once (422 otherwise).
async fn people_named(
    conn: &impl ConnectionTrait,
    input: &AttendanceIn,
) -> ApiResult<HashMap<Uuid, user::Model>> {
    if input.entries.len() > MAX_ATTENDANCE {
        return Err(ApiError::invalid(
            "entries",
            format!("at most {MAX_ATTENDANCE} people"),
        ));
    }
    let people: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(input.entries.iter().map(|e| e.user_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    for (i, entry) in input.entries.iter().enumerate() {
        if !people.contains_key(&entry.user_id) {
            errors.push(FieldError::new(
                format!("entries[{i}].user_id"),
                "no user has this id",
            ));
        } else if !seen.insert(entry.user_id) {
            errors.push(FieldError::new(
                format!("entries[{i}].user_id"),
                "appears more than once",
            ));
        }
    }
    if errors.is_empty() {
        Ok(people)
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn open_for_attendance(meeting: &meeting::Model, now: DateTime<Utc>) -> ApiResult<()> {
    if meeting.status == MeetingStatus::Cancelled {
        return Err(ApiError::Conflict(
            "this meeting was cancelled; it has no attendance".into(),
        ));
    }
    if now < meeting.starts_at {
        return Err(ApiError::Conflict(
            "attendance can be recorded once the meeting has started".into(),
        ));
    }
    Ok(())
}

/// Records who attended and who sent apologies (secretary, chair, admins;
/// once the meeting has started, and not for a cancelled meeting: 409).
/// The list replaces the one recorded before. The meeting shows the
/// attendance figures, so a change to the list raises the meeting's
/// version; the same list again changes nothing. With `if_match`, a list
/// made from a meeting that has changed since is refused (412): it would
/// replace a list its sender never saw.
pub async fn record_attendance(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: AttendanceIn,
    if_match: &IfMatch,
) -> ApiResult<AttendanceOut> {
    let (_, access) = access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    let people = people_named(&state.db, &input).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Attendance lists are written one at a time per meeting, on the meeting
    // as committed now: a cancellation or a move committed first is seen here
    // (409); one being made waits until this list is in.
    let meeting = lock_meeting(&txn, id, MeetingLock::Exclusive).await?;
    open_for_attendance(&meeting, now)?;
    if_match.check(meeting.version)?;
    let recorded: BTreeSet<(Uuid, &'static str)> = meeting_attendance::Entity::find()
        .filter(meeting_attendance::Column::MeetingId.eq(id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a.attendance.as_str()))
        .collect();
    let given: BTreeSet<(Uuid, &'static str)> = input
        .entries
        .iter()
        .map(|e| (e.user_id, e.attendance.as_str()))
        .collect();
    let changed = recorded != given;
    let meeting_version = if changed {
        meeting_attendance::Entity::delete_many()
            .filter(meeting_attendance::Column::MeetingId.eq(id))
            .exec(&txn)
            .await?;
        if !input.entries.is_empty() {
            meeting_attendance::Entity::insert_many(input.entries.iter().map(|entry| {
                meeting_attendance::ActiveModel {
                    meeting_id: Set(id),
                    user_id: Set(entry.user_id),
                    attendance: Set(entry.attendance),
                    organisation_id: Set(people
                        .get(&entry.user_id)
                        .and_then(|p| p.organisation_id)),
                    recorded_by: Set(Some(caller.id())),
                    recorded_at: Set(now),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        // The meeting's figures changed: so does its ETag.
        versioning::touch::<meeting::Entity>(&txn, &meeting, if_match, now)
            .await?
            .version
    } else {
        meeting.version
    };
    let summary = attendance_summaries(&txn, meeting.forum_id, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    if changed {
        AuditEvent::by(
            caller.id(),
            "meeting.attendance-recorded",
            EntityKind::Meeting,
            id,
        )
        .forum(meeting.forum_id)
        .changes(json!({"attended": summary.attended, "apologies": summary.apologies}))
        .record(&txn, now)
        .await?;
    }
    txn.commit().await?;
    Ok(AttendanceOut {
        entries: input.entries,
        summary,
        meeting_version,
    })
}
