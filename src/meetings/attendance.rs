//! Attendance: who came and who sent apologies, recorded by the secretary
//! once the meeting has started, never for a cancelled one.

use std::collections::{BTreeSet, HashMap, HashSet};

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{Attendance, MeetingStatus, meeting, meeting_attendance, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{MeetingLock, attendance_summaries, lock_meeting};
use super::types::AttendanceSummary;
use crate::http::extract::{Json, Path};
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(record_attendance))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceEntry {
    pub user_id: Uuid,
    pub attendance: Attendance,
}

/// The whole attendance list; it replaces whatever was recorded before.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceIn {
    /// At most 1,000 people, each once.
    pub entries: Vec<AttendanceEntry>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AttendanceOut {
    pub entries: Vec<AttendanceEntry>,
    pub summary: AttendanceSummary,
}

const MAX_ATTENDANCE: usize = 1_000;

/// The people named, each known and named once (422 otherwise).
async fn people_named(
    state: &AppState,
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
        .all(&state.db)
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

/// Record who attended and who sent apologies (secretary, chair, admins;
/// once the meeting has started, and not for a cancelled meeting: 409).
///
/// The meeting shows the attendance figures, so a change to the list raises
/// the meeting's version; sending the same list again changes nothing.
#[utoipa::path(
    put,
    path = "/meetings/{id}/attendance",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AttendanceIn,
    responses(
        (status = 200, description = "The attendance as recorded", body = AttendanceOut),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting has not started, or was cancelled", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn record_attendance(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AttendanceIn>,
) -> ApiResult<Json<AttendanceOut>> {
    let (_, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    access.require(ForumAction::RunMeetings)?;
    let people = people_named(&state, &input).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Attendance lists are written one at a time per meeting, on the meeting
    // as committed now: a cancellation or a move committed first is seen here
    // (409); one being made waits until this list is in.
    let meeting = lock_meeting(&txn, id, MeetingLock::Exclusive).await?;
    open_for_attendance(&meeting, now)?;
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
    if changed {
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
                    recorded_by: Set(Some(user.id())),
                    recorded_at: Set(now),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        // The meeting's figures changed: so does its ETag.
        versioning::touch::<meeting::Entity>(&txn, &meeting, &IfMatch::none(), now).await?;
    }
    let summary = attendance_summaries(&txn, meeting.forum_id, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    if changed {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(user.id()),
                "meeting.attendance-recorded",
                EntityKind::Meeting,
                id,
            )
            .forum(meeting.forum_id)
            .changes(json!({"attended": summary.attended, "apologies": summary.apologies})),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Json(AttendanceOut {
        entries: input.entries,
        summary,
    }))
}
