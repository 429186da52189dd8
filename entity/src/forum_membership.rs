use sea_orm::entity::prelude::*;

use crate::MembershipStatus;

/// An organisation's place in a forum.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forum_memberships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub organisation_id: Uuid,
    pub status: MembershipStatus,
    /// What the organisation offers the forum, from its application.
    pub statement: String,
    /// Why it was last rejected, suspended or reinstated.
    pub status_reason: Option<String>,
    pub applied_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
