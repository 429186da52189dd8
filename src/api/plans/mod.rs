//! The JSON face of plans and their commitments: each handler extracts,
//! calls the operation of `crate::plans` and responds.

mod commitments;
mod import;

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::plans::{self, PlanIn, PlanOut, PlanPatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan, patch_plan))
        .merge(commitments::router())
        .merge(import::router())
}

/// A region's plans, newest first (public).
#[utoipa::path(
    get,
    path = "/regions/{code}/plans",
    tag = "plans",
    params(("code" = String, Path, description = "Region code"), PageQuery),
    responses(
        (status = 200, description = "A page of plans", body = Page<PlanOut>),
        (status = 404, description = "No such region"),
    )
)]
async fn list_plans(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PlanOut>>> {
    Ok(Json(plans::list(&state, &code, query).await?))
}

/// Publish a plan for the region (the region's RPD staff, admins).
///
/// A new plan is the region's current one unless `current` is `false`; the
/// plan it replaces is marked superseded, and its commitments stay readable
/// and linked. Of two current plans published for a region at the same
/// moment, one is published and the other is refused (409): publish it again
/// to supersede the winner.
#[utoipa::path(
    post,
    path = "/regions/{code}/plans",
    tag = "plans",
    params(("code" = String, Path, description = "Region code")),
    request_body = PlanIn,
    responses(
        (status = 201, description = "Plan published", body = PlanOut,
         headers(("Location" = String, description = "URL of the new plan"))),
        (status = 404, description = "No such region"),
        (status = 409, description = "Another current plan was published for the region at the same moment"),
    ),
    security(("bearer" = []))
)]
async fn create_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Path(code): Path<String>,
    Json(input): Json<PlanIn>,
) -> ApiResult<Created<PlanOut>> {
    let out = plans::publish(&state, &user, &code, input).await?;
    Ok(Created::at(api_path(format_args!("plans/{}", out.id)), out))
}

/// One plan (public).
#[utoipa::path(
    get,
    path = "/plans/{id}",
    tag = "plans",
    params(("id" = Uuid, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan", body = PlanOut),
        (status = 404, description = "No such plan"),
    )
)]
async fn get_plan(State(state): State<AppState>, Path(id): Path<Uuid>) -> ApiResult<Json<PlanOut>> {
    Ok(Json(plans::get(&state, id).await?))
}

/// Correct a plan's details (the region's RPD staff, admins). A PATCH that
/// changes nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/plans/{id}",
    tag = "plans",
    params(("id" = Uuid, Path, description = "Plan id")),
    request_body = PlanPatch,
    responses(
        (status = 200, description = "The plan as it now is", body = PlanOut),
        (status = 404, description = "No such plan"),
    ),
    security(("bearer" = []))
)]
async fn patch_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<PlanPatch>,
) -> ApiResult<Json<PlanOut>> {
    Ok(Json(plans::correct(&state, &user, id, patch).await?))
}
