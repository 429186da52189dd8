use sea_orm::entity::prelude::*;

/// Something a meeting must come back to: an action, an answered issue or
/// a carried-over agenda item. Dropped by an officer with a reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "matters_arising")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// `action`, `issue` or `agenda-item`.
    pub kind: String,
    pub source_id: Uuid,
    #[sea_orm(column_type = "Text", nullable)]
    pub dropped_reason: Option<String>,
    pub dropped_by: Option<Uuid>,
    pub dropped_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
