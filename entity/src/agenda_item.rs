use sea_orm::entity::prelude::*;

use crate::{AgendaItemStatus, Visibility};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// Order on the agenda; only accepted items have one.
    pub position: Option<i32>,
    pub title: String,
    pub description: String,
    pub presenter: Option<String>,
    pub minutes_allotted: Option<i32>,
    pub status: AgendaItemStatus,
    pub proposed_by: Option<Uuid>,
    /// Starts at 1 and rises on every change to the item, its links or its position; the ETag.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Who may read it; others are told only that it is withheld, and why.
    pub visibility: Visibility,
    /// Required unless the item is public.
    pub visibility_reason: Option<String>,
    /// Not reached at its (held) meeting: a matter arising at the next.
    pub carried_over: bool,
    /// What the held meeting decided or noted on it (markdown).
    pub outcome: Option<String>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub votes_abstain: Option<i32>,
    pub outcome_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
