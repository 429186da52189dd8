//! Fixed vocabularies of DESIGN.md. They are stored as their kebab-case text so
//! the database stays readable and the same on SQLite and PostgreSQL.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Nation {
    England,
    Wales,
}

/// Annual income band: micro < £10k, small < £100k, medium < £1m, large < £10m, major above.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum SizeBand {
    Micro,
    Small,
    Medium,
    Large,
    Major,
}

/// Communities an organisation is led by and for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum LedByAndFor {
    RaciallyMinoritisedPeople,
    Women,
    LivedExperience,
    YoungPeople,
    Lgbtq,
    DisabledPeople,
}

/// Themes shared by organisations, commitments and the accountability report.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Theme {
    Women,
    Accommodation,
    RaceEquality,
    Families,
    YoungAdults,
    OlderPeople,
    ArtsCreativity,
    LivedExperience,
    VoluntarySectorEngagement,
    Commissioning,
    EmploymentEducation,
    HealthSubstanceMisuse,
    FinanceDebt,
}
