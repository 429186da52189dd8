use sea_orm::entity::prelude::*;

/// A single-use link sent to a person's address: a password reset or an
/// email verification. Only the token's SHA-256 is kept.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `password-reset` or `email-verification`.
    pub purpose: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The address the link was sent to.
    pub email: String,
    pub expires_at: DateTimeUtc,
    pub used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
