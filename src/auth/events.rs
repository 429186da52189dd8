//! What a person is told of their own account: the events its operations
//! record in the outbox, in their own transaction.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A message about a person's own account, sent to them alone at
/// `address` (the address it concerns, which need not be the account's
/// address when it is sent: a new address to confirm, or the old one told
/// of a change), saying `told`'s fields too.
pub fn account_notice(kind: Kind, user_id: Uuid, address: &str, told: Value) -> Event {
    let mut payload = json!({ "to": user_id, "address": address });
    if let (Some(payload), Value::Object(told)) = (payload.as_object_mut(), told) {
        payload.extend(told);
    }
    Event {
        kind,
        forum_id: None,
        entity: "user",
        entity_id: user_id,
        // Not the person, though they asked: they are who must be told.
        actor_id: None,
        payload,
    }
}

/// A link for a person's own account (a password reset, an address to
/// verify, a new address to confirm), sent to them alone at `address`. The
/// token is the link's secret.
pub fn account_link(
    kind: Kind,
    user_id: Uuid,
    address: &str,
    token: &str,
    expires_at: DateTime<Utc>,
    told: Value,
) -> Event {
    let mut event = account_notice(kind, user_id, address, told);
    event.payload["token"] = json!(token);
    event.payload["expires_at"] = json!(expires_at);
    event
}
