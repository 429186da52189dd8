//! Meetings of a forum: scheduling, RSVPs, attendance and agendas, series
//! of meetings, and the iCalendar files that put them in people's
//! calendars.
//!
//! Each operation takes the caller and its input and makes the whole
//! decision — who may, what is valid, the conditional write, the outbox
//! event and the audit entry, in one transaction — and knows nothing of
//! HTTP: `api::meetings` is its JSON face.

mod agenda;
mod attendance;
mod attendance_sheet;
mod calendar;
mod change;
pub mod events;
mod feed;
pub mod matters_arising;
mod queries;
mod read;
pub mod recurrence;
mod rsvps;
mod schedule;
pub mod series;
mod series_calendar;
mod split;
mod types;

pub use agenda::{
    AgendaItemIn, AgendaItemOut, AgendaItemPatch, AgendaOrderIn, AgendaOut, Decision, ItemRecord,
    OutcomeIn, OutcomeOut, RecordedOutcome, Votes, add_item, agenda, agenda_as_read, agree_action,
    change_item, check_visibility_at, held_agenda, item, may_add_items, order_agenda,
    record_outcome, remove_item, withheld_title,
};
pub use attendance::record_attendance;
pub use attendance_sheet::{AttendanceSheet, SheetEntry, attendance_sheet};
pub use calendar::{CalendarFile, Organizer, forum_calendar, invitation, meeting_calendar};
pub use change::change;
pub use feed::{calendar_feed, rotate_calendar_feed};
pub use matters_arising::{DropMatterIn, MattersOut, drop_matter, list_matters, refresh_matters};
pub use queries::{MeetingLock, lock_meeting};
pub use read::{get, list};
pub use rsvps::{answer, meeting_with_counts, rsvps};
pub use schedule::schedule;
pub use series::{
    CancelSeriesIn, SeriesIn, SeriesOut, SeriesPreviewOut, SplitIn, cancel_series, get_series,
    preview_series, schedule_series,
};
pub use split::split_series;
pub use types::{
    AttendanceIn, AttendanceOut, CalendarFeedOut, FeedQuery, MeetingIn, MeetingOut, MeetingPatch,
    MeetingQuery, RsvpCounts, RsvpIn, RsvpList, RsvpOut, RsvpQuery,
};

/// A meeting as its forum's participants read it (`GET /meetings/{id}`),
/// for the integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    let Some(meeting) = entity::meeting::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let mut attendance = queries::attendance_summaries(conn, meeting.forum_id, &[id]).await?;
    let out = types::MeetingOut::new(meeting, attendance.remove(&id).unwrap_or_default());
    Ok(serde_json::to_value(out).ok())
}
