//! Request and response bodies of plans and their commitments.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    CommitmentStatus, Firmness, PlanStatus, Theme, commitment, commitment_status_change,
    regional_plan,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::patch::{self, Apply, nullable, present};
use crate::kernel::validation::Validator;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanIn {
    /// 1–300 characters.
    #[schema(schema_with = limits::PlanTitle::schema)]
    pub title: String,
    /// The years it covers, e.g. `2021-22`.
    #[schema(schema_with = limits::PlanPeriod::schema)]
    pub period: String,
    pub published_on: Option<NaiveDate>,
    /// Where the published plan can be read.
    #[schema(schema_with = limits::PlanSourceUrl::nullable)]
    pub source_url: Option<String>,
    /// Publish as the region's current plan, superseding the one before (default `true`).
    pub current: Option<bool>,
}

/// Only the fields to change. `published_on` and `source_url` may be `null`
/// to clear them; `title` and `period` cannot be cleared.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PlanTitle::schema)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PlanPeriod::schema)]
    pub period: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub published_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::PlanSourceUrl::nullable)]
    pub source_url: Option<Option<String>>,
}

impl Apply for PlanPatch {
    type ActiveModel = regional_plan::ActiveModel;

    fn apply(self, to: &mut regional_plan::ActiveModel) {
        patch::set(&mut to.title, self.title.map(patch::trimmed));
        patch::set(&mut to.period, self.period.map(patch::trimmed));
        patch::set(&mut to.published_on, self.published_on);
        patch::set(
            &mut to.source_url,
            self.source_url.map(|url| url.map(patch::trimmed)),
        );
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlanOut {
    pub id: Uuid,
    /// Region code.
    pub region: String,
    pub title: String,
    pub period: String,
    pub published_on: Option<NaiveDate>,
    pub source_url: Option<String>,
    pub status: PlanStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PlanOut {
    pub fn new(p: regional_plan::Model, region: String) -> Self {
        Self {
            id: p.id,
            region,
            title: p.title,
            period: p.period,
            published_on: p.published_on,
            source_url: p.source_url,
            status: p.status,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

pub fn check_plan(
    v: &mut Validator,
    title: Option<&str>,
    period: Option<&str>,
    source_url: Option<&str>,
) {
    if let Some(title) = title {
        v.rule::<limits::PlanTitle>(title, "title");
    }
    if let Some(period) = period {
        v.rule::<limits::PlanPeriod>(period, "period");
    }
    if let Some(url) = source_url {
        v.rule::<limits::PlanSourceUrl>(url, "source_url");
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentIn {
    /// Unique within the plan, e.g. `KSS-ACC-1`; 1–50 characters.
    #[schema(schema_with = limits::CommitmentReference::schema)]
    pub reference: String,
    pub theme: Theme,
    /// The commitment as the plan states it, 1–5,000 characters.
    #[schema(schema_with = limits::CommitmentText::schema)]
    pub text: String,
    pub firmness: Firmness,
    /// The measure it is held to, e.g. `90% housed on the first night`; 1–1,000 characters, one line.
    #[schema(schema_with = limits::CommitmentTarget::nullable)]
    pub target: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// Default `not-started`.
    pub status: Option<CommitmentStatus>,
}

/// Only the fields to change. A change of `status` needs a `status_note`,
/// which is kept in the commitment's history. `target` and `due_on` may be
/// `null` to clear them; the other fields cannot be cleared.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::CommitmentReference::schema)]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub theme: Option<Theme>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::CommitmentText::schema)]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub firmness: Option<Firmness>,
    /// 1–1,000 characters, one line.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::CommitmentTarget::nullable)]
    pub target: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<CommitmentStatus>,
    /// Why the status changes, 1–2,000 characters (markdown).
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::StatusNote::schema)]
    pub status_note: Option<String>,
}

impl Apply for CommitmentPatch {
    type ActiveModel = commitment::ActiveModel;

    /// Every field but `status`, whose move the state machine decides, and
    /// `status_note`, which is kept in the history rather than on the record.
    fn apply(self, to: &mut commitment::ActiveModel) {
        patch::set(&mut to.reference, self.reference.map(patch::trimmed));
        patch::set(&mut to.theme, self.theme);
        patch::set(&mut to.text, self.text.map(patch::trimmed));
        patch::set(&mut to.firmness, self.firmness);
        patch::set(&mut to.target, self.target.map(|t| t.map(patch::trimmed)));
        patch::set(&mut to.due_on, self.due_on);
    }
}

pub fn check_commitment(
    v: &mut Validator,
    reference: Option<&str>,
    text: Option<&str>,
    target: Option<&str>,
) {
    if let Some(reference) = reference {
        v.rule::<limits::CommitmentReference>(reference, "reference");
    }
    if let Some(text) = text {
        v.rule::<limits::CommitmentText>(text, "text");
    }
    if let Some(target) = target {
        v.rule::<limits::CommitmentTarget>(target, "target");
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CommitmentOut {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub reference: String,
    pub theme: Theme,
    pub text: String,
    pub firmness: Firmness,
    pub target: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub status: CommitmentStatus,
    /// Rises on every change; send it back in `If-Match`.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<commitment::Model> for CommitmentOut {
    fn from(c: commitment::Model) -> Self {
        Self {
            id: c.id,
            plan_id: c.plan_id,
            reference: c.reference,
            theme: c.theme,
            text: c.text,
            firmness: c.firmness,
            target: c.target,
            due_on: c.due_on,
            status: c.status,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StatusChangeOut {
    pub from_status: Option<CommitmentStatus>,
    pub to_status: CommitmentStatus,
    pub note: String,
    pub changed_by: Option<Uuid>,
    /// Their display name, for those who take part in the region's forum;
    /// `null` for anyone else.
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
}

impl StatusChangeOut {
    pub fn new(c: commitment_status_change::Model, changed_by_name: Option<String>) -> Self {
        Self {
            changed_by_name,
            from_status: c.from_status,
            to_status: c.to_status,
            note: c.note,
            changed_by: c.changed_by,
            changed_at: c.changed_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub theme: Option<Theme>,
    pub firmness: Option<Firmness>,
    pub status: Option<CommitmentStatus>,
    /// Words to search for in the reference, text and target (1–200
    /// characters): the matching commitments, best match first.
    /// Without letters or digits, no search.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::PlanPatch>();
        crate::kernel::patch::assert_null_rule::<super::CommitmentPatch>();
    }
}
