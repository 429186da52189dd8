use sea_orm::entity::prelude::*;

/// A sign-in: the family of refresh tokens that descend from one login, or
/// a browser's session cookie. Access tokens name their session, so
/// revoking it ends them at once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_reason: Option<String>,
    /// SHA-256 of the browser's session cookie; `None` for the API's.
    pub cookie_hash: Option<String>,
    /// The browser it was started from, so its owner can tell it apart.
    pub user_agent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
