use sea_orm::entity::prelude::*;

use crate::Visibility;

/// A file attached to a meeting (and maybe one of its agenda items), a
/// raised issue, a regional plan or a consultation, as its current version
/// has it; earlier versions are in `paper_version`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "papers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// None for a region's plan.
    pub forum_id: Option<Uuid>,
    pub meeting_id: Option<Uuid>,
    pub agenda_item_id: Option<Uuid>,
    pub issue_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub consultation_id: Option<Uuid>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Narrower than what it is attached to, when officers make it so.
    pub visibility: Option<Visibility>,
    pub visibility_reason: Option<String>,
    /// The number of its current version, from 1.
    pub current_version: i32,
    pub content_id: Uuid,
    pub file_name: String,
    /// As decided from the bytes.
    pub content_type: String,
    pub size: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Rises with every change (metadata or file): the `ETag` of the paper.
    pub version: i32,
    pub uploaded_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
