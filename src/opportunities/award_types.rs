//! An award's request and answer types.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{AwardStatus, LedByAndFor, SizeBand, award, award_revision};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::names::Names;
use crate::kernel::patch::{self, Apply, nullable, present};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardIn {
    /// The Convene organisation awarded; or `recipient_name`, not both.
    pub organisation_id: Option<Uuid>,
    /// An outside body awarded, by name; or `organisation_id`, not both.
    #[schema(schema_with = limits::RecipientName::nullable)]
    pub recipient_name: Option<String>,
    /// Whole pence, 1 to 100,000,000,000 (£1bn).
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount_pence: i64,
    pub starts_on: Option<NaiveDate>,
    /// On or after `starts_on`.
    pub ends_on: Option<NaiveDate>,
}

/// A correction of an award, or its withdrawal, always with a reason. The
/// recipient stays exactly one: to name an outside body instead of an
/// organisation, send `recipient_name` and `"organisation_id": null`
/// together (and the other way round).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Uuid>)]
    pub organisation_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::RecipientName::nullable)]
    pub recipient_name: Option<Option<String>>,
    /// Whole pence, 1 to 100,000,000,000 (£1bn).
    #[serde(default, deserialize_with = "present")]
    #[schema(minimum = 1, maximum = 100_000_000_000_i64, nullable = false)]
    pub amount_pence: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub starts_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub ends_on: Option<Option<NaiveDate>>,
    /// `withdrawn` withdraws the award: it then counts in no report and
    /// cannot be changed again.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<AwardStatus>,
    /// Why it is corrected or withdrawn (one line, 1–2,000 characters):
    /// kept in the award's history.
    #[schema(schema_with = limits::AwardChangeReason::schema)]
    pub reason: String,
}

impl Apply for AwardPatch {
    type ActiveModel = award::ActiveModel;

    /// The recipient, amount and dates; the organisation's standing at the
    /// award is read with it, and the withdrawal is the state machine's.
    fn apply(self, to: &mut award::ActiveModel) {
        patch::set(&mut to.organisation_id, self.organisation_id);
        patch::set(
            &mut to.recipient_name,
            self.recipient_name.map(|name| name.map(patch::trimmed)),
        );
        patch::set(&mut to.amount_pence, self.amount_pence);
        patch::set(&mut to.starts_on, self.starts_on);
        patch::set(&mut to.ends_on, self.ends_on);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AwardOut {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    pub organisation_id: Option<Uuid>,
    /// The awarded organisation's name; `null` for an outside body (named
    /// in `recipient_name`).
    pub organisation_name: Option<String>,
    pub recipient_name: Option<String>,
    pub amount_pence: i64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// The organisation's size band at the award; `null` for an outside body.
    pub size_band: Option<SizeBand>,
    /// Whether the organisation held probation contracts at the award.
    pub in_supply_chain: Option<bool>,
    /// The communities the organisation was led by and for at the award.
    pub led_by_and_for: Vec<LedByAndFor>,
    /// `withdrawn` awards count in no report.
    pub status: AwardStatus,
    pub withdrawn_reason: Option<String>,
    /// Rises with each correction (the `ETag`).
    pub version: i32,
    pub created_by: Option<Uuid>,
    /// The display name of who recorded it, for those who take part in the
    /// region's forum; `null` for anyone else.
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The names beside an award's ids, read with it (see `kernel::names`).
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct AwardNames {
    pub organisation_name: Option<String>,
    pub created_by_name: Option<String>,
}

impl AwardNames {
    /// The award's names among names read for several.
    pub fn among(names: &Names, a: &award::Model) -> Self {
        Self {
            organisation_name: names.organisation(a.organisation_id),
            created_by_name: names.person(a.created_by),
        }
    }
}

impl AwardOut {
    pub fn new(a: award::Model, led_by_and_for: Vec<LedByAndFor>, names: AwardNames) -> Self {
        Self {
            organisation_name: names.organisation_name,
            created_by_name: names.created_by_name,
            id: a.id,
            opportunity_id: a.opportunity_id,
            organisation_id: a.organisation_id,
            recipient_name: a.recipient_name,
            amount_pence: a.amount_pence,
            starts_on: a.starts_on,
            ends_on: a.ends_on,
            size_band: a.size_band,
            in_supply_chain: a.in_supply_chain,
            led_by_and_for,
            status: a.status,
            withdrawn_reason: a.withdrawn_reason,
            version: a.version,
            created_by: a.created_by,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// An award as it stood at one version: as made (version 1), then after
/// each correction or its withdrawal, with why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AwardRevisionOut {
    pub version: i32,
    pub organisation_id: Option<Uuid>,
    /// The awarded organisation's name (as it is called now); `null` for an
    /// outside body.
    pub organisation_name: Option<String>,
    pub recipient_name: Option<String>,
    pub amount_pence: i64,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub size_band: Option<SizeBand>,
    pub in_supply_chain: Option<bool>,
    pub status: AwardStatus,
    /// Why it changed; `null` for the award as made.
    pub reason: Option<String>,
    pub changed_by: Option<Uuid>,
    /// Their display name, for those who take part in the region's forum;
    /// `null` for anyone else.
    pub changed_by_name: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// The names beside a revision's ids, read with it.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct RevisionNames {
    pub organisation_name: Option<String>,
    pub changed_by_name: Option<String>,
}

impl AwardRevisionOut {
    pub fn new(r: award_revision::Model, names: RevisionNames) -> Self {
        Self {
            organisation_name: names.organisation_name,
            changed_by_name: names.changed_by_name,
            version: r.version,
            organisation_id: r.organisation_id,
            recipient_name: r.recipient_name,
            amount_pence: r.amount_pence,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            size_band: r.size_band,
            in_supply_chain: r.in_supply_chain,
            status: r.status,
            reason: r.reason,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
        }
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule_from::<super::AwardPatch>(
            serde_json::json!({"reason": "Typed in pounds"}),
        );
    }
}
