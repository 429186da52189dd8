//! What a forum's people are told of its memberships: the events its
//! operations record in the outbox, in their own transaction.

use entity::forum_membership;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// An organisation's membership applied for (`Kind::MembershipApplied`), or
/// decided (`Kind::MembershipDecided`: approved, rejected, suspended, ended).
pub fn membership(
    kind: Kind,
    membership: &forum_membership::Model,
    organisation: &str,
    actor_id: Option<Uuid>,
) -> Event {
    Event {
        kind,
        forum_id: Some(membership.forum_id),
        entity: "forum",
        entity_id: membership.forum_id,
        actor_id,
        payload: json!({
            "title": organisation,
            "organisation_id": membership.organisation_id,
            "status": membership.status,
            "reason": membership.status_reason,
        }),
    }
}
