//! People's roles in a forum. One role per person per forum; a person may take
//! part in several forums.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use entity::{ForumRole, MembershipStatus, forum_membership, forum_role, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::access::{ForumAccess, ForumAction};
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::pagination::{Page, PageRequest};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles))
        .routes(routes!(assign_role, remove_role))
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
    fn new(role: forum_role::Model, person: Option<&user::Model>) -> Self {
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
        (status = 404, description = "No such forum", body = crate::error::Problem),
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

/// Give a person a role in the forum, replacing any role they had.
///
/// Secretaries and chairs assign `member` and `observer`; only admins assign
/// (or change) `secretary`, `chair` and `rpd_staff`. A `member` must belong to
/// an organisation with an active membership of the forum (422 otherwise).
#[utoipa::path(
    put,
    path = "/forums/{id}/roles/{user_id}",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id"), ("user_id" = Uuid, Path, description = "User id")),
    request_body = RoleIn,
    responses(
        (status = 200, description = "Role changed", body = RoleOut),
        (status = 201, description = "Role given", body = RoleOut),
        (status = 404, description = "No such forum or user", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn assign_role(
    State(state): State<AppState>,
    caller: AuthUser,
    Path((forum_id, user_id)): Path<(Uuid, Uuid)>,
    Json(input): Json<RoleIn>,
) -> ApiResult<(StatusCode, Json<RoleOut>)> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&caller)).await?;
    access.require(ForumAction::AssignRole(input.role))?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let person = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    let existing = forum_role::Entity::find_by_id((forum_id, user_id))
        .one(&txn)
        .await?;
    if let Some(current) = &existing {
        // Replacing an officer's or RPD staff role is itself an admin's act.
        access.require(ForumAction::AssignRole(current.role))?;
    }
    if input.role == ForumRole::Member {
        let active_member = match person.organisation_id {
            Some(organisation_id) => forum_membership::Entity::find()
                .filter(forum_membership::Column::ForumId.eq(forum_id))
                .filter(forum_membership::Column::OrganisationId.eq(organisation_id))
                .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
                .one(&txn)
                .await?
                .is_some(),
            None => false,
        };
        if !active_member {
            return Err(ApiError::invalid(
                "role",
                "a member must belong to an organisation with an active membership of this forum",
            ));
        }
    }
    let previous = existing.as_ref().map(|r| r.role);
    let (status, saved) = match existing {
        Some(current) => {
            let mut active = current.into_active_model();
            active.role = Set(input.role);
            active.assigned_by = Set(Some(caller.id()));
            (StatusCode::OK, active.update(&txn).await?)
        }
        None => {
            let created = forum_role::ActiveModel {
                forum_id: Set(forum_id),
                user_id: Set(user_id),
                role: Set(input.role),
                assigned_by: Set(Some(caller.id())),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
            (StatusCode::CREATED, created)
        }
    };
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(caller.id()), "role.assigned", "forum_role", user_id)
            .forum(forum_id)
            .changes(json!({"role": {"from": previous, "to": input.role}})),
    )
    .await?;
    txn.commit().await?;
    Ok((status, Json(RoleOut::new(saved, Some(&person)))))
}

/// Take away a person's role in the forum (the same people who may give it).
#[utoipa::path(
    delete,
    path = "/forums/{id}/roles/{user_id}",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id"), ("user_id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Role removed"),
        (status = 404, description = "No such forum, or the person has no role in it", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn remove_role(
    State(state): State<AppState>,
    caller: AuthUser,
    Path((forum_id, user_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&caller)).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let existing = forum_role::Entity::find_by_id((forum_id, user_id))
        .one(&txn)
        .await?;
    let Some(existing) = existing else {
        // Officers learn that there is nothing to remove; others are refused
        // exactly as they would be for a real role.
        access.require(ForumAction::AssignRole(ForumRole::Member))?;
        return Err(ApiError::NotFound(
            "this person has no role in this forum".into(),
        ));
    };
    access.require(ForumAction::AssignRole(existing.role))?;
    forum_role::Entity::delete_by_id((forum_id, user_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(caller.id()), "role.removed", "forum_role", user_id)
            .forum(forum_id)
            .changes(json!({"role": {"from": existing.role, "to": null}})),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
