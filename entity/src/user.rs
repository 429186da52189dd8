use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stored trimmed and lower-cased, which makes the unique index case-insensitive.
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub organisation_id: Option<Uuid>,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the address was shown to be theirs; mail other than account
    /// links and role invitations goes only to verified addresses.
    pub email_verified_at: Option<DateTimeUtc>,
    pub verification_sent_at: Option<DateTimeUtc>,
    pub password_reset_sent_at: Option<DateTimeUtc>,
    /// When a change of address was last asked for (the rate limit).
    pub email_change_sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
