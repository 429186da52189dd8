use sea_orm::entity::prelude::*;

/// A person's secret calendar-feed token. Calendar apps cannot send a bearer
/// token, so the feed URL carries this instead. It is kept as issued (the
/// person can fetch their URL again) and grants nothing but reading the
/// calendars of forums they take part in; rotating it replaces it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feeds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(unique)]
    pub token: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
