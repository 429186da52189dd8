//! What a forum's officers are told of its webhooks: the events recorded in
//! the outbox, in the transaction of the write they tell of.

use entity::webhook;
use serde_json::json;

use crate::kernel::events::{Event, Kind};

/// The webhook switched off after a run of failed attempts (`reason` says
/// so), told to the forum's officers.
pub fn disabled(hook: &webhook::Model, reason: &str) -> Event {
    let title = if hook.description.is_empty() {
        hook.url.clone()
    } else {
        hook.description.clone()
    };
    Event {
        kind: Kind::WebhookDisabled,
        forum_id: Some(hook.forum_id),
        entity: "webhook",
        entity_id: hook.id,
        actor_id: None,
        payload: json!({ "title": title, "url": hook.url, "reason": reason }),
    }
}
