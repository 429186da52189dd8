//! A meeting's matters arising: reading, refreshing and dropping them.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::meetings::{self, DropMatterIn, MattersOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_matters, refresh_matters))
        .routes(routes!(drop_matter))
}

/// The meeting's matters arising (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/matters-arising",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "Its matters arising, dropped ones included", body = MattersOut),
        (status = 404, description = "No such meeting, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_matters(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<MattersOut>> {
    Ok(Json(meetings::list_matters(&state, &user, id).await?))
}

/// Bring the meeting's matters arising up to date (its officers).
///
/// Adds what the forum's record now holds for it — actions still open from
/// earlier meetings, issues answered since the last meeting held, items
/// that meeting carried over — and nothing twice; an entry an officer
/// dropped stays dropped. Only before the meeting is held (409 after, or
/// once cancelled).
#[utoipa::path(
    post,
    path = "/meetings/{id}/matters-arising",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "Its matters arising now", body = MattersOut),
        (status = 403, description = "Only the forum's officers"),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting has been held or cancelled"),
    ),
    security(("bearer" = []))
)]
async fn refresh_matters(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<MattersOut>> {
    Ok(Json(meetings::refresh_matters(&state, &user, id).await?))
}

/// Drop a matter arising, with the reason (the forum's officers).
///
/// It stays on the list, marked dropped; a refresh does not bring it back.
/// Dropping it again is 409.
#[utoipa::path(
    post,
    path = "/matters-arising/{id}/drop",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Matter arising id")),
    request_body = DropMatterIn,
    responses(
        (status = 200, description = "The meeting's matters arising now", body = MattersOut),
        (status = 403, description = "Only the forum's officers"),
        (status = 404, description = "No such entry, or not yours to see"),
        (status = 409, description = "Already dropped"),
        (status = 422, description = "No reason given"),
    ),
    security(("bearer" = []))
)]
async fn drop_matter(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<DropMatterIn>,
) -> ApiResult<Json<MattersOut>> {
    Ok(Json(meetings::drop_matter(&state, &user, id, input).await?))
}
