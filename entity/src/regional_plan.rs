use sea_orm::entity::prelude::*;

use crate::PlanStatus;

/// A region's Reducing Reoffending Plan, refreshed yearly.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "regional_plans")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub region_id: Uuid,
    pub title: String,
    /// e.g. `2021-22`.
    pub period: String,
    pub published_on: Option<Date>,
    pub source_url: Option<String>,
    pub status: PlanStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
