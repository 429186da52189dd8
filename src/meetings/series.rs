//! Meeting series: officers schedule a forum's regular meetings once, by a
//! recurrence rule on London's wall clock; each occurrence up to a year
//! ahead is an ordinary meeting that knows its series (the daily job makes
//! the later ones as the year moves on). An occurrence edited by hand
//! becomes an exception; cancelling the series cancels the meetings to
//! come and leaves those past as they are.

mod cancel;
pub mod plain;
mod schedule;
mod types;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use entity::{MeetingStatus, SeriesStatus, meeting, meeting_series};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::recurrence::Recurrence;
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
pub use cancel::cancel_series;
pub use schedule::{preview_series, schedule_series};
pub use types::{CancelSeriesIn, OccurrenceOut, SeriesIn, SeriesOut, SeriesPreviewOut, SplitIn};

/// How far ahead a series' meetings exist.
pub const HORIZON: Duration = Duration::days(365);

pub(super) fn recurrence_of(series: &meeting_series::Model) -> Result<Recurrence, DbErr> {
    Recurrence::new(&series.rule, series.starts_local).map_err(|err| {
        DbErr::Custom(format!(
            "series {}: {} {}",
            series.id, err.part, err.message
        ))
    })
}

/// The rule from `start`, if it is one of the subset; with `expand`, also
/// one that gives a meeting within the next 12 months. What is wrong is
/// noted on `v`, naming the part.
pub(super) fn checked_rule(
    v: &mut Validator,
    rule: &str,
    start: NaiveDateTime,
    now: DateTime<Utc>,
    expand: bool,
) -> Option<Recurrence> {
    let recurrence = match Recurrence::new(rule, start) {
        Ok(recurrence) => recurrence,
        Err(err) => {
            v.check(false, err.field(), &err.describe());
            return None;
        }
    };
    if expand {
        match recurrence.between(now, now + HORIZON) {
            Ok(starts) if starts.is_empty() => {
                v.check(false, "rrule", "gives no meeting in the next 12 months");
            }
            Ok(_) => {}
            Err(err) => {
                v.check(false, err.field(), &err.describe());
            }
        }
    }
    Some(recurrence)
}

/// Makes the series' meetings from `from` to `until` that do not exist
/// yet (the unique occurrence makes a second run add nothing).
pub(super) async fn materialise(
    conn: &impl ConnectionTrait,
    series: &meeting_series::Model,
    recurrence: &Recurrence,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let starts = recurrence
        .between(from, until)
        .map_err(|err| DbErr::Custom(format!("{} {}", err.part, err.message)))?;
    let length = Duration::minutes(i64::from(series.duration_minutes));
    let rows: Vec<meeting::ActiveModel> = starts
        .iter()
        .map(|start| meeting::ActiveModel {
            id: Set(Uuid::now_v7()),
            forum_id: Set(series.forum_id),
            title: Set(series.title.clone()),
            description: Set(series.description.clone()),
            starts_at: Set(*start),
            ends_at: Set(*start + length),
            location: Set(series.location.clone()),
            online_link: Set(series.online_link.clone()),
            status: Set(MeetingStatus::Scheduled),
            cancel_reason: Set(None),
            version: Set(1),
            created_by: Set(series.created_by),
            created_at: Set(now),
            updated_at: Set(now),
            series_id: Set(Some(series.id)),
            occurrence_start: Set(Some(*start)),
            is_exception: Set(false),
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    meeting::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([meeting::Column::SeriesId, meeting::Column::OccurrenceStart])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

pub(super) async fn meetings_of(
    conn: &impl ConnectionTrait,
    series_id: Uuid,
) -> Result<Vec<meeting::Model>, DbErr> {
    meeting::Entity::find()
        .filter(meeting::Column::SeriesId.eq(series_id))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .all(conn)
        .await
}

/// The series and the caller's access to its forum; 404 unless the caller
/// takes part in the forum.
pub(super) async fn load_series(
    state: &AppState,
    id: Uuid,
    caller: &AuthUser,
) -> ApiResult<(meeting_series::Model, ForumAccess)> {
    let series = meeting_series::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting series"))?;
    let access = ForumAccess::load(&state.db, series.forum_id, Some(caller)).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, "meeting series")?;
    Ok((series, access))
}

/// A series and its meetings (the forum's participants; 404 to anyone else).
pub async fn get_series(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<SeriesOut> {
    let (series, _) = load_series(state, id, caller).await?;
    let meetings = meetings_of(&state.db, id).await?;
    Ok(SeriesOut::new(series, meetings))
}

/// The daily job's part: each active series' meetings are made up to a
/// year ahead of `now` (once a day: a series made ahead within the last
/// day is left). Returns the series moved on.
pub async fn extend_all(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let due = meeting_series::Entity::find()
        .filter(meeting_series::Column::Status.eq(SeriesStatus::Active))
        .filter(meeting_series::Column::MaterialisedUntil.lt(now + HORIZON - Duration::days(1)))
        .all(db)
        .await?;
    let mut moved = 0;
    for series in due {
        let recurrence = recurrence_of(&series)?;
        let txn = begin_write(db).await?;
        // From where the last run stopped (a meeting exactly there is in both
        // ranges; the unique occurrence keeps the repeat out).
        materialise(
            &txn,
            &series,
            &recurrence,
            series.materialised_until - Duration::seconds(1),
            now + HORIZON,
            now,
        )
        .await?;
        // Only from where this run read it: a node that moved it on first wins.
        let updated = meeting_series::Entity::update_many()
            .col_expr(
                meeting_series::Column::MaterialisedUntil,
                Expr::val(now + HORIZON),
            )
            .filter(meeting_series::Column::Id.eq(series.id))
            .filter(meeting_series::Column::MaterialisedUntil.eq(series.materialised_until))
            .exec(&txn)
            .await?;
        if updated.rows_affected == 1 {
            txn.commit().await?;
            moved += 1;
        }
    }
    Ok(moved)
}
