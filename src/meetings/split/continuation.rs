//! The series that continues one split at a meeting: its details, time
//! and rule as the request changes them, checked before anything is
//! written, and where the old series' rule now ends.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use entity::{SeriesStatus, meeting_series};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::validation::Validator;
use crate::meetings::recurrence::{self, Recurrence};
use crate::meetings::series::{HORIZON, SplitIn, checked_rule, recurrence_of};
use crate::meetings::types::{check_place, check_somewhere};

/// The new series as checked, before anything is written.
pub(super) struct Continuation {
    pub series: meeting_series::Model,
    pub recurrence: Recurrence,
    /// The old series' rule from now on: ended before the split, or `None`
    /// when nothing of it comes before (it is then replaced whole).
    pub old_rule: Option<String>,
}

/// Checks the request (422 naming every bad field) and works out the new
/// series and how the old one ends.
pub(super) fn continuation(
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
    let recurrence = checked_rule(&mut v, &rule, start, now, true);
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
        status: SeriesStatus::Active,
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
