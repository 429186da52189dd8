use sea_orm::entity::prelude::*;

use crate::Visibility;

/// A section of a meeting's minutes: tied to an agenda item or free, and
/// readable by whom its visibility says (never more than its item's).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes_sections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub minutes_id: Uuid,
    /// Its place in the minutes, from 0.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub agenda_item_id: Option<Uuid>,
    pub heading: String,
    /// Markdown.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub visibility: Visibility,
    pub visibility_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
