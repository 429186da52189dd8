use sea_orm::entity::prelude::*;

/// A contribution a joint answer draws on, as the answer now stands.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_answer_citations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub answer_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub contribution_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
