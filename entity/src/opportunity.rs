use sea_orm::entity::prelude::*;

use crate::{Commissioner, FundingMechanism, OpportunityState, ValueBand};

/// A funding opportunity in a region's commissioning pipeline, published by
/// the region's RPD staff.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub region_id: Uuid,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub mechanism: FundingMechanism,
    pub commissioner: Commissioner,
    /// Who commissions it, in words (e.g. for `other`).
    pub commissioner_name: Option<String>,
    pub value_band: Option<ValueBand>,
    pub amount_pence: Option<i64>,
    pub opens_on: Date,
    pub closes_on: Date,
    /// The places it covers, as a JSON array of text.
    pub localities: Json,
    pub status: OpportunityState,
    pub withdrawn_reason: Option<String>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
