//! Webhook delivery: the worker queues one request per event and webhook
//! when it dispatches the event (the body fixed then, with the record as the
//! API shows it at that moment), and sends the requests due with the same
//! retries as email. A webhook that fails again and again is switched off
//! and its officers are told.

mod deliver;
pub mod sender;

pub use deliver::{Delivered, Delivery, deliver_due};
pub use sender::{Attempt, Sender};

use chrono::{DateTime, Utc};
use entity::{DeliveryStatus, outbox_event, webhook, webhook_delivery};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::kernel::events::Kind;
use crate::webhooks::subscribable;

/// Queues the event for each of its forum's webhooks that wants it; call it
/// in the dispatching transaction. Returns the requests queued.
pub async fn queue(
    conn: &impl ConnectionTrait,
    event: &outbox_event::Model,
    kind: Kind,
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let Some(forum_id) = event.forum_id.filter(|_| subscribable(kind)) else {
        return Ok(0);
    };
    let hooks: Vec<webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::ForumId.eq(forum_id))
        .filter(webhook::Column::Active.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .filter(|hook| wants(hook, kind))
        .collect();
    if hooks.is_empty() {
        return Ok(0);
    }
    let record = representation(conn, &event.entity, event.entity_id, now).await?;
    let body = json!({
        "type": kind.as_str(),
        "timestamp": event.created_at,
        "data": {
            "event_id": event.id,
            "forum_id": forum_id,
            "entity": event.entity,
            "entity_id": event.entity_id,
            "actor_id": event.actor_id,
            "details": event.payload,
            "record": record,
        },
    })
    .to_string();
    let queued = hooks.len();
    webhook_delivery::Entity::insert_many(hooks.into_iter().map(|hook| {
        webhook_delivery::ActiveModel {
            id: Set(Uuid::now_v7()),
            webhook_id: Set(hook.id),
            event_id: Set(event.id),
            kind: Set(kind.as_str().to_string()),
            body: Set(body.clone()),
            status: Set(DeliveryStatus::Queued),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(None),
            response_status: Set(None),
            last_error: Set(None),
            sent_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
    }))
    .on_conflict(
        OnConflict::columns([
            webhook_delivery::Column::WebhookId,
            webhook_delivery::Column::EventId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(queued)
}

fn wants(hook: &webhook::Model, kind: Kind) -> bool {
    hook.events
        .as_array()
        .is_some_and(|kinds| kinds.iter().any(|k| k.as_str() == Some(kind.as_str())))
}

/// The record an event is about, as the API shows it now.
async fn representation(
    conn: &impl ConnectionTrait,
    entity: &str,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Value>, DbErr> {
    let today = now.date_naive();
    match entity {
        "meeting" => crate::meetings::representation(conn, id).await,
        "action" => crate::actions::representation(conn, id, today).await,
        "issue" => crate::issues::representation(conn, id, today).await,
        "commitment" => crate::plans::representation(conn, id).await,
        "forum" => crate::forums::representation(conn, id).await,
        _ => Ok(None),
    }
}
