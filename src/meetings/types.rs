//! Request and response bodies of meetings, and the rules their fields keep.

use chrono::{DateTime, Duration, Utc};
use entity::{Attendance, MeetingStatus, RsvpResponse, meeting};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::limits;
use crate::kernel::patch::{self, Apply, nullable, present};
use crate::kernel::validation::Validator;

pub const LONGEST_MEETING: Duration = Duration::hours(12);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingIn {
    /// 1–200 characters, one line.
    #[schema(schema_with = limits::MeetingTitle::schema)]
    pub title: String,
    /// Markdown, up to 10,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::MeetingDescription::schema)]
    pub description: String,
    /// UTC, RFC 3339.
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`, at most 12 hours later.
    pub ends_at: DateTime<Utc>,
    /// Where it happens (one line); a location, an online link, or both.
    #[schema(schema_with = limits::MeetingLocation::nullable)]
    pub location: Option<String>,
    /// `https://` link to join online.
    #[schema(schema_with = limits::OnlineLink::nullable)]
    pub online_link: Option<String>,
}

/// Only the fields to change. `status` moves `scheduled → held` (not before
/// the start) or `scheduled → cancelled` (with `cancel_reason`). `location`
/// and `online_link` may be cleared with `null` (one of them must remain);
/// the other fields cannot be cleared, and `null` for them is refused (422).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingPatch {
    /// 1–200 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::MeetingTitle::schema)]
    pub title: Option<String>,
    /// Markdown, up to 10,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::MeetingDescription::schema)]
    pub description: Option<String>,
    /// UTC, RFC 3339; only while the meeting is scheduled.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub starts_at: Option<DateTime<Utc>>,
    /// After `starts_at`, at most 12 hours later; only while the meeting is scheduled.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub ends_at: Option<DateTime<Utc>>,
    /// One line, up to 500 characters; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::MeetingLocation::nullable)]
    pub location: Option<Option<String>>,
    /// `https://` link to join online; `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::OnlineLink::nullable)]
    pub online_link: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<MeetingStatus>,
    /// Why the meeting is cancelled (one line, up to 500 characters): required
    /// with `"status": "cancelled"`, and may correct the reason of a
    /// cancelled meeting.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::CancelReason::schema)]
    pub cancel_reason: Option<String>,
}

impl Apply for MeetingPatch {
    type ActiveModel = meeting::ActiveModel;

    /// Every field but `status`, whose move the state machine decides.
    fn apply(self, to: &mut meeting::ActiveModel) {
        let trimmed = |text: Option<String>| text.map(patch::trimmed);
        patch::set(&mut to.title, trimmed(self.title));
        patch::set(&mut to.description, trimmed(self.description));
        patch::set(&mut to.starts_at, self.starts_at);
        patch::set(&mut to.ends_at, self.ends_at);
        patch::set(&mut to.location, self.location.map(trimmed));
        patch::set(&mut to.online_link, self.online_link.map(trimmed));
        patch::set(
            &mut to.cancel_reason,
            self.cancel_reason.map(Some).map(trimmed),
        );
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
    /// The series it is a meeting of, if any (`GET /meeting-series/{id}`).
    pub series_id: Option<Uuid>,
    /// A meeting of a series changed by hand since the rule made it.
    pub is_exception: bool,
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
            series_id: m.series_id,
            is_exception: m.is_exception,
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
    /// The latest first (default `false`: the soonest first). A search
    /// keeps its best match first.
    #[serde(default)]
    pub latest_first: bool,
    /// Words to search for in the title, description and place (1–200
    /// characters): the matching meetings, best match first.
    /// Without letters or digits, no search.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpIn {
    pub response: RsvpResponse,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RsvpOut {
    pub meeting_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub organisation_id: Option<Uuid>,
    /// The name of the organisation they speak for; `null` for none.
    pub organisation_name: Option<String>,
    pub response: RsvpResponse,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RsvpCounts {
    pub yes: u64,
    pub no: u64,
    pub maybe: u64,
}

/// The answers so far: counts, and a page of who said what.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RsvpList {
    pub counts: RsvpCounts,
    pub items: Vec<RsvpOut>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RsvpQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
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
    /// The meeting's version now (also the `ETag`): send it back in
    /// `If-Match` with the next list.
    pub meeting_version: i32,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Your calendar-feed token (from `GET /me/calendar-feed`), for apps that
    /// cannot send a bearer token.
    pub token: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedForum {
    pub forum_id: Uuid,
    pub name: String,
    /// Subscribe to this in a calendar app. Keep it secret: it shows the
    /// forum's meetings to whoever has it. Absolute when the server knows its
    /// public address (`CONVENE_PUBLIC_URL`), otherwise a path on this server.
    pub url: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarFeedOut {
    /// Your feed token; `POST /me/calendar-feed/rotate` replaces it.
    pub token: String,
    /// A feed URL for each forum you take part in.
    pub forums: Vec<FeedForum>,
}

/// A meeting's times: in order, and not longer than a day's session.
pub fn check_times(v: &mut Validator, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) {
    v.check(ends_at > starts_at, "ends_at", "must be after starts_at");
    v.check(
        ends_at - starts_at <= LONGEST_MEETING,
        "ends_at",
        "a meeting lasts at most 12 hours",
    );
}

/// The text of a location or an online link, for those given.
pub fn check_place(v: &mut Validator, location: Option<&str>, online_link: Option<&str>) {
    if let Some(location) = location {
        v.rule::<limits::MeetingLocation>(location, "location");
    }
    if let Some(link) = online_link {
        v.check(
            link.starts_with("https://") || link.starts_with("http://"),
            "online_link",
            "must be an http:// or https:// URL",
        );
        v.rule::<limits::OnlineLink>(link, "online_link");
    }
}

/// A meeting happens somewhere: a location, an online link, or both.
pub fn check_somewhere(v: &mut Validator, has_location: bool, has_online_link: bool) {
    v.check(
        has_location || has_online_link,
        "location",
        "give a location, an online link, or both",
    );
}

impl MeetingIn {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        v.rule::<limits::MeetingTitle>(&self.title, "title");
        v.rule::<limits::MeetingDescription>(&self.description, "description");
        check_times(&mut v, self.starts_at, self.ends_at);
        check_place(
            &mut v,
            self.location.as_deref(),
            self.online_link.as_deref(),
        );
        check_somewhere(&mut v, self.location.is_some(), self.online_link.is_some());
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::MeetingPatch>();
    }
}
