//! What a forum is told of its consultations: the events their operations
//! (and the daily job's reminders) record in the outbox.

use entity::consultation;
use serde_json::json;
use uuid::Uuid;

use crate::kernel::events::{Event, Kind};

/// A consultation registered for the forum to answer.
pub fn registered(c: &consultation::Model, actor_id: Uuid) -> Event {
    about(Kind::ConsultationRegistered, c, Some(actor_id))
}

/// One of a consultation's deadlines near: contributions closing
/// (`Kind::ContributionsClosing`) or the consultation itself
/// (`Kind::ConsultationClosing`).
pub fn closing(kind: Kind, c: &consultation::Model) -> Event {
    about(kind, c, None)
}

fn about(kind: Kind, c: &consultation::Model, actor_id: Option<Uuid>) -> Event {
    Event {
        kind,
        forum_id: Some(c.forum_id),
        entity: "consultation",
        entity_id: c.id,
        actor_id,
        payload: json!({
            "title": c.title,
            "consulting_body": c.consulting_body,
            "closes_on": c.closes_on,
            "internal_deadline": c.internal_deadline,
            "status": c.status,
        }),
    }
}
