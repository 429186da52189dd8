//! What a forum's participants are told of its meetings: the events the
//! meeting operations record in the outbox, in their own transaction, and
//! the meeting as an event told it, for the invitation its email carries.

use chrono::{DateTime, Utc};
use entity::{MeetingStatus, agenda_item, meeting};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A meeting scheduled, moved or cancelled (`previous_start`: where it was).
pub fn meeting(
    kind: Kind,
    meeting: &meeting::Model,
    actor_id: Option<Uuid>,
    previous_start: Option<DateTime<Utc>>,
) -> Event {
    Event {
        kind,
        forum_id: Some(meeting.forum_id),
        entity: "meeting",
        entity_id: meeting.id,
        actor_id,
        payload: json!({
            "title": meeting.title,
            "description": meeting.description,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "location": meeting.location,
            "online_link": meeting.online_link,
            "previous_starts_at": previous_start,
            "status": meeting.status,
            "cancel_reason": meeting.cancel_reason,
            "version": meeting.version,
        }),
    }
}

/// What participants are told of a change to a meeting: its cancellation,
/// or a move of its start or end (other edits are not worth an email).
pub fn changed(
    before: &meeting::Model,
    after: &meeting::Model,
    actor_id: Option<Uuid>,
) -> Option<Event> {
    if after.status == MeetingStatus::Cancelled && before.status != MeetingStatus::Cancelled {
        Some(meeting(Kind::MeetingCancelled, after, actor_id, None))
    } else if after.status == MeetingStatus::Scheduled
        && (after.starts_at != before.starts_at || after.ends_at != before.ends_at)
    {
        let previous = Some(before.starts_at);
        Some(meeting(Kind::MeetingRescheduled, after, actor_id, previous))
    } else {
        None
    }
}

/// An item proposed for a meeting's agenda, or the officers' decision on it.
pub fn agenda_item(
    kind: Kind,
    meeting: &meeting::Model,
    item: &agenda_item::Model,
    actor_id: Option<Uuid>,
) -> Event {
    Event {
        kind,
        forum_id: Some(meeting.forum_id),
        entity: "meeting",
        entity_id: meeting.id,
        actor_id,
        payload: json!({
            "title": item.title,
            "meeting": meeting.title,
            "starts_at": meeting.starts_at,
            "status": item.status,
            "proposed_by": item.proposed_by,
        }),
    }
}

/// The meeting as it was when the event happened: the record as it is now,
/// with what the event kept of it. Its invitation then carries that
/// moment's times and `SEQUENCE`, whatever changed after.
pub fn meeting_as_told(mut meeting: meeting::Model, payload: &Value) -> meeting::Model {
    let text = |field: &str| {
        payload
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let time = |field: &str| text(field).and_then(|t| t.parse::<DateTime<Utc>>().ok());
    if let Some(title) = text("title") {
        meeting.title = title;
    }
    if let Some(description) = text("description") {
        meeting.description = description;
    }
    if let Some(starts_at) = time("starts_at") {
        meeting.starts_at = starts_at;
    }
    if let Some(ends_at) = time("ends_at") {
        meeting.ends_at = ends_at;
    }
    meeting.location = text("location");
    meeting.online_link = text("online_link");
    meeting.cancel_reason = text("cancel_reason");
    if let Some(status) = payload
        .get("status")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
    {
        meeting.status = status;
    }
    if let Some(version) = payload
        .get("version")
        .and_then(Value::as_i64)
        .and_then(|v| i32::try_from(v).ok())
    {
        meeting.version = version;
    }
    meeting
}
