use sea_orm::entity::prelude::*;

/// Every version of a joint answer, kept.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_answer_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub answer_id: Uuid,
    pub version: i32,
    pub body: String,
    /// The contribution ids it cited (a JSON array).
    pub cites: Json,
    pub edited_by: Option<Uuid>,
    pub edited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
