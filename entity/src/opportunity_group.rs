use sea_orm::entity::prelude::*;

use crate::LedByAndFor;

/// A community whose own organisations an opportunity is aimed at.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity_groups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub opportunity_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub category: LedByAndFor,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
