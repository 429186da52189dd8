//! The JSON face of user management: each handler calls an operation of
//! `crate::users` and responds.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::auth::UserOut;
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::users::{self, UserPatch, UserQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(get_user, patch_user))
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
    Ok(Json(users::list(&state, &caller, query).await?))
}

/// One user account (admins).
#[utoipa::path(
    get,
    path = "/users/{id}",
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserOut),
        (status = 404, description = "No such user"),
    ),
    security(("bearer" = []))
)]
async fn get_user(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserOut>> {
    Ok(Json(users::get(&state, &caller, id).await?))
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
        (status = 404, description = "No such user"),
    ),
    security(("bearer" = []))
)]
async fn patch_user(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<UserPatch>,
) -> ApiResult<Json<UserOut>> {
    Ok(Json(users::change(&state, &caller, id, patch).await?))
}
