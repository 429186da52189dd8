//! A stale save, told the way every edit form tells it: who changed the
//! record since the person opened it, and when. (A small stand-in for the
//! pages' shared conflict module.)

use entity::{audit_event, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::kernel::audit::EntityKind;
use crate::kernel::state::AppState;
use crate::web::format;
use crate::web::i18n::Text;

/// "Changed by NAME at TIME since you opened it", from the record's last
/// audit entry (every write records one).
pub async fn changed_since(
    state: &AppState,
    text: &Text,
    kind: EntityKind,
    id: Uuid,
) -> Result<String, sea_orm::DbErr> {
    let last = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq(kind.as_str()))
        .filter(audit_event::Column::EntityId.eq(id))
        .order_by_desc(audit_event::Column::Id)
        .one(&state.db)
        .await?;
    let Some(last) = last else {
        return Ok(text.get("after-meeting-changed-unknown"));
    };
    let name = match last.actor_id {
        Some(actor) => user::Entity::find_by_id(actor)
            .one(&state.db)
            .await?
            .map(|u| u.display_name),
        None => None,
    };
    Ok(text.with(
        "after-meeting-changed-by",
        &[
            (
                "name",
                name.unwrap_or_else(|| text.get("after-meeting-someone")),
            ),
            ("time", format::date_time(last.created_at)),
        ],
    ))
}
