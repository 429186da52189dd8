//! What a forum is told of its polls: the daily job's reminders of a poll
//! opening today or closing tomorrow, recorded in the outbox.

use entity::poll;
use serde_json::json;

use crate::kernel::events::{Event, Kind};

/// A poll opening (`Kind::PollOpening`) or about to close
/// (`Kind::PollClosing`).
pub fn reminder(kind: Kind, p: &poll::Model) -> Event {
    Event {
        kind,
        forum_id: Some(p.forum_id),
        entity: "poll",
        entity_id: p.id,
        actor_id: None,
        payload: json!({
            "title": p.question,
            "opens_at": p.opens_at,
            "closes_at": p.closes_at,
        }),
    }
}
