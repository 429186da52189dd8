//! The audit trail: who did what to which record, when, and what changed.
//! Every write calls [`record`] inside its own transaction, so a change and
//! its audit event are committed together or not at all.

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// One event to record.
pub struct AuditEvent<'a> {
    pub actor_id: Option<Uuid>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub forum_id: Option<Uuid>,
    pub changes: Value,
}

impl<'a> AuditEvent<'a> {
    pub fn new(actor_id: Option<Uuid>, action: &'a str, entity: &'a str, entity_id: Uuid) -> Self {
        Self {
            actor_id,
            action,
            entity,
            entity_id,
            forum_id: None,
            changes: json!({}),
        }
    }

    /// Files the event under a forum, so the forum's officers can read it.
    pub fn forum(mut self, forum_id: Uuid) -> Self {
        self.forum_id = Some(forum_id);
        self
    }

    /// The forum, for records that may have none (a region's plan's papers).
    pub fn forum_of(mut self, forum_id: Option<Uuid>) -> Self {
        self.forum_id = forum_id;
        self
    }

    pub fn changes(mut self, changes: Value) -> Self {
        self.changes = changes;
        self
    }
}

pub async fn record(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event: AuditEvent<'_>,
) -> Result<(), DbErr> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(event.actor_id),
        action: Set(event.action.to_string()),
        entity: Set(event.entity.to_string()),
        entity_id: Set(event.entity_id),
        forum_id: Set(event.forum_id),
        changes: Set(event.changes),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A record as the audit trail keeps it: its API rendering.
pub fn snapshot<T: serde::Serialize>(record: &T) -> Result<Value, crate::kernel::error::ApiError> {
    serde_json::to_value(record).map_err(crate::kernel::error::ApiError::internal)
}

/// The fields that differ between two JSON renderings of a record, as
/// `{field: {"from": old, "to": new}}`.
pub fn diff(before: &Value, after: &Value) -> Value {
    let empty = Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let changed: Map<String, Value> = after
        .iter()
        .filter(|(key, value)| before.get(*key) != Some(*value))
        .map(|(key, value)| {
            let old = before.get(key).cloned().unwrap_or(Value::Null);
            (key.clone(), json!({"from": old, "to": value}))
        })
        .collect();
    Value::Object(changed)
}
