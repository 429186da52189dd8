//! Who last changed a meeting, and when: what a person whose save came too
//! late is told, read from the meeting's audit trail (every change writes
//! one entry, in the change's own transaction).

use chrono::{DateTime, Utc};
use entity::{audit_event, meeting, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::kernel::access::{self, AuthUser};
use crate::kernel::audit::EntityKind;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;

/// The person who last changed it (`None` when that was no one's doing, a
/// job's) and when (the forum's participants; 404 to anyone else).
pub async fn last_change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<Option<(Option<String>, DateTime<Utc>)>> {
    access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    let Some(entry) = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq(EntityKind::Meeting.as_str()))
        .filter(audit_event::Column::EntityId.eq(id))
        .order_by_desc(audit_event::Column::CreatedAt)
        .order_by_desc(audit_event::Column::Id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let name = match entry.actor_id {
        Some(actor) => user::Entity::find_by_id(actor)
            .one(&state.db)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    Ok(Some((name, entry.created_at)))
}
