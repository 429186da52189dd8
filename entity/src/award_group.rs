use sea_orm::entity::prelude::*;

use crate::LedByAndFor;

/// A community the awarded organisation was led by and for at the award.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub award_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: LedByAndFor,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
