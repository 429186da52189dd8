use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    /// UUIDv7, so ordering by id is ordering by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    /// What happened, as `entity.verb` (e.g. `user.registered`).
    pub action: String,
    pub entity: String,
    pub entity_id: Uuid,
    /// The forum the record belongs to, when it belongs to one; lets a forum's
    /// officers read their own trail.
    pub forum_id: Option<Uuid>,
    pub changes: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
