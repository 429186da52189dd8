//! Cancelling a series: the meetings to come are called off, those that
//! have started or passed are left as they are.

use entity::{MeetingStatus, SeriesStatus, meeting, meeting_series};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::types::{CancelSeriesIn, SeriesOut};
use super::{load_series, meetings_of, recurrence_of};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::meetings::events;
use crate::meetings::recurrence;

/// Cancels a series (the forum's officers), with the reason: its meetings
/// still to come are cancelled, and the next of them is told to the
/// participants. Only an active series can be cancelled (409 otherwise).
pub async fn cancel_series(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: CancelSeriesIn,
) -> ApiResult<SeriesOut> {
    let (series, access) = load_series(state, id, caller).await?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    v.rule::<limits::CancelReason>(&input.reason, "reason");
    v.finish()?;
    if !series.status.can_become(SeriesStatus::Cancelled) {
        return Err(ApiError::transition(
            "series",
            series.status.as_str(),
            SeriesStatus::Cancelled.as_str(),
        ));
    }
    let reason = input.reason.trim().to_string();
    let now = state.clock.now();
    // The rule ends at its last meeting before now, so calendars keep the
    // meetings that were and drop those to come. A series with none before
    // keeps its rule: calendars show all of it cancelled.
    let held_before = recurrence_of(&series)?
        .starts_before(now)
        .map_err(|err| DbErr::Custom(err.message))?;
    let rule = match held_before.last() {
        Some(last) => recurrence::until(&series.rule, *last),
        None => series.rule.clone(),
    };
    let txn = begin_write(&state.db).await?;
    // The database decides: only an active series, as read, is cancelled, once.
    let cancelled = meeting_series::Entity::update_many()
        .col_expr(
            meeting_series::Column::Status,
            Expr::val(SeriesStatus::Cancelled.as_str()),
        )
        .col_expr(meeting_series::Column::Rule, Expr::val(rule))
        .col_expr(
            meeting_series::Column::Version,
            Expr::col(meeting_series::Column::Version).add(1),
        )
        .col_expr(meeting_series::Column::UpdatedAt, Expr::val(now))
        .filter(meeting_series::Column::Id.eq(id))
        .filter(meeting_series::Column::Version.eq(series.version))
        .filter(meeting_series::Column::Status.eq(SeriesStatus::Active))
        .exec_with_returning(&txn)
        .await?;
    let Some(series) = cancelled.into_iter().next() else {
        return Err(ApiError::Conflict(
            "this series was changed while your request was being made; read it again".into(),
        ));
    };
    let called_off = meeting::Entity::update_many()
        .col_expr(
            meeting::Column::Status,
            Expr::val(MeetingStatus::Cancelled.as_str()),
        )
        .col_expr(meeting::Column::CancelReason, Expr::val(reason.clone()))
        .col_expr(
            meeting::Column::Version,
            Expr::col(meeting::Column::Version).add(1),
        )
        .col_expr(meeting::Column::UpdatedAt, Expr::val(now))
        .filter(meeting::Column::SeriesId.eq(id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .filter(meeting::Column::StartsAt.gt(now))
        .exec_with_returning(&txn)
        .await?;
    // The next meeting is the one people were told of (and hold in their
    // calendars): its cancellation is sent.
    if let Some(next) = called_off.iter().min_by_key(|m| m.starts_at) {
        let event = events::meeting(Kind::MeetingCancelled, next, Some(caller.id()), None);
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    AuditEvent::by(
        caller.id(),
        "meeting-series.cancelled",
        EntityKind::MeetingSeries,
        id,
    )
    .forum(series.forum_id)
    .changes(json!({"reason": reason, "meetings_cancelled": called_off.len()}))
    .record(&txn, now)
    .await?;
    let meetings = meetings_of(&txn, id).await?;
    txn.commit().await?;
    Ok(SeriesOut::new(series, meetings))
}
