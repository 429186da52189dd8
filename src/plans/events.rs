//! What a region's forum is told of its plan: the events the plans'
//! operations record in the outbox, in their own transaction.

use entity::{CommitmentStatus, commitment};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A commitment of the region's plan moved on, told to the region's forum.
pub fn commitment_moved(
    forum_id: Uuid,
    before: CommitmentStatus,
    commitment: &commitment::Model,
    actor_id: Option<Uuid>,
    note: &str,
) -> Event {
    Event {
        kind: Kind::CommitmentMoved,
        forum_id: Some(forum_id),
        entity: "commitment",
        entity_id: commitment.id,
        actor_id,
        payload: json!({
            "title": format!("{} {}", commitment.reference, commitment.text),
            "status_from": before,
            "status_to": commitment.status,
            "note": note,
        }),
    }
}
