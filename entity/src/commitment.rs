use sea_orm::entity::prelude::*;

use crate::{CommitmentStatus, Firmness, Theme};

/// A promise in a regional plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    /// Unique within the plan, e.g. `KSS-ACC-1`.
    pub reference: String,
    pub theme: Theme,
    pub text: String,
    pub firmness: Firmness,
    pub target: Option<String>,
    pub due_on: Option<Date>,
    pub status: CommitmentStatus,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
