use sea_orm::entity::prelude::*;

use crate::{IssuePriority, IssueStatus};

/// A local challenge the forum raises with the RPD's team.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "raised_issues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    pub body: String,
    pub priority: IssuePriority,
    pub raised_by: Option<Uuid>,
    pub raised_for_organisation_id: Option<Uuid>,
    pub meeting_id: Option<Uuid>,
    pub status: IssueStatus,
    pub response_due_on: Date,
    pub first_response_at: Option<DateTimeUtc>,
    pub days_to_first_response: Option<i32>,
    /// Whether the first response came on or before `response_due_on`.
    pub answered_within_due_date: Option<bool>,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
