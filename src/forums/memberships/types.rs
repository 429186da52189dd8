use chrono::{DateTime, Utc};
use entity::{LedByAndFor, MembershipStatus, SizeBand, Theme, forum_membership};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::limits;
use crate::kernel::validation::Validator;
use crate::organisations::OrganisationOut;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipIn {
    /// The organisation applying; defaults to your own. Only admins may name another.
    pub organisation_id: Option<Uuid>,
    /// What the organisation offers the forum, 1–2,000 characters.
    #[schema(schema_with = limits::MembershipStatement::schema)]
    pub statement: String,
}

impl MembershipIn {
    pub fn validate(&self) -> Result<(), ApiError> {
        Validator::default()
            .rule::<limits::MembershipStatement>(&self.statement, "statement")
            .finish()
    }
}

/// A move along the membership state machine:
/// `applied → active | rejected`, `active → suspended | left`, `suspended → active | left`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipChange {
    #[schema(schema_with = status_targets)]
    pub status: MembershipStatus,
    /// Why: required to suspend, optional otherwise; up to 2,000 characters.
    #[schema(schema_with = limits::MembershipReason::nullable)]
    pub reason: Option<String>,
}

/// The statuses a membership can be moved to: all but `applied`, which only
/// an application (`POST`) gives.
pub const STATUS_TARGETS: [MembershipStatus; 4] = [
    MembershipStatus::Active,
    MembershipStatus::Rejected,
    MembershipStatus::Suspended,
    MembershipStatus::Left,
];

fn status_targets() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(STATUS_TARGETS.map(MembershipStatus::as_str)))
        .build()
}

impl MembershipChange {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        match &self.reason {
            Some(reason) => {
                v.rule::<limits::MembershipReason>(reason, "reason");
            }
            None => {
                v.check(
                    self.status != MembershipStatus::Suspended,
                    "reason",
                    "is required to suspend a membership",
                );
            }
        }
        v.check(
            STATUS_TARGETS.contains(&self.status),
            "status",
            "a membership cannot be moved back to applied; apply again instead",
        );
        v.finish()
    }
}

/// The organisation as a membership shows it. An active member's public
/// profile (name, size band, who it is led by and for, its themes) is shown
/// to everyone, as the forum's public page shows it; whether it holds
/// probation contracts only to the forum's participants.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MemberOrganisation {
    // Fields that are left out rather than `null` are neither required nor
    // nullable in the spec (`nullable = false`).
    pub id: Uuid,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub size_band: Option<SizeBand>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub in_supply_chain: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub led_by_and_for: Option<Vec<LedByAndFor>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub themes: Option<Vec<Theme>>,
}

/// A membership. To people outside the forum, only active memberships are
/// listed, with the organisation's public profile and nothing of the
/// membership but its status.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MembershipOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub organisation: MemberOrganisation,
    pub status: MembershipStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub status_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl MembershipOut {
    pub fn full(m: forum_membership::Model, org: &OrganisationOut) -> Self {
        Self {
            id: m.id,
            forum_id: m.forum_id,
            organisation: MemberOrganisation {
                id: org.id,
                name: org.name.clone(),
                size_band: Some(org.size_band),
                in_supply_chain: Some(org.in_supply_chain),
                led_by_and_for: Some(org.led_by_and_for.clone()),
                themes: Some(org.themes.clone()),
            },
            status: m.status,
            statement: Some(m.statement),
            status_reason: m.status_reason,
            created_at: Some(m.created_at),
            updated_at: Some(m.updated_at),
        }
    }

    pub fn public(m: forum_membership::Model, org: Option<&OrganisationOut>) -> Self {
        Self {
            id: m.id,
            forum_id: m.forum_id,
            organisation: MemberOrganisation {
                id: m.organisation_id,
                name: org.map(|o| o.name.clone()).unwrap_or_default(),
                size_band: org.map(|o| o.size_band),
                in_supply_chain: None,
                led_by_and_for: org.map(|o| o.led_by_and_for.clone()),
                themes: org.map(|o| o.themes.clone()),
            },
            status: m.status,
            statement: None,
            status_reason: None,
            created_at: None,
            updated_at: None,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MembershipQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<MembershipStatus>,
    pub size_band: Option<SizeBand>,
    /// Only organisations led by and for this community.
    pub led_by_and_for: Option<LedByAndFor>,
    /// Only organisations that work on this theme.
    pub theme: Option<Theme>,
    /// `false` for organisations outside the probation supply chain.
    pub in_supply_chain: Option<bool>,
}
