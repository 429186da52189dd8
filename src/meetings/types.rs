use chrono::{DateTime, Duration, Utc};
use entity::{MeetingStatus, meeting};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiError;
use crate::patch::nullable;
use crate::validation::Validator;

pub const LONGEST_MEETING: Duration = Duration::hours(12);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingIn {
    /// 1–200 characters.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// UTC, RFC 3339.
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`, at most 12 hours later.
    pub ends_at: DateTime<Utc>,
    /// Where it happens; a location, an online link, or both.
    pub location: Option<String>,
    /// `https://` link to join online.
    pub online_link: Option<String>,
}

/// Only the fields to change. `status` moves `scheduled → held` (not before
/// the start) or `scheduled → cancelled` (with `cancel_reason`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub online_link: Option<Option<String>>,
    pub status: Option<MeetingStatus>,
    pub cancel_reason: Option<String>,
}

impl MeetingPatch {
    pub fn reschedules(&self) -> bool {
        self.starts_at.is_some() || self.ends_at.is_some()
    }
}

/// Who came, as recorded by the secretary.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct AttendanceSummary {
    pub attended: u64,
    pub apologies: u64,
    /// Distinct member organisations with someone there.
    pub organisations_represented: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeetingOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub online_link: Option<String>,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
    /// Rises on every change; send it back in `If-Match`.
    pub version: i32,
    pub attendance: AttendanceSummary,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MeetingOut {
    pub fn new(m: meeting::Model, attendance: AttendanceSummary) -> Self {
        Self {
            id: m.id,
            forum_id: m.forum_id,
            title: m.title,
            description: m.description,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            location: m.location,
            online_link: m.online_link,
            status: m.status,
            cancel_reason: m.cancel_reason,
            version: m.version,
            attendance,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only meetings starting at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only meetings starting before this time.
    pub to: Option<DateTime<Utc>>,
    pub status: Option<MeetingStatus>,
}

fn check_link(v: &mut Validator, link: Option<&str>) {
    if let Some(link) = link {
        v.check(
            link.starts_with("https://") || link.starts_with("http://"),
            "online_link",
            "must be an http:// or https:// URL",
        );
        v.line(link, "online_link", 1, 500);
    }
}

/// Checks a meeting's times and place as they will be after a create or an edit.
pub fn check_schedule(
    v: &mut Validator,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    location: Option<&str>,
    online_link: Option<&str>,
) {
    v.check(ends_at > starts_at, "ends_at", "must be after starts_at");
    v.check(
        ends_at - starts_at <= LONGEST_MEETING,
        "ends_at",
        "a meeting lasts at most 12 hours",
    );
    if let Some(location) = location {
        v.line(location, "location", 1, 500);
    }
    check_link(v, online_link);
    v.check(
        location.is_some() || online_link.is_some(),
        "location",
        "give a location, an online link, or both",
    );
}

impl MeetingIn {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        v.line(&self.title, "title", 1, 200);
        v.text(&self.description, "description", 0, 10_000);
        check_schedule(
            &mut v,
            self.starts_at,
            self.ends_at,
            self.location.as_deref(),
            self.online_link.as_deref(),
        );
        v.finish()
    }
}
