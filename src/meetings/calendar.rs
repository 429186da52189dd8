//! iCalendar files (RFC 5545) for one meeting or a whole forum, readable with
//! a bearer token or with the reader's secret feed token (calendar apps
//! cannot send a bearer token; see `feed.rs`).
//!
//! Times are written in UTC (`…Z`), which every calendar app converts to the
//! reader's zone, and the calendar names Europe/London as its zone
//! (`X-WR-TIMEZONE`), so a 10:00 BST meeting shows at 10:00 in the UK. Each
//! meeting keeps one `UID` for life; `SEQUENCE` is its version − 1, so it
//! rises with every change and only then, and a cancelled meeting stays in
//! the feed with `STATUS:CANCELLED` and its reason so apps remove it and say why.

use entity::{MeetingStatus, SeriesStatus, calendar_feed, meeting, meeting_series, user};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::series_calendar;
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

/// Who made the file (RFC 5545 §3.7.3): Convene, not the library it uses.
const PRODUCT_ID: &str = "-//Convene//Convene API//EN";

/// A calendar file: what it is named after (a meeting's title and day, a
/// forum's name) and its text.
#[derive(Debug)]
pub struct CalendarFile {
    pub name: String,
    pub body: String,
}

fn unauthorised() -> ApiError {
    ApiError::Unauthorized("sign in, or use your calendar-feed URL".into())
}

/// The reader: the bearer token's user, else the feed token's.
async fn reader(
    conn: &impl ConnectionTrait,
    bearer: Option<&AuthUser>,
    token: Option<&str>,
) -> ApiResult<user::Model> {
    if let Some(user) = bearer {
        return Ok(user.user.clone());
    }
    let token = token.ok_or_else(unauthorised)?;
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::Token.eq(token))
        .one(conn)
        .await?
        .ok_or_else(unauthorised)?;
    user::Entity::find_by_id(feed.user_id)
        .one(conn)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(unauthorised)
}

/// What the event says about the meeting: why it was cancelled first, then
/// its description, then how to join.
fn event_description(m: &meeting::Model) -> String {
    let cancelled = (m.status == MeetingStatus::Cancelled).then_some(m.cancel_reason.as_deref());
    describe(cancelled, &m.description, m.online_link.as_deref())
}

/// `cancelled` is `Some(reason)` for something called off.
fn describe(cancelled: Option<Option<&str>>, description: &str, link: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(reason) = cancelled {
        parts.push(match reason {
            Some(reason) => format!("Cancelled: {reason}"),
            None => "Cancelled.".to_string(),
        });
    }
    if !description.trim().is_empty() {
        parts.push(description.trim().to_string());
    }
    if let Some(link) = link {
        parts.push(format!("Join online: {link}"));
    }
    parts.join("\n\n")
}

fn event(m: &meeting::Model) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}@convene", m.id))
        .sequence(u32::try_from(m.version - 1).unwrap_or(0))
        .timestamp(m.updated_at)
        .last_modified(m.updated_at)
        .created(m.created_at)
        .summary(&m.title)
        .starts(m.starts_at)
        .ends(m.ends_at)
        .status(match m.status {
            MeetingStatus::Cancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        });
    if let Some(link) = &m.online_link {
        event.url(link);
    }
    let description = event_description(m);
    if !description.is_empty() {
        event.description(&description);
    }
    if let Some(location) = m.location.as_ref().or(m.online_link.as_ref()) {
        event.location(location);
    }
    event.done()
}

/// A TEXT value as RFC 5545 §3.3.11 writes it: `\`, `;`, `,` and line
/// breaks escaped.
fn text_value(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | ';' | ',' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Who sends an invitation: the forum, by name, from Convene's address.
pub struct Organizer<'a> {
    pub name: Option<&'a str>,
    pub email: &'a str,
}

/// An invitation to the meeting for one person (iTIP, RFC 5546), for an
/// email: `METHOD:REQUEST` while it is on (a moved meeting's raises its
/// `SEQUENCE`, so calendar apps update the event they have), `METHOD:CANCEL`
/// once cancelled. Same `UID` as the feeds, so it is one event everywhere:
/// a meeting of a series is that instance of the series (the series' `UID`
/// and the meeting's `RECURRENCE-ID`). Replies are not taken by email
/// (`RSVP=FALSE`): people answer in Convene. Returns the method and the
/// calendar.
pub fn invitation(
    m: &meeting::Model,
    organizer: &Organizer,
    attendee: &str,
) -> (&'static str, String) {
    let method = if m.status == MeetingStatus::Cancelled {
        "CANCEL"
    } else {
        "REQUEST"
    };
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", PRODUCT_ID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", method),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    let mut event = event(m);
    let mut from = Property::new("ORGANIZER", format!("mailto:{}", organizer.email));
    if let Some(name) = organizer.name {
        // A parameter value may hold no double quote (RFC 5545 §3.2); the
        // library quotes one that holds a comma, colon or semicolon.
        from.add_parameter("CN", &name.replace('"', "'"));
    }
    event.append_property(from);
    let mut guest = Property::new("ATTENDEE", format!("mailto:{attendee}"));
    guest
        .add_parameter("ROLE", "REQ-PARTICIPANT")
        .add_parameter("PARTSTAT", "NEEDS-ACTION")
        .add_parameter("RSVP", "FALSE");
    event.append_property(guest);
    let instance = series_calendar::as_instance(&mut event, m);
    calendar.push(event);
    let body = calendar.done().to_string();
    if instance {
        (method, series_calendar::with_london_zone(&body))
    } else {
        (method, body)
    }
}

/// A published calendar (`METHOD:PUBLISH`) called `name` of these
/// meetings, each series among them as one recurring event.
fn calendar(name: &str, meetings: &[meeting::Model], series: &[meeting_series::Model]) -> String {
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", PRODUCT_ID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    // RFC 7986's NAME is TEXT, but the library does not know it and writes
    // it as given: it is escaped here (X-WR-CALNAME the library escapes).
    calendar.append_property(Property::new("NAME", text_value(name)));
    calendar.append_property(Property::new("X-WR-CALNAME", name));
    calendar.timezone("Europe/London");
    let grouped = series_calendar::group(meetings, series);
    let zoned = !grouped.series.is_empty();
    for (series, its_meetings) in &grouped.series {
        let cancelled = (series.status == SeriesStatus::Cancelled).then_some(None);
        let description = describe(
            cancelled,
            &series.description,
            series.online_link.as_deref(),
        );
        for e in series_calendar::events(series, its_meetings, description, event) {
            calendar.push(e);
        }
    }
    for m in grouped.single {
        calendar.push(event(m));
    }
    let body = calendar.done().to_string();
    if zoned {
        series_calendar::with_london_zone(&body)
    } else {
        body
    }
}

/// One meeting as an iCalendar file (the forum's participants; 404 to
/// anyone else), for a reader known by a bearer token or, failing that, by
/// their calendar-feed token (401 with neither).
pub async fn meeting_calendar(
    state: &AppState,
    bearer: Option<&AuthUser>,
    id: Uuid,
    token: Option<&str>,
) -> ApiResult<CalendarFile> {
    let reader = reader(&state.db, bearer, token).await?;
    let meeting = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let access = ForumAccess::load_for(&state.db, meeting.forum_id, Some(&reader)).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, "meeting")?;
    Ok(CalendarFile {
        name: format!("{} {}", meeting.title, meeting.starts_at.date_naive()),
        body: calendar(&access.forum.name, &[meeting], &[]),
    })
}

/// All of a forum's meetings as an iCalendar feed (its participants: 403
/// to anyone else), read as [`meeting_calendar`] is.
pub async fn forum_calendar(
    state: &AppState,
    bearer: Option<&AuthUser>,
    id: Uuid,
    token: Option<&str>,
) -> ApiResult<CalendarFile> {
    let reader = reader(&state.db, bearer, token).await?;
    let access = ForumAccess::load_for(&state.db, id, Some(&reader)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(id))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .all(&state.db)
        .await?;
    let series = meeting_series::Entity::find()
        .filter(meeting_series::Column::Id.is_in(meetings.iter().filter_map(|m| m.series_id)))
        .all(&state.db)
        .await?;
    Ok(CalendarFile {
        body: calendar(&access.forum.name, &meetings, &series),
        name: access.forum.name,
    })
}
