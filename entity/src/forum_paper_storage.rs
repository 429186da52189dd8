use sea_orm::entity::prelude::*;

/// What a forum's papers take in storage, every version counted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_paper_storage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub forum_id: Uuid,
    pub used_bytes: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
