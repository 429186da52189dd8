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

use axum::extract::State;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Europe::London;
use entity::{MeetingStatus, meeting, meeting_series};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::recurrence::{self, Recurrence};
use super::series::{
    ACTIVE, ENDED, HORIZON, SeriesOut, load_series, materialise, meetings_of, recurrence_of,
};
use super::types::{check_place, check_somewhere};
use crate::http::extract::{Json, Path};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::patch::{nullable, present};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::IfMatch;

/// What changes from the chosen meeting on; what is left out stays as the
/// series has it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitIn {
    /// A meeting of this series still to come: the first of the new series.
    pub from_meeting_id: Uuid,
    /// 1–200 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::MeetingTitle::schema)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::MeetingDescription::schema)]
    pub description: Option<String>,
    /// `null` clears it (a location or an online link must remain).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::MeetingLocation::nullable)]
    pub location: Option<Option<String>>,
    /// `null` clears it (a location or an online link must remain).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::OnlineLink::nullable)]
    pub online_link: Option<Option<String>>,
    /// The new series' first start on London's clock; by default the chosen
    /// meeting's start as the rule gave it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable = false, example = "2027-03-09T14:00:00")]
    pub starts_at_local: Option<NaiveDateTime>,
    /// 15–720.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, minimum = 15, maximum = 720)]
    pub duration_minutes: Option<i32>,
    /// A new rule (the same subset as the series'); by default the series'
    /// own, with a `COUNT` reduced by the meetings before the split.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, example = "FREQ=MONTHLY;BYDAY=2WE;COUNT=4")]
    pub rrule: Option<String>,
}

impl SplitIn {
    fn changes_anything(&self) -> bool {
        self.title.is_some()
            || self.description.is_some()
            || self.location.is_some()
            || self.online_link.is_some()
            || self.starts_at_local.is_some()
            || self.duration_minutes.is_some()
            || self.rrule.is_some()
    }
}

/// The new series as checked, before anything is written.
struct Continuation {
    series: meeting_series::Model,
    recurrence: Recurrence,
    /// The old series' rule from now on: ended before the split, or `None`
    /// when nothing of it comes before (it is then replaced whole).
    old_rule: Option<String>,
}

/// Change a series from one of its meetings on ("this and following"; the forum's officers).
///
/// The series ends before that meeting and a new series, with the changes,
/// continues it (201, its `split_from` naming this one). The meetings
/// already made from that one on move to the new series in order — keeping
/// their RSVPs and agenda, taking the new times and details — and any the
/// new rule has no place for are cancelled. Split at the series' first
/// meeting, this series is `ended` and the new one replaces it whole.
/// Calendar feeds show the old series up to the split and the new one
/// after. The meeting must be scheduled and still to come (409), the series
/// active (409); with `If-Match`, the series' version must match (412).
#[utoipa::path(
    post,
    path = "/meeting-series/{id}/split",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id"), IfMatch),
    request_body = SplitIn,
    responses(
        (status = 201, description = "The new series, with its meetings", body = SeriesOut,
         headers(("Location" = String, description = "The new series' URL"),
                 ("ETag" = String, description = "The new series' version"))),
        (status = 403, description = "Only the forum's officers change meetings", body = crate::http::problem::Problem),
        (status = 404, description = "No such series, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The series is not active, the meeting is not still to come, or the series changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
        (status = 422, description = "A bad field, a meeting of another series, a rule outside the subset, or nothing to change", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn split_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<SplitIn>,
) -> ApiResult<Created<SeriesOut>> {
    let (series, access) = load_series(&state, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    if_match.check(series.version)?;
    if series.status != ACTIVE {
        return Err(ApiError::Conflict(format!(
            "this series is {}; it cannot be changed",
            series.status
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
        Some(m) if moved_on(&state, &m, id).await? => {
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
        None => ended.col_expr(meeting_series::Column::Status, Expr::val(ENDED)),
    };
    let split = ended
        .filter(meeting_series::Column::Id.eq(id))
        .filter(meeting_series::Column::Version.eq(series.version))
        .filter(meeting_series::Column::Status.eq(ACTIVE))
        .exec(&txn)
        .await?;
    if split.rows_affected != 1 {
        return Err(changed_meanwhile(&if_match));
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
        let event = Event::meeting(
            Kind::MeetingRescheduled,
            first,
            Some(user.id()),
            Some(*previous_start),
        );
        events::emit(&txn, now, event).await?;
    }
    let meetings = meetings_of(&txn, new_series.id).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
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
        })),
    )
    .await?;
    txn.commit().await?;
    let out = SeriesOut::new(new_series, meetings);
    let version = out.version;
    Ok(Created::at(format!("/api/v1/meeting-series/{}", out.id), out).tagged(version))
}

/// Whether the meeting is now in a series split from `series_id`.
async fn moved_on(state: &AppState, m: &meeting::Model, series_id: Uuid) -> ApiResult<bool> {
    let Some(now_in) = m.series_id else {
        return Ok(false);
    };
    Ok(meeting_series::Entity::find_by_id(now_in)
        .filter(meeting_series::Column::SplitFrom.eq(series_id))
        .one(&state.db)
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

/// Checks the request (422 naming every bad field) and works out the new
/// series and how the old one ends.
fn continuation(
    series: &meeting_series::Model,
    input: &SplitIn,
    occurrence: DateTime<Utc>,
    now: DateTime<Utc>,
) -> ApiResult<Continuation> {
    let mut v = Validator::default();
    v.check(
        input.changes_anything(),
        "from_meeting_id",
        "send at least one thing to change from this meeting on",
    );
    if let Some(title) = &input.title {
        v.rule::<limits::MeetingTitle>(title, "title");
    }
    if let Some(description) = &input.description {
        v.rule::<limits::MeetingDescription>(description, "description");
    }
    let trimmed = |given: &Option<Option<String>>, stored: &Option<String>| match given {
        Some(value) => value.as_ref().map(|s| s.trim().to_string()),
        None => stored.clone(),
    };
    let location = trimmed(&input.location, &series.location);
    let online_link = trimmed(&input.online_link, &series.online_link);
    check_place(&mut v, location.as_deref(), online_link.as_deref());
    check_somewhere(&mut v, location.is_some(), online_link.is_some());
    let duration = input.duration_minutes.unwrap_or(series.duration_minutes);
    v.check(
        (15..=720).contains(&duration),
        "duration_minutes",
        "must be between 15 and 720",
    );
    let start = input
        .starts_at_local
        .unwrap_or_else(|| occurrence.with_timezone(&London).naive_local());
    v.check(
        start > now.with_timezone(&London).naive_local(),
        "starts_at_local",
        "must be in the future",
    );
    let old = recurrence_of(series)?;
    let before = old
        .starts_before(occurrence)
        .map_err(|err| ApiError::invalid(err.field(), err.describe()))?;
    let rule = match &input.rrule {
        Some(rule) => rule.trim().trim_start_matches("RRULE:").to_string(),
        None => match recurrence::count_of(&series.rule) {
            Some(total) => {
                recurrence::count(&series.rule, total.saturating_sub(before.len()).max(1))
            }
            None => series.rule.clone(),
        },
    };
    let recurrence = match Recurrence::new(&rule, start) {
        Ok(recurrence) => Some(recurrence),
        Err(err) => {
            v.check(false, err.field(), &err.describe());
            None
        }
    };
    if let Some(recurrence) = &recurrence {
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
    let new_series = meeting_series::Model {
        id: Uuid::now_v7(),
        forum_id: series.forum_id,
        title: input
            .title
            .as_ref()
            .map_or_else(|| series.title.clone(), |t| t.trim().to_string()),
        description: input
            .description
            .as_ref()
            .map_or_else(|| series.description.clone(), |d| d.trim().to_string()),
        location,
        online_link,
        rule,
        starts_local: start,
        duration_minutes: duration,
        status: ACTIVE.into(),
        materialised_until: now + HORIZON,
        version: 1,
        created_by: series.created_by,
        created_at: now,
        updated_at: now,
        split_from: Some(series.id),
    };
    Ok(Continuation {
        series: new_series,
        recurrence,
        old_rule: before
            .last()
            .map(|last| recurrence::until(&series.rule, *last)),
    })
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

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule_from::<super::SplitIn>(
            serde_json::json!({"from_meeting_id": uuid::Uuid::nil()}),
        );
    }
}
