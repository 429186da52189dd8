use sea_orm::entity::prelude::*;

use crate::{AwardStatus, SizeBand};

/// Funding awarded under an opportunity: to a Convene organisation (with
/// its size band and supply-chain standing as they were then) or to an
/// outside body, by name. Corrected or withdrawn by the region's RPD staff
/// with a reason; every state it has had is kept in `award_revisions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "awards")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub opportunity_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub recipient_name: Option<String>,
    pub amount_pence: i64,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub size_band: Option<SizeBand>,
    pub in_supply_chain: Option<bool>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub status: AwardStatus,
    pub withdrawn_reason: Option<String>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
