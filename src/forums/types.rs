//! What is sent and answered about forums and the roles people hold in
//! them, and how it is checked.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{ForumRole, forum, forum_role, user};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::limits;
use crate::kernel::names::{Named, OneName};
use crate::kernel::patch::{Apply, present, set, trimmed};
use crate::kernel::validation::Validator;

pub const DEFAULT_ISSUE_RESPONSE_DAYS: i32 = 28;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForumIn {
    /// Code of the region; each region has at most one forum.
    #[schema(schema_with = crate::regions::code_schema)]
    pub region: String,
    /// 1–200 characters, one line.
    #[schema(schema_with = limits::ForumName::schema)]
    pub name: String,
    /// Up to 5,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::ForumDescription::schema)]
    pub description: String,
    /// Markdown, up to 100,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::TermsOfReference::schema)]
    pub terms_of_reference: String,
    /// Days the RPD's team has to answer a raised issue, 1–90 (default 28).
    #[schema(minimum = 1, maximum = 90)]
    pub issue_response_days: Option<i32>,
}

/// Only the fields to change; none can be `null` (an empty description or
/// terms of reference clears them). Secretaries and chairs may change
/// `description` and `terms_of_reference`; the rest is for admins.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForumPatch {
    /// 1–200 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ForumName::schema)]
    pub name: Option<String>,
    /// Up to 5,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ForumDescription::schema)]
    pub description: Option<String>,
    /// Markdown, up to 100,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::TermsOfReference::schema)]
    pub terms_of_reference: Option<String>,
    /// 1–90.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, minimum = 1, maximum = 90)]
    pub issue_response_days: Option<i32>,
}

impl ForumPatch {
    pub fn touches_settings(&self) -> bool {
        self.name.is_some() || self.issue_response_days.is_some()
    }
}

impl Apply for ForumPatch {
    type ActiveModel = forum::ActiveModel;

    fn apply(self, to: &mut forum::ActiveModel) {
        set(&mut to.name, self.name.map(trimmed));
        set(&mut to.description, self.description.map(trimmed));
        set(&mut to.terms_of_reference, self.terms_of_reference);
        set(&mut to.issue_response_days, self.issue_response_days);
    }
}

fn check_common(
    v: &mut Validator,
    name: Option<&str>,
    description: Option<&str>,
    tor: Option<&str>,
    days: Option<i32>,
) {
    if let Some(name) = name {
        v.rule::<limits::ForumName>(name, "name");
    }
    if let Some(description) = description {
        v.rule::<limits::ForumDescription>(description, "description");
    }
    if let Some(tor) = tor {
        v.rule::<limits::TermsOfReference>(tor, "terms_of_reference");
    }
    if let Some(days) = days {
        v.check(
            (1..=90).contains(&days),
            "issue_response_days",
            "must be between 1 and 90",
        );
    }
}

impl ForumIn {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        check_common(
            &mut v,
            Some(&self.name),
            Some(&self.description),
            Some(&self.terms_of_reference),
            self.issue_response_days,
        );
        v.finish()
    }
}

impl ForumPatch {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        check_common(
            &mut v,
            self.name.as_deref(),
            self.description.as_deref(),
            self.terms_of_reference.as_deref(),
            self.issue_response_days,
        );
        v.finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForumOut {
    pub id: Uuid,
    /// Region code.
    pub region: String,
    pub name: String,
    pub description: String,
    pub terms_of_reference: String,
    pub issue_response_days: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ForumOut {
    pub fn new(forum: forum::Model, region_code: String) -> Self {
        Self {
            id: forum.id,
            region: region_code,
            name: forum.name,
            description: forum.description,
            terms_of_reference: forum.terms_of_reference,
            issue_response_days: forum.issue_response_days,
            created_at: forum.created_at,
            updated_at: forum.updated_at,
        }
    }
}

/// How far the forum reaches beyond the probation supply chain: its active
/// member organisations, counted.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MembershipSummary {
    pub active_member_organisations: u64,
    /// Members that hold no probation contract.
    pub outside_supply_chain: u64,
    pub in_supply_chain: u64,
    /// Every size band, with the number of members in it.
    pub by_size_band: BTreeMap<String, u64>,
    /// Every led-by-and-for category, with the number of members led by and
    /// for it (an organisation may count in several).
    pub by_led_by_and_for: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForumDetail {
    #[serde(flatten)]
    pub forum: ForumOut,
    pub membership_summary: MembershipSummary,
    /// What the forum's papers take (for its officers and admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper_storage: Option<PaperStorage>,
}

/// What a forum's papers take in storage, every version counted, against
/// the limit the server sets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PaperStorage {
    pub used_bytes: i64,
    pub limit_bytes: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ForumQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    pub role: ForumRole,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleOut {
    pub forum_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub organisation_id: Option<Uuid>,
    /// The name of their organisation; `null` for none.
    pub organisation_name: Option<String>,
    pub role: ForumRole,
    pub created_at: DateTime<Utc>,
}

impl RoleOut {
    pub(super) fn new(
        role: forum_role::Model,
        person: Option<&Named<user::Model, OneName>>,
    ) -> Self {
        Self {
            forum_id: role.forum_id,
            user_id: role.user_id,
            display_name: person
                .map(|p| p.record.display_name.clone())
                .unwrap_or_default(),
            organisation_id: person.and_then(|p| p.record.organisation_id),
            organisation_name: person.and_then(|p| p.names.one_name.clone()),
            role: role.role,
            created_at: role.created_at,
        }
    }
}

/// What giving someone a role did.
#[derive(Debug)]
pub enum RoleAssigned {
    /// They had no role in the forum; now they hold this one.
    Given(RoleOut),
    /// They held another role, which this one replaced.
    Replaced(RoleOut),
    /// They held this role already: nothing was written.
    AlreadyHeld(RoleOut),
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoleQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub role: Option<ForumRole>,
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::ForumPatch>();
    }
}
