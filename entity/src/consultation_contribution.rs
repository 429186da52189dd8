use sea_orm::entity::prelude::*;

/// A member organisation's answer to one question: at most one each.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consultation_contributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub consultation_id: Uuid,
    pub question_id: Uuid,
    pub organisation_id: Uuid,
    /// Markdown.
    pub body: String,
    pub version: i32,
    /// Who wrote it last.
    pub written_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
