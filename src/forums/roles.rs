//! People's roles in a forum. One role per person per forum; a person may take
//! part in several forums.

use std::collections::HashMap;

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{ForumRole, forum_role, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles))
        .merge(super::role_changes::router())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    pub role: ForumRole,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleOut {
    pub forum_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub organisation_id: Option<Uuid>,
    pub role: ForumRole,
    pub created_at: DateTime<Utc>,
}

impl RoleOut {
    pub(super) fn new(role: forum_role::Model, person: Option<&user::Model>) -> Self {
        Self {
            forum_id: role.forum_id,
            user_id: role.user_id,
            display_name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
            organisation_id: person.and_then(|p| p.organisation_id),
            role: role.role,
            created_at: role.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoleQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub role: Option<ForumRole>,
}

/// Who holds which role in the forum (the forum's participants and admins).
#[utoipa::path(
    get,
    path = "/forums/{id}/roles",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id"), RoleQuery),
    responses(
        (status = 200, description = "A page of roles", body = Page<RoleOut>),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_roles(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<RoleQuery>,
) -> ApiResult<Json<Page<RoleOut>>> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&caller)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = forum_role::Entity::find().filter(forum_role::Column::ForumId.eq(forum_id));
    if let Some(role) = query.role {
        select = select.filter(forum_role::Column::Role.eq(role));
    }
    if let Some(after) = page.after {
        select = select.filter(forum_role::Column::UserId.gt(after));
    }
    let rows = select
        .order_by_asc(forum_role::Column::UserId)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let people: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(Json(page.finish(
        rows,
        |r| r.user_id,
        |r| {
            let person = people.get(&r.user_id);
            RoleOut::new(r, person)
        },
    )))
}
