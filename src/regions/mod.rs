//! The 12 probation regions: seeded by a migration, read by everyone.

use axum::extract::State;
use entity::{Nation, region};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_regions))
        .routes(routes!(get_region))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegionOut {
    pub id: Uuid,
    /// Stable code used in paths, e.g. `kent-surrey-sussex`.
    pub code: String,
    pub name: String,
    pub nation: Nation,
}

impl From<region::Model> for RegionOut {
    fn from(r: region::Model) -> Self {
        Self {
            id: r.id,
            code: r.code,
            name: r.name,
            nation: r.nation,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegionList {
    /// All 12 regions, ordered by name.
    pub items: Vec<RegionOut>,
}

/// All regions (public). There are always exactly 12, so the list is not paginated.
pub async fn all(conn: &impl ConnectionTrait) -> Result<Vec<region::Model>, DbErr> {
    region::Entity::find()
        .order_by_asc(region::Column::Name)
        .all(conn)
        .await
}

pub async fn find_by_code(conn: &impl ConnectionTrait, code: &str) -> ApiResult<region::Model> {
    region::Entity::find()
        .filter(region::Column::Code.eq(code))
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no region with code `{code}`")))
}

/// The probation regions of England and Wales.
#[utoipa::path(
    get,
    path = "/regions",
    tag = "regions",
    responses((status = 200, description = "All 12 regions", body = RegionList))
)]
async fn list_regions(State(state): State<AppState>) -> ApiResult<Json<RegionList>> {
    let items = all(&state.db)
        .await?
        .into_iter()
        .map(RegionOut::from)
        .collect();
    Ok(Json(RegionList { items }))
}

/// One region, by its code.
#[utoipa::path(
    get,
    path = "/regions/{code}",
    tag = "regions",
    params(("code" = String, Path, description = "Region code, e.g. `wales`")),
    responses(
        (status = 200, description = "The region", body = RegionOut),
        (status = 404, description = "No region has that code", body = crate::http::problem::Problem),
    )
)]
async fn get_region(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<RegionOut>> {
    Ok(Json(find_by_code(&state.db, &code).await?.into()))
}

/// The schema of a region code: one of the 12 seeded by the migrations.
pub fn code_schema() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(migration::region_codes()))
        .build()
}

/// A list of region codes.
pub fn codes_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(code_schema())
        .build()
}
