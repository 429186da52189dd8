//! What a forum and the RPD's team are told of an issue: the events its
//! operations (and the daily reminders) record in the outbox.

use entity::raised_issue;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// An issue raised, answered by the RPD's team, or nearing or past the date
/// its answer is due.
pub fn about(kind: Kind, issue: &raised_issue::Model, actor_id: Option<Uuid>) -> Event {
    Event {
        kind,
        forum_id: Some(issue.forum_id),
        entity: "issue",
        entity_id: issue.id,
        actor_id,
        payload: json!({
            "title": issue.title,
            "priority": issue.priority,
            "response_due_on": issue.response_due_on,
            "raised_by": issue.raised_by,
        }),
    }
}

/// An issue moved on: acknowledged, re-opened or closed, with the reason given.
pub fn moved(
    kind: Kind,
    issue: &raised_issue::Model,
    actor_id: Option<Uuid>,
    reason: Option<&str>,
) -> Event {
    let mut event = about(kind, issue, actor_id);
    event.payload["reason"] = json!(reason);
    event
}
