//! A region as the API shows it, and the schema of a region code.

use entity::{Nation, region};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

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
