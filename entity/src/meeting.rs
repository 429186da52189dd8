use sea_orm::entity::prelude::*;

use crate::MeetingStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    pub description: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub location: Option<String>,
    pub online_link: Option<String>,
    pub status: MeetingStatus,
    pub cancel_reason: Option<String>,
    /// Starts at 1 and rises on every change; the ETag, and the iCalendar SEQUENCE (version − 1).
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The series it is an occurrence of, if any.
    pub series_id: Option<Uuid>,
    /// The start its series' rule gave it (its RECURRENCE-ID).
    pub occurrence_start: Option<DateTimeUtc>,
    /// An occurrence changed by hand: the series' later edits leave it be.
    pub is_exception: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
