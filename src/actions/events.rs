//! What an action's owners are told: the events its operations record in
//! the outbox, in their own transaction.

use entity::{ActionStatus, action_item};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// The action given to an organisation or a person to carry out.
pub fn assigned(action: &action_item::Model, actor_id: Option<Uuid>) -> Event {
    Event {
        kind: Kind::ActionAssigned,
        forum_id: Some(action.forum_id),
        entity: "action",
        entity_id: action.id,
        actor_id,
        payload: json!({
            "title": action.title,
            "due_on": action.due_on,
            "owner_organisation_id": action.owner_organisation_id,
            "owner_user_id": action.owner_user_id,
        }),
    }
}

/// Progress logged on the action (`Kind::ActionProgress`, with the note) or
/// its status moved (`Kind::ActionMoved`), told to its owners.
pub fn moved(
    kind: Kind,
    before: ActionStatus,
    action: &action_item::Model,
    actor_id: Option<Uuid>,
    note: Option<&str>,
) -> Event {
    let mut event = Event {
        kind,
        forum_id: Some(action.forum_id),
        entity: "action",
        entity_id: action.id,
        actor_id,
        payload: json!({
            "title": action.title,
            "due_on": action.due_on,
            "owner_organisation_id": action.owner_organisation_id,
            "owner_user_id": action.owner_user_id,
            "note": note,
        }),
    };
    if before != action.status {
        event.payload["status_from"] = json!(before);
        event.payload["status_to"] = json!(action.status);
    }
    event
}

/// Whether anyone is to carry the action out (and so to be told of it).
pub fn has_owner(action: &action_item::Model) -> bool {
    action.owner_organisation_id.is_some() || action.owner_user_id.is_some()
}
