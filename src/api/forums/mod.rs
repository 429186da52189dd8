//! The JSON face of forums: each handler calls an operation of
//! `crate::forums` and responds. Memberships and roles have their own files.

mod memberships;
mod roles;

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::forums::{self, ForumDetail, ForumIn, ForumOut, ForumPatch, ForumQuery};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_forums, create_forum))
        .routes(routes!(get_forum, patch_forum))
        .merge(memberships::router())
        .merge(roles::router())
}

/// The forums, by name (public).
#[utoipa::path(
    get,
    path = "/forums",
    tag = "forums",
    params(ForumQuery),
    responses((status = 200, description = "A page of forums", body = Page<ForumOut>))
)]
async fn list_forums(
    State(state): State<AppState>,
    Query(query): Query<ForumQuery>,
) -> ApiResult<Json<Page<ForumOut>>> {
    Ok(Json(forums::list(&state, query).await?))
}

/// Create the forum of a region (admins). A region has at most one forum:
/// a second is 409, also when both are created at the same moment.
#[utoipa::path(
    post,
    path = "/forums",
    tag = "forums",
    request_body = ForumIn,
    responses(
        (status = 201, description = "Forum created", body = ForumOut,
         headers(("Location" = String, description = "URL of the new forum"))),
        (status = 409, description = "The region already has a forum"),
    ),
    security(("bearer" = []))
)]
async fn create_forum(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<ForumIn>,
) -> ApiResult<Created<ForumOut>> {
    let out = forums::create(&state, &user, input).await?;
    Ok(Created::at(
        api_path(format_args!("forums/{}", out.id)),
        out,
    ))
}

/// One forum, with a summary of its active member organisations (public).
///
/// Its officers (and admins) also get what its papers take in storage,
/// against its limit.
#[utoipa::path(
    get,
    path = "/forums/{id}",
    tag = "forums",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "The forum", body = ForumDetail),
        (status = 404, description = "No such forum"),
    ),
    security((), ("bearer" = []))
)]
async fn get_forum(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ForumDetail>> {
    Ok(Json(forums::get(&state, caller.as_ref(), id).await?))
}

/// Edit a forum.
///
/// Its secretary or chair may change the description and terms of reference;
/// the name and `issue_response_days` are for admins. A PATCH that changes
/// nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/forums/{id}",
    tag = "forums",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = ForumPatch,
    responses(
        (status = 200, description = "The updated forum", body = ForumOut),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn patch_forum(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<ForumPatch>,
) -> ApiResult<Json<ForumOut>> {
    Ok(Json(forums::change(&state, &user, id, patch).await?))
}
