//! Request and response bodies of meeting series.

use chrono::{DateTime, NaiveDateTime, Utc};
use entity::{MeetingStatus, meeting, meeting_series};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::patch::{nullable, present};

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

/// The meetings a series would make if it were scheduled now.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesPreviewOut {
    /// Each meeting's start (UTC, RFC 3339), as scheduling the series now
    /// would make them: those of the next 12 months, the rest made later
    /// by the daily job.
    pub starts: Vec<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelSeriesIn {
    /// Told to participants; one line, up to 500 characters.
    #[schema(schema_with = limits::CancelReason::schema)]
    pub reason: String,
}

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
    pub fn changes_anything(&self) -> bool {
        self.title.is_some()
            || self.description.is_some()
            || self.location.is_some()
            || self.online_link.is_some()
            || self.starts_at_local.is_some()
            || self.duration_minutes.is_some()
            || self.rrule.is_some()
    }
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
    pub fn new(s: meeting_series::Model, meetings: Vec<meeting::Model>) -> Self {
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
            status: s.status.as_str().to_string(),
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
