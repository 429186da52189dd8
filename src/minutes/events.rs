//! What the forum is told of its minutes: the events their operations
//! record in the outbox, in their own transaction.

use entity::meeting;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A meeting's minutes approved.
pub fn approved(meeting: &meeting::Model, actor_id: Option<Uuid>) -> Event {
    Event {
        kind: Kind::MinutesApproved,
        forum_id: Some(meeting.forum_id),
        entity: "meeting",
        entity_id: meeting.id,
        actor_id,
        payload: json!({ "title": meeting.title, "starts_at": meeting.starts_at }),
    }
}
