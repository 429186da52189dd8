//! What a person is told of their own account: the events its operations
//! record in the outbox, in their own transaction.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A link for a person's own account (a password reset, an address to
/// verify), sent to them alone. The token is the link's secret.
pub fn account_link(kind: Kind, user_id: Uuid, token: &str, expires_at: DateTime<Utc>) -> Event {
    Event {
        kind,
        forum_id: None,
        entity: "user",
        entity_id: user_id,
        // Not the person, though they asked: they are who must be told.
        actor_id: None,
        payload: json!({ "to": user_id, "token": token, "expires_at": expires_at }),
    }
}
