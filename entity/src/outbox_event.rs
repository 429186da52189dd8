use sea_orm::entity::prelude::*;

/// Something people must hear about, recorded by the write that caused it,
/// in its transaction.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_events")]
pub struct Model {
    /// UUIDv7, so ordering by id is ordering by time.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What happened, as `entity.verb` (e.g. `meeting.scheduled`).
    pub kind: String,
    pub forum_id: Option<Uuid>,
    pub entity: String,
    pub entity_id: Uuid,
    pub actor_id: Option<Uuid>,
    /// What the messages need beyond the record itself (e.g. the earlier
    /// start of a rescheduled meeting).
    pub payload: Json,
    pub created_at: DateTimeUtc,
    pub dispatched_at: Option<DateTimeUtc>,
    /// For what must be recorded once (a reminder per item, threshold and
    /// date; a person's digest of a day): unique when present.
    pub once_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
