use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::access::{ForumAccess, ForumAction};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::pagination::{Page, PageRequest};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit_events))
}

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
    /// Only events about this kind of record, e.g. `user`, `organisation`.
    pub entity: Option<String>,
    /// Only events about this one record.
    pub entity_id: Option<Uuid>,
    /// Only events caused by this user.
    pub actor_id: Option<Uuid>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditEventOut {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub entity_id: Uuid,
    pub forum_id: Option<Uuid>,
    /// For creations, the fields set; for updates, `{field: {from, to}}`.
    pub changes: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<audit_event::Model> for AuditEventOut {
    fn from(m: audit_event::Model) -> Self {
        Self {
            id: m.id,
            actor_id: m.actor_id,
            action: m.action,
            entity: m.entity,
            entity_id: m.entity_id,
            forum_id: m.forum_id,
            changes: m.changes,
            created_at: m.created_at,
        }
    }
}

/// The audit trail, newest first.
///
/// Admins read all of it. A forum's secretary, chair and RPD staff read their
/// own forum's trail by giving `forum_id`.
#[utoipa::path(
    get,
    path = "/audit",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of audit events, newest first", body = Page<AuditEventOut>),
    ),
    security(("bearer" = []))
)]
async fn list_audit_events(
    state: axum::extract::State<AppState>,
    user: AuthUser,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Page<AuditEventOut>>> {
    if !user.user.is_admin {
        let Some(forum_id) = query.forum_id else {
            return Err(ApiError::Forbidden(
                "only admins read the whole trail; give the forum_id of a forum you run".into(),
            ));
        };
        ForumAccess::load(&state.db, forum_id, Some(&user))
            .await?
            .require(ForumAction::ReadAudit)?;
    }
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = audit_event::Entity::find();
    if let Some(forum_id) = query.forum_id {
        select = select.filter(audit_event::Column::ForumId.eq(forum_id));
    }
    if let Some(entity) = &query.entity {
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
    let rows = select
        .order_by_desc(audit_event::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(rows, |row| row.id, AuditEventOut::from)))
}
