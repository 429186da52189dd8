//! The last change made to one record: who made it and when, for a face
//! that must tell someone their copy is stale ("Changed by Sam Okafor at
//! 10am since you opened it"). Read by whoever was refused a write of the
//! record, so only by someone who may change it.

use chrono::{DateTime, Utc};
use entity::{audit_event, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiResult;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastChange {
    /// The actor's display name; `None` for the system or a removed account.
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

/// The newest audit event of the record (ids are UUIDv7: newest is
/// greatest), with its actor's name; `None` when none was recorded.
pub async fn last_change(
    conn: &impl ConnectionTrait,
    entity: EntityKind,
    entity_id: Uuid,
) -> ApiResult<Option<LastChange>> {
    let Some(event) = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq(entity.as_str()))
        .filter(audit_event::Column::EntityId.eq(entity_id))
        .order_by_desc(audit_event::Column::Id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let by = match event.actor_id {
        Some(actor) => user::Entity::find_by_id(actor)
            .one(conn)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    Ok(Some(LastChange {
        by,
        at: event.created_at,
    }))
}
