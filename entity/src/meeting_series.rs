use sea_orm::entity::prelude::*;

use crate::SeriesStatus;

/// Meetings of a forum made from a recurrence rule (RFC 5545), on London's
/// wall clock.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_series")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub location: Option<String>,
    pub online_link: Option<String>,
    /// The RRULE value, e.g. `FREQ=MONTHLY;BYDAY=2TU;COUNT=6`.
    pub rule: String,
    /// The first start, on London's clock.
    pub starts_local: DateTime,
    pub duration_minutes: i32,
    pub status: SeriesStatus,
    pub materialised_until: DateTimeUtc,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The series this one continues, from the meeting it was split at.
    pub split_from: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
