use sea_orm::entity::prelude::*;

use crate::{AwardStatus, SizeBand};

/// An award as it stood at one of its versions: as made (version 1, no
/// reason), then after each correction or its withdrawal, with why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "award_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub award_id: Uuid,
    pub version: i32,
    pub organisation_id: Option<Uuid>,
    pub recipient_name: Option<String>,
    pub amount_pence: i64,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub size_band: Option<SizeBand>,
    pub in_supply_chain: Option<bool>,
    pub status: AwardStatus,
    pub reason: Option<String>,
    pub changed_by: Option<Uuid>,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
