//! A series in a calendar file as calendar apps expect one (RFC 5545
//! §3.8.5): a single event with the series' rule, on London's clock (with
//! the zone's definition, so 10:00 stays 10:00 across the clock changes),
//! the meetings cancelled on their own as `EXDATE`s, and those changed by
//! hand as events of their own with the series' `UID` and the start the
//! rule gave them as `RECURRENCE-ID`. Apps then show one series, not a
//! year of unrelated events.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use chrono_tz::Europe::London;
use entity::{MeetingStatus, SeriesStatus, meeting, meeting_series};
use icalendar::{CalendarDateTime, Component, Event, EventLike, EventStatus};
use uuid::Uuid;

const ZONE: &str = "Europe/London";

/// Europe/London since 1996 (EU summer time: the last Sundays of March
/// and October, at 01:00 UTC).
const LONDON_ZONE: &str = "BEGIN:VTIMEZONE\r
TZID:Europe/London\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0000\r
TZOFFSETTO:+0100\r
TZNAME:BST\r
DTSTART:19810329T010000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0000\r
TZNAME:GMT\r
DTSTART:19961027T020000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
";

/// `body` (a whole calendar) with the zone the series' times refer to
/// added before its first event. Written as text: the calendar library
/// gives every component a `UID` and `DTSTAMP`, which a zone must not have.
pub fn with_london_zone(body: &str) -> String {
    match body.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{LONDON_ZONE}{}", &body[..at], &body[at..]),
        None => body.to_string(),
    }
}

fn on_londons_clock(at: NaiveDateTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: at,
        tzid: ZONE.into(),
    }
}

pub fn uid(series: &meeting_series::Model) -> String {
    uid_of(series.id)
}

fn uid_of(series_id: Uuid) -> String {
    format!("series-{series_id}@convene")
}

/// Makes `event` (the meeting's own) the meeting's instance of its series,
/// if it is a meeting of one: the series' `UID` and the start the rule gave
/// it as `RECURRENCE-ID`. Returns whether it did (the calendar then needs
/// the zone).
pub fn as_instance(event: &mut Event, m: &meeting::Model) -> bool {
    let (Some(series_id), Some(start)) = (m.series_id, m.occurrence_start) else {
        return false;
    };
    event
        .uid(&uid_of(series_id))
        .recurrence_id(on_londons_clock(start.with_timezone(&London).naive_local()));
    true
}

/// The meetings shown through their series, and the rest, shown one by one.
pub struct Grouped<'a> {
    pub series: Vec<(&'a meeting_series::Model, Vec<&'a meeting::Model>)>,
    pub single: Vec<&'a meeting::Model>,
}

/// Sorts `meetings` by series. A series replaced whole (`ended`) is no
/// longer a series in calendars: what is left of it shows one by one.
pub fn group<'a>(
    meetings: &'a [meeting::Model],
    series: &'a [meeting_series::Model],
) -> Grouped<'a> {
    let shown: HashMap<Uuid, &meeting_series::Model> = series
        .iter()
        .filter(|s| s.status != SeriesStatus::Ended)
        .map(|s| (s.id, s))
        .collect();
    let mut by_series: HashMap<Uuid, Vec<&meeting::Model>> = HashMap::new();
    let mut single = Vec::new();
    for m in meetings {
        match m.series_id.filter(|id| shown.contains_key(id)) {
            Some(id) if m.occurrence_start.is_some() => by_series.entry(id).or_default().push(m),
            _ => single.push(m),
        }
    }
    let mut grouped: Vec<_> = by_series
        .into_iter()
        .filter_map(|(id, ms)| shown.get(&id).map(|s| (*s, ms)))
        .collect();
    grouped.sort_by_key(|(s, _)| (s.starts_local, s.id));
    Grouped {
        series: grouped,
        single,
    }
}

/// The series' events: the rule, then each meeting changed by hand.
/// `single` makes a meeting's own event; its `UID` is replaced by the
/// series' and its rule start given as `RECURRENCE-ID`.
pub fn events(
    series: &meeting_series::Model,
    meetings: &[&meeting::Model],
    description: String,
    single: impl Fn(&meeting::Model) -> Event,
) -> Vec<Event> {
    let uid = uid(series);
    let cancelled: Vec<&&meeting::Model> = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Cancelled)
        .collect();
    // Rises with every change to the series and every meeting called off
    // (both only ever go up).
    let sequence = series.version - 1 + i32::try_from(cancelled.len()).unwrap_or(i32::MAX);
    let changed_at = meetings
        .iter()
        .map(|m| m.updated_at)
        .chain([series.updated_at])
        .max()
        .unwrap_or(series.updated_at);
    // A series cancelled before any of it was held keeps its whole rule,
    // cancelled; otherwise its rule already ends where it stopped.
    let all_cancelled =
        series.status == SeriesStatus::Cancelled && cancelled.len() == meetings.len();
    let mut master = Event::new();
    master
        .uid(&uid)
        .sequence(u32::try_from(sequence).unwrap_or(0))
        .timestamp(changed_at)
        .last_modified(changed_at)
        .created(series.created_at)
        .summary(&series.title)
        .starts(on_londons_clock(series.starts_local))
        .ends(on_londons_clock(
            series.starts_local + Duration::minutes(i64::from(series.duration_minutes)),
        ))
        .add_property("RRULE", &series.rule)
        .status(if all_cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if !all_cancelled {
        for m in &cancelled {
            if let Some(start) = m.occurrence_start {
                master.exdate(on_londons_clock(start.with_timezone(&London).naive_local()));
            }
        }
    }
    if let Some(link) = &series.online_link {
        master.url(link);
    }
    if !description.is_empty() {
        master.description(&description);
    }
    if let Some(location) = series.location.as_ref().or(series.online_link.as_ref()) {
        master.location(location);
    }
    let mut events = vec![master.done()];
    for m in meetings {
        if m.is_exception && m.status != MeetingStatus::Cancelled {
            let mut event = single(m);
            as_instance(&mut event, m);
            events.push(event.done());
        }
    }
    events
}
