//! The JSON face of people's roles in a forum.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::forums::{self, RoleAssigned, RoleCandidates, RoleIn, RoleOut, RoleQuery};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles))
        .routes(routes!(list_role_candidates))
        .routes(routes!(assign_role, remove_role))
}

/// Who holds which role in the forum (the forum's participants and admins).
#[utoipa::path(
    get,
    path = "/forums/{id}/roles",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id"), RoleQuery),
    responses(
        (status = 200, description = "A page of roles", body = Page<RoleOut>),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_roles(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<RoleQuery>,
) -> ApiResult<Json<Page<RoleOut>>> {
    Ok(Json(forums::roles(&state, &caller, forum_id, query).await?))
}

/// Whom the forum's officers could make members or observers (secretary,
/// chair, admins): the people of its active member organisations who hold
/// no role in it yet, by name — the first 500, and whether there are more.
#[utoipa::path(
    get,
    path = "/forums/{id}/role-candidates",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "The first candidates, by name", body = RoleCandidates),
        (status = 403, description = "Only those who assign roles see who could be given one"),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_role_candidates(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
) -> ApiResult<Json<RoleCandidates>> {
    Ok(Json(
        forums::role_candidates(&state, &caller, forum_id).await?,
    ))
}

/// Give a person a role in the forum, replacing any role they had.
///
/// Secretaries and chairs assign `member` and `observer`; only admins assign
/// (or change) `secretary`, `chair` and `rpd-staff`. A `member` must belong to
/// an organisation with an active membership of the forum (422 otherwise).
/// The role is replaced only if it is still the one read: a change made by
/// someone else meanwhile (or a role given at the same moment) is 409.
#[utoipa::path(
    put,
    path = "/forums/{id}/roles/{user_id}",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id"), ("user_id" = Uuid, Path, description = "User id")),
    request_body = RoleIn,
    responses(
        (status = 200, description = "Role changed, or already held", body = RoleOut),
        (status = 201, description = "Role given", body = RoleOut,
         headers(("Location" = String, description = "URL of the role (this request's own)"))),
        (status = 404, description = "No such forum or user"),
        (status = 409, description = "The person's role changed meanwhile"),
    ),
    security(("bearer" = []))
)]
async fn assign_role(
    State(state): State<AppState>,
    caller: AuthUser,
    Path((forum_id, user_id)): Path<(Uuid, Uuid)>,
    Json(input): Json<RoleIn>,
) -> ApiResult<Response> {
    Ok(
        match forums::assign_role(&state, &caller, forum_id, user_id, input).await? {
            RoleAssigned::Given(out) => {
                let location = api_path(format_args!("forums/{forum_id}/roles/{user_id}"));
                Created::at(location, out).into_response()
            }
            RoleAssigned::Replaced(out) | RoleAssigned::AlreadyHeld(out) => {
                Json(out).into_response()
            }
        },
    )
}

/// Take away a person's role in the forum (the same people who may give it).
/// Only the role read is taken away: one changed meanwhile is 409.
#[utoipa::path(
    delete,
    path = "/forums/{id}/roles/{user_id}",
    tag = "roles",
    params(("id" = Uuid, Path, description = "Forum id"), ("user_id" = Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Role removed"),
        (status = 404, description = "No such forum, or the person has no role in it"),
        (status = 409, description = "The person's role changed meanwhile"),
    ),
    security(("bearer" = []))
)]
async fn remove_role(
    State(state): State<AppState>,
    caller: AuthUser,
    Path((forum_id, user_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    forums::remove_role(&state, &caller, forum_id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
