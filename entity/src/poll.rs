use sea_orm::entity::prelude::*;

use crate::{PollKind, PollStatus};

/// A question put to the forum's member organisations: one vote each.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "polls")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub forum_id: Uuid,
    pub question: String,
    pub description: String,
    pub kind: PollKind,
    /// For multiple choice: how many options a vote may choose.
    pub max_choices: Option<i32>,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub results_before_close: bool,
    /// Whether who voted for what is shown, not only who voted.
    pub open_voting: bool,
    pub agenda_item_id: Option<Uuid>,
    pub consultation_id: Option<Uuid>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// Where the poll stands at `now`: cancelled whenever its officers
    /// cancelled it, otherwise as its times say.
    pub fn status_at(&self, now: DateTimeUtc) -> PollStatus {
        if self.cancelled_at.is_some() {
            PollStatus::Cancelled
        } else if now < self.opens_at {
            PollStatus::Upcoming
        } else if now < self.closes_at {
            PollStatus::Open
        } else {
            PollStatus::Closed
        }
    }
}
