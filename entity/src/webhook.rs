use sea_orm::entity::prelude::*;

/// An integration of a forum: told of the forum's events over HTTPS.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub url: String,
    pub description: String,
    /// The kinds of event it is sent (a JSON array of names).
    pub events: Json,
    /// `whsec_` and base64: the key that signs each request.
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<DateTimeUtc>,
    pub active: bool,
    pub failure_streak: i32,
    pub disabled_reason: Option<String>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
