//! Meeting series: officers schedule a forum's regular meetings once, by a
//! recurrence rule on London's wall clock; each occurrence up to a year
//! ahead is an ordinary meeting that knows its series (the daily job makes
//! the later ones as the year moves on). An occurrence edited by hand
//! becomes an exception; cancelling the series cancels the meetings to
//! come and leaves those past as they are.

use axum::extract::State;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Europe::London;
use entity::{MeetingStatus, meeting, meeting_series};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::recurrence::{self, Recurrence};
use super::types::{check_place, check_somewhere};
use crate::http::extract::{Json, Path};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// How far ahead a series' meetings exist.
pub const HORIZON: Duration = Duration::days(365);
pub(super) const ACTIVE: &str = "active";
pub(super) const CANCELLED: &str = "cancelled";
/// Replaced whole by the series that continues it (split at its first meeting).
pub(super) const ENDED: &str = "ended";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_series))
        .routes(routes!(get_series))
        .routes(routes!(cancel_series))
        .routes(routes!(super::split::split_series))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesIn {
    /// 1–200 characters, one line: each meeting's title.
    #[schema(schema_with = limits::MeetingTitle::schema)]
    pub title: String,
    #[serde(default)]
    #[schema(schema_with = limits::MeetingDescription::schema)]
    pub description: String,
    #[schema(schema_with = limits::MeetingLocation::nullable)]
    pub location: Option<String>,
    #[schema(schema_with = limits::OnlineLink::nullable)]
    pub online_link: Option<String>,
    /// The first meeting's start on London's clock (no offset), e.g.
    /// `2027-01-12T10:00:00`; every meeting starts at that local time.
    #[schema(value_type = String, example = "2027-01-12T10:00:00")]
    pub starts_at_local: NaiveDateTime,
    /// 15–720.
    #[schema(minimum = 15, maximum = 720)]
    pub duration_minutes: i32,
    /// RFC 5545 RRULE: `FREQ=WEEKLY|MONTHLY`, `INTERVAL`, `BYDAY` (ordinals
    /// such as `2TU`, `-1TH`), `BYMONTHDAY`, and `COUNT` (at most 120) or
    /// `UNTIL`. Anything else is 422, naming the part.
    #[schema(example = "FREQ=MONTHLY;BYDAY=2TU;COUNT=6")]
    pub rrule: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelSeriesIn {
    /// Told to participants; one line, up to 500 characters.
    #[schema(schema_with = limits::CancelReason::schema)]
    pub reason: String,
}

/// One meeting of a series.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OccurrenceOut {
    pub meeting_id: Uuid,
    pub starts_at: DateTime<Utc>,
    /// The start the rule gave it (its RECURRENCE-ID).
    pub occurrence_start: Option<DateTime<Utc>>,
    pub status: MeetingStatus,
    /// Changed by hand since the rule made it.
    pub is_exception: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SeriesOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    pub description: String,
    pub location: Option<String>,
    pub online_link: Option<String>,
    pub rrule: String,
    #[schema(value_type = String)]
    pub starts_at_local: NaiveDateTime,
    pub duration_minutes: i32,
    /// `active`, `cancelled`, or `ended` (replaced whole by a split at its
    /// first meeting).
    pub status: String,
    /// Its meetings exist up to here (a year ahead, moved on daily).
    pub materialised_until: DateTime<Utc>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The series this one continues ("this and following"), if any.
    pub split_from: Option<Uuid>,
    /// Its meetings so far, soonest first.
    pub meetings: Vec<OccurrenceOut>,
}

impl SeriesOut {
    pub(super) fn new(s: meeting_series::Model, meetings: Vec<meeting::Model>) -> Self {
        Self {
            id: s.id,
            forum_id: s.forum_id,
            title: s.title,
            description: s.description,
            location: s.location,
            online_link: s.online_link,
            rrule: s.rule,
            starts_at_local: s.starts_local,
            duration_minutes: s.duration_minutes,
            status: s.status,
            materialised_until: s.materialised_until,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
            split_from: s.split_from,
            meetings: meetings
                .into_iter()
                .map(|m| OccurrenceOut {
                    meeting_id: m.id,
                    starts_at: m.starts_at,
                    occurrence_start: m.occurrence_start,
                    status: m.status,
                    is_exception: m.is_exception,
                })
                .collect(),
        }
    }
}

pub(super) fn recurrence_of(series: &meeting_series::Model) -> Result<Recurrence, DbErr> {
    Recurrence::new(&series.rule, series.starts_local).map_err(|err| {
        DbErr::Custom(format!(
            "series {}: {} {}",
            series.id, err.part, err.message
        ))
    })
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

/// Schedule a series of meetings (the forum's officers).
///
/// Its meetings for the next 12 months are made at once, each an ordinary
/// meeting (RSVPs, agenda, minutes) that knows its series; later ones are
/// made by the daily job. The first is announced to the participants, with
/// its calendar invitation.
#[utoipa::path(
    post,
    path = "/forums/{id}/meeting-series",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = SeriesIn,
    responses(
        (status = 201, description = "The series, with its meetings", body = SeriesOut,
         headers(("Location" = String, description = "The series' URL"),
                 ("ETag" = String, description = "The series' version"))),
        (status = 403, description = "Only the forum's officers schedule meetings", body = crate::http::problem::Problem),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 422, description = "A bad field, or a rule outside the subset (naming the part)", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<SeriesIn>,
) -> ApiResult<Created<SeriesOut>> {
    ForumAccess::load(&state.db, forum_id, Some(&user))
        .await?
        .require(ForumAction::RunMeetings)?;
    let now = state.clock.now();
    let mut v = Validator::default();
    v.rule::<limits::MeetingTitle>(&input.title, "title");
    v.rule::<limits::MeetingDescription>(&input.description, "description");
    check_place(
        &mut v,
        input.location.as_deref(),
        input.online_link.as_deref(),
    );
    check_somewhere(
        &mut v,
        input.location.is_some(),
        input.online_link.is_some(),
    );
    v.check(
        (15..=720).contains(&input.duration_minutes),
        "duration_minutes",
        "must be between 15 and 720",
    );
    let local_now = now.with_timezone(&London).naive_local();
    let in_future = input.starts_at_local > local_now;
    v.check(in_future, "starts_at_local", "must be in the future");
    let recurrence = match Recurrence::new(&input.rrule, input.starts_at_local) {
        Ok(recurrence) => Some(recurrence),
        Err(err) => {
            v.check(false, err.field(), &err.describe());
            None
        }
    };
    if let Some(recurrence) = recurrence.as_ref().filter(|_| in_future) {
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
    v.finish()?;
    let Some(recurrence) = recurrence else {
        return Err(ApiError::invalid("rrule", "is not a rule"));
    };
    let txn = begin_write(&state.db).await?;
    let series = meeting_series::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        location: Set(input.location.map(|l| l.trim().to_string())),
        online_link: Set(input.online_link.map(|l| l.trim().to_string())),
        rule: Set(input.rrule.trim().trim_start_matches("RRULE:").to_string()),
        starts_local: Set(input.starts_at_local),
        duration_minutes: Set(input.duration_minutes),
        status: Set(ACTIVE.into()),
        materialised_until: Set(now + HORIZON),
        version: Set(1),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
        split_from: Set(None),
    }
    .insert(&txn)
    .await?;
    materialise(&txn, &series, &recurrence, now, now + HORIZON, now).await?;
    let meetings = meetings_of(&txn, series.id).await?;
    if let Some(first) = meetings.first() {
        super::matters_arising::assemble(&txn, first, now).await?;
        let event = Event::meeting(Kind::MeetingScheduled, first, Some(user.id()), None);
        events::emit(&txn, now, event).await?;
    }
    let out = SeriesOut::new(series, meetings);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "meeting-series.scheduled", EntityKind::MeetingSeries, out.id)
            .forum(forum_id)
            .changes(json!({"rrule": out.rrule, "starts_at_local": out.starts_at_local, "meetings": out.meetings.len()})),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/meeting-series/{}", out.id), out).tagged(version))
}

pub(super) async fn load_series(
    state: &AppState,
    id: Uuid,
    user: &AuthUser,
) -> ApiResult<(meeting_series::Model, ForumAccess)> {
    let series = meeting_series::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting series"))?;
    let access = ForumAccess::load(&state.db, series.forum_id, Some(user)).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, "meeting series")?;
    Ok((series, access))
}

/// A series and its meetings (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/meeting-series/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id")),
    responses(
        (status = 200, description = "The series", body = SeriesOut,
         headers(("ETag" = String, description = "The series' version"))),
        (status = 404, description = "No such series, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<SeriesOut>> {
    let (series, _) = load_series(&state, id, &user).await?;
    let meetings = meetings_of(&state.db, id).await?;
    Ok(Tagged::new(
        series.version,
        SeriesOut::new(series, meetings),
    ))
}

/// Cancel a series (the forum's officers).
///
/// Its meetings still to come are cancelled, with the reason; those that
/// have started or passed are left as they are. A series already cancelled
/// is 409.
#[utoipa::path(
    post,
    path = "/meeting-series/{id}/cancel",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id")),
    request_body = CancelSeriesIn,
    responses(
        (status = 200, description = "The series, cancelled", body = SeriesOut,
         headers(("ETag" = String, description = "The series' version now"))),
        (status = 403, description = "Only the forum's officers cancel meetings", body = crate::http::problem::Problem),
        (status = 404, description = "No such series, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Already cancelled or ended, or changed meanwhile", body = crate::http::problem::Problem),
        (status = 422, description = "No reason given", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn cancel_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<CancelSeriesIn>,
) -> ApiResult<Tagged<SeriesOut>> {
    let (series, access) = load_series(&state, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    v.rule::<limits::CancelReason>(&input.reason, "reason");
    v.finish()?;
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
        .col_expr(meeting_series::Column::Status, Expr::val(CANCELLED))
        .col_expr(meeting_series::Column::Rule, Expr::val(rule))
        .col_expr(
            meeting_series::Column::Version,
            Expr::col(meeting_series::Column::Version).add(1),
        )
        .col_expr(meeting_series::Column::UpdatedAt, Expr::val(now))
        .filter(meeting_series::Column::Id.eq(id))
        .filter(meeting_series::Column::Version.eq(series.version))
        .filter(meeting_series::Column::Status.eq(ACTIVE))
        .exec_with_returning(&txn)
        .await?;
    let Some(series) = cancelled.into_iter().next() else {
        return Err(ApiError::Conflict(if series.status == ACTIVE {
            "this series was changed while your request was being made; read it again".into()
        } else {
            format!("this series is {}; it cannot be cancelled", series.status)
        }));
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
        let event = Event::meeting(Kind::MeetingCancelled, next, Some(user.id()), None);
        events::emit(&txn, now, event).await?;
    }
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "meeting-series.cancelled",
            EntityKind::MeetingSeries,
            id,
        )
        .forum(series.forum_id)
        .changes(json!({"reason": reason, "meetings_cancelled": called_off.len()})),
    )
    .await?;
    let meetings = meetings_of(&txn, id).await?;
    txn.commit().await?;
    Ok(Tagged::new(
        series.version,
        SeriesOut::new(series, meetings),
    ))
}

/// The daily job's part: each active series' meetings are made up to a
/// year ahead of `now` (once a day: a series made ahead within the last
/// day is left). Returns the series moved on.
pub async fn extend_all(
    db: &sea_orm::DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let due = meeting_series::Entity::find()
        .filter(meeting_series::Column::Status.eq(ACTIVE))
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
