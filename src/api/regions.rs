//! The JSON face of the regions: each handler calls an operation of
//! `crate::regions` and responds.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::extract::{Json, Path};
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::regions::{self, RegionList, RegionOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_regions))
        .routes(routes!(get_region))
}

/// The probation regions of England and Wales.
#[utoipa::path(
    get,
    path = "/regions",
    tag = "regions",
    responses((status = 200, description = "All 12 regions", body = RegionList))
)]
async fn list_regions(State(state): State<AppState>) -> ApiResult<Json<RegionList>> {
    Ok(Json(regions::list(&state).await?))
}

/// One region, by its code.
#[utoipa::path(
    get,
    path = "/regions/{code}",
    tag = "regions",
    params(("code" = String, Path, description = "Region code, e.g. `wales`")),
    responses(
        (status = 200, description = "The region", body = RegionOut),
        (status = 404, description = "No region has that code"),
    )
)]
async fn get_region(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<RegionOut>> {
    Ok(Json(regions::get(&state, &code).await?))
}
