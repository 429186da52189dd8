use sea_orm::entity::prelude::*;

/// The voluntary sector forum of one region.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forums")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub region_id: Uuid,
    pub name: String,
    pub description: String,
    /// Markdown.
    pub terms_of_reference: String,
    /// Days the RPD's team has to answer a raised issue.
    pub issue_response_days: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
