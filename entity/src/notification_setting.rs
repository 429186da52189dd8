use sea_orm::entity::prelude::*;

use crate::NotificationMode;

/// A person's choice for one kind of notification (absent: the default).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// An outbox event kind, e.g. `meeting.scheduled`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    pub mode: NotificationMode,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
