//! `convene seed-demo`: a realistic dataset for all 12 regions, so that the
//! accountability report of a demo region tells a real story — a theme with no
//! commitments, commitments with no action behind them, overdue actions.
//! Idempotent: a second run changes nothing.

mod build;
mod calendar;
mod consultation;
mod data;
mod forum;
mod funding;
mod issues;
mod meetings;
mod people;
mod plans;
mod poll;
mod rows;
mod story;

use chrono::{DateTime, Utc};
use entity::setting;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

use crate::kernel::credentials::passwords::Passwords;
use crate::kernel::error::ApiError;

/// Every demo account signs in with this.
pub const DEMO_PASSWORD: &str = "demo passphrase 2021";
const SEEDED: &str = "demo_seeded_at";

/// A region the demo left alone because it already holds real data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRegion {
    pub code: String,
    /// What it already has, e.g. "it already has a forum".
    pub reason: &'static str,
}

impl std::fmt::Display for SkippedRegion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.reason)
    }
}

#[derive(Default)]
pub struct Seeded {
    /// Regions left alone because they already had a forum or a plan.
    pub skipped_regions: Vec<SkippedRegion>,
    pub forums: usize,
    pub organisations: usize,
    pub users: usize,
    /// Each region's 2021-22 plan and its current one.
    pub plans: usize,
    pub commitments: usize,
    pub actions: usize,
    pub meetings: usize,
    pub issues: usize,
    pub consultations: usize,
    pub opportunities: usize,
}

/// When the demo data was loaded, if it has been.
pub async fn loaded_at(db: &DatabaseConnection) -> Result<Option<String>, ApiError> {
    Ok(setting::Entity::find_by_id(SEEDED)
        .one(db)
        .await?
        .map(|s| s.value))
}

/// Seeds the demo data unless it is already there (`Ok(None)` then).
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Option<Seeded>, ApiError> {
    if setting::Entity::find_by_id(SEEDED).one(db).await?.is_some() {
        return Ok(None);
    }
    // One hash for every demo account: seeding stays fast.
    let password_hash = Passwords::default().hash(DEMO_PASSWORD.to_string()).await?;
    let txn = crate::kernel::db::begin_write(db).await?;
    let seeded = build::everything(&txn, &password_hash, now).await?;
    // The demo is written row by row, not through the API: its counters are
    // computed once, from what it wrote.
    crate::counters::rebuild(&txn).await?;
    setting::ActiveModel {
        key: Set(SEEDED.into()),
        value: Set(now.to_rfc3339()),
    }
    .insert(&txn)
    .await?;
    crate::kernel::audit::AuditEvent::new(
        None,
        "demo.seeded",
        crate::kernel::audit::EntityKind::Setting,
        uuid::Uuid::nil(),
    )
    .changes(serde_json::json!({
        "forums": seeded.forums, "organisations": seeded.organisations, "users": seeded.users,
        "plans": seeded.plans, "commitments": seeded.commitments, "actions": seeded.actions,
        "meetings": seeded.meetings, "issues": seeded.issues,
        "consultations": seeded.consultations,
        "opportunities": seeded.opportunities,
    }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(Some(seeded))
}
