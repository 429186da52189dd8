//! "This and following": changing a series from one of its meetings on.
//!
//! The series keeps its meetings before that one and ends there (its rule
//! gains an `UNTIL` at its last occurrence before); a new series continues
//! it, with the changed details, time or rule. The meetings already made
//! from that one on are carried over rather than recreated, so their RSVPs,
//! agenda items and matters arising stay with them: the first takes the new
//! series' first start, the second its second, and so on (each losing any
//! change made to it by hand); any left over are cancelled and any missing
//! are made. Split at its first occurrence, the whole series is replaced:
//! the old one is `ended` and the new one is the series from then on.

mod continuation;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Europe::London;
use entity::{MeetingStatus, SeriesStatus, meeting, meeting_series};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::series::{HORIZON, SeriesOut, SplitIn, load_series, materialise, meetings_of};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use continuation::{Continuation, continuation};

/// Changes a series from one of its meetings on (the forum's officers):
/// the series ends before that meeting and a new one, with the changes,
/// continues it; the meetings already made from that one on move to the
/// new series in order, and any the new rule has no place for are
/// cancelled. The meeting must be scheduled and still to come (409), the
/// series active (409); a stale `if_match` is 412. Returns the new series.
pub async fn split_series(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: SplitIn,
    if_match: &IfMatch,
) -> ApiResult<SeriesOut> {
    let (series, access) = load_series(state, id, caller).await?;
    access.require(ForumAction::RunMeetings)?;
    if_match.check(series.version)?;
    // Every split ends the series: from the meeting it is split at, or
    // wholly when that is its first.
    if !series.status.can_become(SeriesStatus::Ended) {
        return Err(ApiError::Conflict(format!(
            "this series is {}; it cannot be changed",
            series.status.as_str()
        )));
    }
    let now = state.clock.now();
    let from = meeting::Entity::find_by_id(input.from_meeting_id)
        .filter(meeting::Column::ForumId.eq(series.forum_id))
        .one(&state.db)
        .await?;
    let from = match from {
        Some(m) if m.series_id == Some(id) => m.occurrence_start.map(|o| (m, o)),
        // Moved on by a split of this series made in the meantime.
        Some(m) if moved_on(&state.db, &m, id).await? => {
            return Err(ApiError::Conflict(
                "this meeting has moved to the series that continues this one; change that \
                 series instead"
                    .into(),
            ));
        }
        _ => None,
    };
    let Some((from, occurrence)) = from else {
        return Err(ApiError::invalid(
            "from_meeting_id",
            "is not a meeting of this series",
        ));
    };
    if from.status != MeetingStatus::Scheduled || from.starts_at <= now {
        return Err(ApiError::Conflict(
            "only a meeting still to come can start the series' change".into(),
        ));
    }
    let next = continuation(&series, &input, occurrence, now)?;
    let Continuation {
        series: new_series,
        recurrence: new_recurrence,
        old_rule,
    } = next;

    let txn = begin_write(&state.db).await?;
    // The database decides: only the version read, still active, is split.
    let mut ended = meeting_series::Entity::update_many()
        .col_expr(
            meeting_series::Column::Version,
            Expr::col(meeting_series::Column::Version).add(1),
        )
        .col_expr(meeting_series::Column::UpdatedAt, Expr::val(now));
    ended = match &old_rule {
        Some(rule) => ended.col_expr(meeting_series::Column::Rule, Expr::val(rule.clone())),
        None => ended.col_expr(
            meeting_series::Column::Status,
            Expr::val(SeriesStatus::Ended.as_str()),
        ),
    };
    let split = ended
        .filter(meeting_series::Column::Id.eq(id))
        .filter(meeting_series::Column::Version.eq(series.version))
        .filter(meeting_series::Column::Status.eq(SeriesStatus::Active))
        .exec(&txn)
        .await?;
    if split.rows_affected != 1 {
        return Err(changed_meanwhile(if_match));
    }
    let new_series = new_series
        .into_active_model()
        .reset_all()
        .insert(&txn)
        .await?;
    let moving: Vec<meeting::Model> = meetings_of(&txn, id)
        .await?
        .into_iter()
        .filter(|m| m.status == MeetingStatus::Scheduled)
        .filter(|m| m.occurrence_start.is_some_and(|o| o >= occurrence))
        .collect();
    let starts = new_recurrence
        .between(now, now + HORIZON)
        .map_err(|err| ApiError::invalid(err.field(), err.describe()))?;
    let moved = carry_over(&txn, &new_series, &moving, &starts, now).await?;
    materialise(&txn, &new_series, &new_recurrence, now, now + HORIZON, now).await?;
    if let Some((first, previous_start)) = moved.first()
        && first.starts_at != *previous_start
    {
        let event = events::meeting(
            Kind::MeetingRescheduled,
            first,
            Some(caller.id()),
            Some(*previous_start),
        );
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    let meetings = meetings_of(&txn, new_series.id).await?;
    AuditEvent::by(
        caller.id(),
        "meeting-series.split",
        EntityKind::MeetingSeries,
        id,
    )
    .forum(series.forum_id)
    .changes(json!({
        "from_meeting_id": from.id,
        "continued_by": new_series.id,
        "rrule": {"from": series.rule, "to": old_rule},
        "meetings_moved": moved.len(),
        "meetings_cancelled": moving.len() - moved.len(),
    }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(SeriesOut::new(new_series, meetings))
}

/// Whether the meeting is now in a series split from `series_id`.
async fn moved_on(
    conn: &impl ConnectionTrait,
    m: &meeting::Model,
    series_id: Uuid,
) -> ApiResult<bool> {
    let Some(now_in) = m.series_id else {
        return Ok(false);
    };
    Ok(meeting_series::Entity::find_by_id(now_in)
        .filter(meeting_series::Column::SplitFrom.eq(series_id))
        .one(conn)
        .await?
        .is_some())
}

fn changed_meanwhile(if_match: &IfMatch) -> ApiError {
    let detail = "this series was changed while your request was being made; read it again";
    if if_match.sent() {
        ApiError::PreconditionFailed(detail.into())
    } else {
        ApiError::Conflict(detail.into())
    }
}

/// Moves the meetings to the new series in order, each to the next of its
/// starts, and cancels those left over. Each move is conditional on the
/// version read: a meeting changed meanwhile undoes the whole split (409).
/// Returns each moved meeting with the start it had.
async fn carry_over(
    conn: &impl ConnectionTrait,
    series: &meeting_series::Model,
    moving: &[meeting::Model],
    starts: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> ApiResult<Vec<(meeting::Model, DateTime<Utc>)>> {
    let length = Duration::minutes(i64::from(series.duration_minutes));
    let mut moved = Vec::new();
    for (k, m) in moving.iter().enumerate() {
        let update = meeting::Entity::update_many()
            .col_expr(
                meeting::Column::Version,
                Expr::col(meeting::Column::Version).add(1),
            )
            .col_expr(meeting::Column::UpdatedAt, Expr::val(now));
        let update = match starts.get(k) {
            Some(start) => update
                .col_expr(meeting::Column::SeriesId, Expr::val(series.id))
                .col_expr(meeting::Column::OccurrenceStart, Expr::val(*start))
                .col_expr(meeting::Column::StartsAt, Expr::val(*start))
                .col_expr(meeting::Column::EndsAt, Expr::val(*start + length))
                .col_expr(meeting::Column::Title, Expr::val(series.title.clone()))
                .col_expr(
                    meeting::Column::Description,
                    Expr::val(series.description.clone()),
                )
                .col_expr(
                    meeting::Column::Location,
                    Expr::val(series.location.clone()),
                )
                .col_expr(
                    meeting::Column::OnlineLink,
                    Expr::val(series.online_link.clone()),
                )
                .col_expr(meeting::Column::IsException, Expr::val(false)),
            None => update
                .col_expr(
                    meeting::Column::Status,
                    Expr::val(MeetingStatus::Cancelled.as_str()),
                )
                .col_expr(
                    meeting::Column::CancelReason,
                    Expr::val("The series was changed and no longer meets on this date."),
                ),
        };
        let rows = update
            .filter(meeting::Column::Id.eq(m.id))
            .filter(meeting::Column::Version.eq(m.version))
            .exec_with_returning(conn)
            .await?;
        let Some(row) = rows.into_iter().next() else {
            return Err(ApiError::Conflict(format!(
                "the meeting of {} was changed while your request was being made; read the \
                 series again",
                m.starts_at.with_timezone(&London).format("%-d %B %Y")
            )));
        };
        if starts.get(k).is_some() {
            moved.push((row, m.starts_at));
        }
    }
    Ok(moved)
}
