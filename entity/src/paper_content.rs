use sea_orm::entity::prelude::*;

/// The bytes of one uploaded file (in `paper_chunk`s, or a file of the
/// configured directory), never changed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "paper_contents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub size: i64,
    pub sha256: String,
    /// Every chunk but the last holds this many bytes.
    pub chunk_size: i32,
    pub stored_in: crate::ContentStore,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
