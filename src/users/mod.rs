//! User management for platform admins.

use axum::extract::State;
use entity::{organisation, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::auth::{UserOut, sessions};
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::patch::{nullable, present};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(get_user, patch_user))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only the people of this organisation.
    pub organisation_id: Option<Uuid>,
    /// Only disabled (`true`) or active (`false`) accounts.
    pub disabled: Option<bool>,
}

/// Only the fields to change. `organisation_id` may be `null` to unlink; the
/// other fields cannot be `null`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// 1–100 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::DisplayName::schema)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub is_admin: Option<bool>,
    /// A disabled user cannot sign in, and their tokens stop working at once.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub disabled: Option<bool>,
    /// Link to an organisation, or `null` to unlink.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub organisation_id: Option<Option<Uuid>>,
}

/// All user accounts, oldest first (admins).
#[utoipa::path(
    get,
    path = "/users",
    tag = "users",
    params(UserQuery),
    responses((status = 200, description = "A page of users", body = Page<UserOut>)),
    security(("bearer" = []))
)]
async fn list_users(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(query): Query<UserQuery>,
) -> ApiResult<Json<Page<UserOut>>> {
    access::require_admin(&caller)?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = user::Entity::find();
    if let Some(organisation_id) = query.organisation_id {
        select = select.filter(user::Column::OrganisationId.eq(organisation_id));
    }
    if let Some(disabled) = query.disabled {
        select = select.filter(user::Column::Disabled.eq(disabled));
    }
    if let Some(after) = page.after {
        select = select.filter(user::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(user::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(rows, |u| u.id, UserOut::from)))
}

/// One user account (admins).
#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserOut),
        (status = 404, description = "No such user", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_user(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserOut>> {
    access::require_admin(&caller)?;
    user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .map(|u| Json(u.into()))
        .ok_or_else(|| ApiError::not_found("user"))
}

/// Change a user: disable or re-enable, make or unmake admin, link to an organisation (admins).
///
/// Disabling a user ends all their sessions. Admins cannot disable themselves
/// or take away their own admin rights, so the platform never loses its last
/// admin by accident. A PATCH that changes nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/users/{id}",
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The updated user", body = UserOut),
        (status = 404, description = "No such user", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_user(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<UserPatch>,
) -> ApiResult<Json<UserOut>> {
    access::require_admin(&caller)?;
    let mut v = Validator::default();
    if let Some(name) = &patch.display_name {
        v.rule::<limits::DisplayName>(name, "display_name");
    }
    let is_self = id == caller.id();
    v.check(
        !(is_self && patch.disabled == Some(true)),
        "disabled",
        "you cannot disable your own account",
    );
    v.check(
        !(is_self && patch.is_admin == Some(false)),
        "is_admin",
        "you cannot remove your own admin rights",
    );
    v.finish()?;
    let Some(target) = user::Entity::find_by_id(id).one(&state.db).await? else {
        return Err(ApiError::not_found("user"));
    };
    if let Some(Some(organisation_id)) = patch.organisation_id
        && organisation::Entity::find_by_id(organisation_id)
            .one(&state.db)
            .await?
            .is_none()
    {
        return Err(ApiError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    }
    let mut changes = target.clone().into_active_model();
    if let Some(name) = patch.display_name {
        changes.display_name.set_ne(name.trim().to_string());
    }
    if let Some(is_admin) = patch.is_admin {
        changes.is_admin.set_ne(is_admin);
    }
    if let Some(disabled) = patch.disabled {
        changes.disabled.set_ne(disabled);
    }
    if let Some(organisation_id) = patch.organisation_id {
        changes.organisation_id.set_ne(organisation_id);
    }
    let before = UserOut::from(target);
    if !changes.is_changed() {
        return Ok(Json(before));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    // Only the columns given are written, so two admins changing different
    // things about one person do not undo each other.
    let updated = changes.update(&txn).await?;
    if patch.disabled == Some(true) {
        // Every session ends, even one started while this was being decided.
        sessions::revoke_all_of_user(&txn, id, None, sessions::REASON_DISABLED, now).await?;
    }
    let out = UserOut::from(updated);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(caller.id()), "user.updated", EntityKind::User, id).changes(
            audit::diff(&audit::snapshot(&before)?, &audit::snapshot(&out)?),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::UserPatch>();
    }
}
