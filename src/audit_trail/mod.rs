//! Reading the audit trail: all of it for admins; a forum's for its
//! secretary, chair and RPD staff, who read what they may not read of its
//! agenda as withheld. (Writing it is the kernel's: `kernel::audit`.)

mod latest;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{agenda_item, audit_event};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::EntityKind;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, ONE_NAME, OneName, People, person_name};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::meetings::withheld_title;

pub use latest::{LastChange, last_change};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only events of records in this forum.
    pub forum_id: Option<Uuid>,
    /// Only events about this kind of record, e.g. `user`, `agenda-item`.
    pub entity: Option<EntityKind>,
    /// Only events about this one record.
    pub entity_id: Option<Uuid>,
    /// Only events caused by this user.
    pub actor_id: Option<Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventOut {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    /// The actor's display name (those who read the trail take part in the
    /// forum, or are admins); `null` for the system or a removed account.
    pub actor_name: Option<String>,
    pub action: String,
    /// What kind of record it is about, e.g. `agenda-item`.
    pub entity: String,
    pub entity_id: Uuid,
    pub forum_id: Option<Uuid>,
    /// For creations, the fields set; for updates, `{field: {from, to}}`.
    pub changes: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl AuditEventOut {
    fn new(m: audit_event::Model, actor_name: Option<String>) -> Self {
        Self {
            id: m.id,
            actor_id: m.actor_id,
            actor_name,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            forum_id: m.forum_id,
            changes: m.changes,
            created_at: m.created_at,
        }
    }
}

/// The trail as `caller` may read it, newest first.
pub async fn read(
    state: &AppState,
    caller: &AuthUser,
    query: AuditQuery,
) -> ApiResult<Page<AuditEventOut>> {
    // Readers who are not the forum's officers (its RPD staff) read the
    // trail as they read the agenda: nothing of an item they may not read.
    let mut narrowed = None;
    if !caller.user.is_admin {
        let Some(forum_id) = query.forum_id else {
            return Err(ApiError::Forbidden(
                "only admins read the whole trail; give the forum_id of a forum you run".into(),
            ));
        };
        let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
        access.require(ForumAction::ReadAudit)?;
        if !access.is_officer() {
            narrowed = Some(access);
        }
    }
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = audit_event::Entity::find();
    if let Some(forum_id) = query.forum_id {
        select = select.filter(audit_event::Column::ForumId.eq(forum_id));
    }
    if let Some(entity) = query.entity {
        select = select.filter(audit_event::Column::Entity.eq(entity.as_str()));
    }
    if let Some(entity_id) = query.entity_id {
        select = select.filter(audit_event::Column::EntityId.eq(entity_id));
    }
    if let Some(actor_id) = query.actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(actor_id));
    }
    if let Some(after) = page.after {
        select = select.filter(audit_event::Column::Id.lt(after));
    }
    // Readers of the trail are its forum's officers and RPD staff, or
    // admins: all take part, so are shown people's names.
    let actor = (audit_event::Entity, audit_event::Column::ActorId);
    let rows = select
        .column_as(person_name(actor, People::Named), ONE_NAME)
        .order_by_desc(audit_event::Column::Id)
        .limit(page.fetch())
        .into_model::<Named<audit_event::Model, OneName>>()
        .all(&state.db)
        .await?;
    let withheld = match &narrowed {
        Some(access) => withheld_items(&state.db, &rows, access).await?,
        None => HashMap::new(),
    };
    Ok(page.finish(
        rows,
        |row| row.record.id,
        |Named { record: row, names }| {
            let reason = withheld
                .get(&row.entity_id)
                .filter(|_| is_agenda_item(&row));
            let mut out = AuditEventOut::new(row, names.one_name);
            if let Some(reason) = reason {
                out.changes = json!({"withheld": reason});
            }
            out
        },
    ))
}

fn is_agenda_item(event: &audit_event::Model) -> bool {
    event.entity == EntityKind::AgendaItem.as_str()
}

/// The agenda items of these events that `access` may not read, with what
/// is shown instead (in one query). An item since removed is withheld: its
/// visibility is no longer known.
async fn withheld_items(
    conn: &impl ConnectionTrait,
    events: &[Named<audit_event::Model, OneName>],
    access: &ForumAccess,
) -> ApiResult<HashMap<Uuid, String>> {
    let ids: HashSet<Uuid> = events
        .iter()
        .map(|e| &e.record)
        .filter(|e| is_agenda_item(e))
        .map(|e| e.entity_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let items: HashMap<Uuid, agenda_item::Model> = agenda_item::Entity::find()
        .filter(agenda_item::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    Ok(ids
        .into_iter()
        .filter_map(|id| match items.get(&id) {
            Some(item) if access.may_read(item.visibility) => None,
            Some(item) => Some((id, withheld_title(item.visibility_reason.as_deref()))),
            None => Some((id, "Withheld: a removed item".to_string())),
        })
        .collect())
}
