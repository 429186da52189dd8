use sea_orm::entity::prelude::*;

use crate::ActionStatus;

/// Something a forum agreed to do, owned by an organisation and/or a person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub meeting_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub owner_organisation_id: Option<Uuid>,
    pub owner_user_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    pub completed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The agenda item it was agreed on, if any.
    pub agenda_item_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
