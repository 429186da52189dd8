//! What a forum's people are told of its roles: the events its operations
//! record in the outbox, in their own transaction.

use entity::ForumRole;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A person given a role in a forum, or their role taken away (`role`: None).
pub fn role(
    forum_id: Uuid,
    forum_name: &str,
    person: Uuid,
    role: Option<ForumRole>,
    actor_id: Option<Uuid>,
) -> Event {
    Event {
        kind: if role.is_some() {
            Kind::RoleGiven
        } else {
            Kind::RoleRemoved
        },
        forum_id: Some(forum_id),
        entity: "forum",
        entity_id: forum_id,
        actor_id,
        payload: json!({ "title": forum_name, "person": person, "role": role }),
    }
}
