//! The 12 probation regions: seeded by a migration, read by everyone.
//! `api::regions` is their JSON face.

mod types;

use entity::region;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

pub use types::{RegionList, RegionOut, code_schema, codes_schema};

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

/// Every region, by name (anyone may read them).
pub async fn list(state: &AppState) -> ApiResult<RegionList> {
    let items = all(&state.db)
        .await?
        .into_iter()
        .map(RegionOut::from)
        .collect();
    Ok(RegionList { items })
}

/// One region, by its code (404 when no region has it).
pub async fn get(state: &AppState, code: &str) -> ApiResult<RegionOut> {
    Ok(find_by_code(&state.db, code).await?.into())
}
