//! Reads the meeting operations share: a meeting locked for a write, and
//! the attendance figures every meeting is shown with.

use std::collections::HashMap;

use entity::{Attendance, meeting, meeting_attendance};
use sea_orm::sea_query::{Expr, Func, LockType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use super::types::{AttendanceSummary, MeetingOut};
use crate::forums::active_member_ids;
use crate::kernel::error::{ApiError, ApiResult};

/// How a write transaction holds the meeting it depends on until it commits.
#[derive(Debug, Clone, Copy)]
pub enum MeetingLock {
    /// Others may read and share-lock it, but nobody may change it: for a
    /// write that must not happen to a meeting changed meanwhile (an RSVP to
    /// a meeting being cancelled), while many such writes go on at once.
    Share,
    /// Nobody else may change it or lock it: for writes to the meeting's
    /// own parts that must happen one at a time (its agenda, its
    /// attendance). Not `FOR UPDATE`: inserting rows that refer to the
    /// meeting (RSVPs, minutes) need not wait for it.
    Exclusive,
}

/// The meeting as it is now, read inside a write transaction and locked
/// until it commits. PostgreSQL makes a locking read wait for any
/// transaction changing the row and then return the row as committed, so
/// what this transaction decides from it stays true until it commits; on
/// SQLite the write transaction itself already excludes every other writer.
pub async fn lock_meeting(
    txn: &DatabaseTransaction,
    meeting_id: Uuid,
    lock: MeetingLock,
) -> ApiResult<meeting::Model> {
    let lock = match lock {
        MeetingLock::Share => LockType::Share,
        MeetingLock::Exclusive => LockType::NoKeyUpdate,
    };
    meeting::Entity::find_by_id(meeting_id)
        .lock(lock)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))
}

/// Attendance figures for some meetings of one forum, in one grouped query:
/// who attended, who sent apologies, and how many organisations were
/// represented (someone attended for them and they are active members).
pub async fn attendance_summaries(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    meeting_ids: &[Uuid],
) -> Result<HashMap<Uuid, AttendanceSummary>, DbErr> {
    if meeting_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let was = |attendance: Attendance| meeting_attendance::Column::Attendance.eq(attendance);
    let counted_when = |condition: Condition, value: meeting_attendance::Column| {
        Expr::case(condition, Expr::col((meeting_attendance::Entity, value)))
    };
    let rows: Vec<(Uuid, i64, i64, i64)> = meeting_attendance::Entity::find()
        .select_only()
        .column(meeting_attendance::Column::MeetingId)
        .column_as(
            Expr::from(Func::count(counted_when(
                Condition::all().add(was(Attendance::Attended)),
                meeting_attendance::Column::UserId,
            ))),
            "attended",
        )
        .column_as(
            Expr::from(Func::count(counted_when(
                Condition::all().add(was(Attendance::Apologies)),
                meeting_attendance::Column::UserId,
            ))),
            "apologies",
        )
        .column_as(
            Expr::from(Func::count_distinct(counted_when(
                Condition::all().add(was(Attendance::Attended)).add(
                    meeting_attendance::Column::OrganisationId
                        .in_subquery(active_member_ids(forum_id)),
                ),
                meeting_attendance::Column::OrganisationId,
            ))),
            "represented",
        )
        .filter(meeting_attendance::Column::MeetingId.is_in(meeting_ids.iter().copied()))
        .group_by(meeting_attendance::Column::MeetingId)
        .into_tuple()
        .all(conn)
        .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|(meeting_id, attended, apologies, represented)| {
            let summary = AttendanceSummary {
                attended: count(attended),
                apologies: count(apologies),
                organisations_represented: count(represented),
            };
            (meeting_id, summary)
        })
        .collect())
}

/// The meeting as the API shows it, with its attendance figures.
pub async fn with_attendance(
    conn: &impl ConnectionTrait,
    meeting: meeting::Model,
) -> ApiResult<MeetingOut> {
    let mut summaries = attendance_summaries(conn, meeting.forum_id, &[meeting.id]).await?;
    let summary = summaries.remove(&meeting.id).unwrap_or_default();
    Ok(MeetingOut::new(meeting, summary))
}

/// Some meetings of one forum as the API shows them, in the order given.
pub async fn all_with_attendance(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    meetings: Vec<meeting::Model>,
) -> Result<Vec<MeetingOut>, DbErr> {
    let ids: Vec<Uuid> = meetings.iter().map(|m| m.id).collect();
    let mut summaries = attendance_summaries(conn, forum_id, &ids).await?;
    Ok(meetings
        .into_iter()
        .map(|m| {
            let summary = summaries.remove(&m.id).unwrap_or_default();
            MeetingOut::new(m, summary)
        })
        .collect())
}
