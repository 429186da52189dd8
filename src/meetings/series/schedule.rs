//! Scheduling a series of meetings.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use entity::{SeriesStatus, meeting_series};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::types::{SeriesIn, SeriesOut};
use super::{HORIZON, checked_rule, materialise, meetings_of};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::limits;
use crate::kernel::patch::trimmed;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::meetings::events;
use crate::meetings::matters_arising;
use crate::meetings::recurrence::Recurrence;
use crate::meetings::types::{check_place, check_somewhere};

/// Schedules a series of meetings (the forum's officers): its meetings for
/// the next 12 months are made at once, each an ordinary meeting that
/// knows its series, and the first is announced to the participants, with
/// its calendar invitation and the forum's matters arising on its agenda.
pub async fn schedule_series(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: SeriesIn,
) -> ApiResult<SeriesOut> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::RunMeetings)?;
    let now = state.clock.now();
    let recurrence = validate(&input, now)?;
    let txn = begin_write(&state.db).await?;
    let series = meeting_series::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(trimmed(input.title)),
        description: Set(trimmed(input.description)),
        location: Set(input.location.map(trimmed)),
        online_link: Set(input.online_link.map(trimmed)),
        rule: Set(input.rrule.trim().trim_start_matches("RRULE:").to_string()),
        starts_local: Set(input.starts_at_local),
        duration_minutes: Set(input.duration_minutes),
        status: Set(SeriesStatus::Active),
        materialised_until: Set(now + HORIZON),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
        split_from: Set(None),
    }
    .insert(&txn)
    .await?;
    materialise(&txn, &series, &recurrence, now, now + HORIZON, now).await?;
    let meetings = meetings_of(&txn, series.id).await?;
    if let Some(first) = meetings.first() {
        matters_arising::assemble(&txn, first, now).await?;
        let event = events::meeting(Kind::MeetingScheduled, first, Some(caller.id()), None);
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    let out = SeriesOut::new(series, meetings);
    AuditEvent::by(
        caller.id(),
        "meeting-series.scheduled",
        EntityKind::MeetingSeries,
        out.id,
    )
    .forum(forum_id)
    .changes(json!({
        "rrule": out.rrule,
        "starts_at_local": out.starts_at_local,
        "meetings": out.meetings.len(),
    }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// The starts of the meetings [`schedule_series`] would make now for this
/// request (the forum's officers): the same checks, the same expansion,
/// nothing written — so a preview can never disagree with what is saved.
pub async fn preview_series(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: &SeriesIn,
) -> ApiResult<Vec<DateTime<Utc>>> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::RunMeetings)?;
    let now = state.clock.now();
    validate(input, now)?
        .between(now, now + HORIZON)
        .map_err(|err| ApiError::invalid(err.field(), err.describe()))
}

/// Every field of the request (422 naming each that is wrong), and the
/// rule it gives.
fn validate(input: &SeriesIn, now: DateTime<Utc>) -> ApiResult<Recurrence> {
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
    let recurrence = checked_rule(&mut v, &input.rrule, input.starts_at_local, now, in_future);
    v.finish()?;
    recurrence.ok_or_else(|| ApiError::invalid("rrule", "is not a rule"))
}
