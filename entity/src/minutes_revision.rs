use sea_orm::entity::prelude::*;

/// Every version of a meeting's minutes, kept.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub minutes_id: Uuid,
    pub version: i32,
    /// The text of versions kept before minutes had sections (then one
    /// public section).
    pub body: String,
    /// The sections of this version, as JSON (`[{heading, body, …}]`).
    #[sea_orm(column_type = "Text", nullable)]
    pub sections: Option<String>,
    pub edited_by: Option<Uuid>,
    pub edited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
