use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    Commissioner, FundingMechanism, LedByAndFor, OpportunityState, Theme, ValueBand, opportunity,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::award_types::AwardOut;
use crate::kernel::limits;
use crate::kernel::patch::{self, Apply, nullable, present};

/// Where an opportunity stands: `upcoming` before `opens_on`, `open` from
/// `opens_on` to `closes_on` (London's days, both included), `closed`
/// after; `awarded` once it has an award; or `withdrawn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OpportunityStatus {
    Upcoming,
    Open,
    Closed,
    Awarded,
    Withdrawn,
}

impl OpportunityStatus {
    pub fn of(o: &opportunity::Model, today: NaiveDate) -> Self {
        match o.status {
            OpportunityState::Withdrawn => Self::Withdrawn,
            OpportunityState::Awarded => Self::Awarded,
            OpportunityState::Published if today < o.opens_on => Self::Upcoming,
            OpportunityState::Published if today <= o.closes_on => Self::Open,
            OpportunityState::Published => Self::Closed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Awarded => "awarded",
            Self::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpportunityIn {
    /// 1–300 characters, one line.
    #[schema(schema_with = limits::OpportunityTitle::schema)]
    pub title: String,
    /// Markdown, up to 20,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::OpportunityDescription::schema)]
    pub description: String,
    pub mechanism: FundingMechanism,
    pub commissioner: Commissioner,
    /// Who commissions it, by name: required when `commissioner` is `other`.
    #[schema(schema_with = limits::CommissionerName::nullable)]
    pub commissioner_name: Option<String>,
    /// Its value as a band; this or `amount_pence` (or both, the amount
    /// within the band) is required.
    pub value_band: Option<ValueBand>,
    /// Its value in whole pence, 1 to 100,000,000,000 (£1bn).
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount_pence: Option<i64>,
    pub opens_on: NaiveDate,
    /// On or after `opens_on`.
    pub closes_on: NaiveDate,
    /// The places it covers (up to 50, each one line of 1–200 characters).
    #[serde(default)]
    pub localities: Vec<String>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// The communities whose own organisations it is aimed at.
    #[serde(default)]
    pub led_by_and_for: Vec<LedByAndFor>,
    /// Commitments of the region's current plan it delivers.
    #[serde(default)]
    pub commitment_ids: Vec<Uuid>,
}

/// Only the fields to change; lists replace the lists. A withdrawn
/// opportunity does not change (409). `"status": "withdrawn"` with a
/// `withdrawn_reason` withdraws it (not once it is awarded: 409).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpportunityPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::OpportunityTitle::schema)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::OpportunityDescription::schema)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub mechanism: Option<FundingMechanism>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub commissioner: Option<Commissioner>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::CommissionerName::nullable)]
    pub commissioner_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub value_band: Option<Option<ValueBand>>,
    /// Whole pence, 1 to 100,000,000,000 (£1bn); `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(minimum = 1, maximum = 100_000_000_000_i64)]
    pub amount_pence: Option<Option<i64>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub opens_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub closes_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub localities: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub themes: Option<Vec<Theme>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub led_by_and_for: Option<Vec<LedByAndFor>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub commitment_ids: Option<Vec<Uuid>>,
    /// Only `withdrawn` can be set; the other statuses follow from the
    /// dates and the awards.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<OpportunityStatus>,
    /// Why it is withdrawn (one line, up to 2,000 characters): required
    /// with `"status": "withdrawn"`.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::WithdrawnReason::schema)]
    pub withdrawn_reason: Option<String>,
}

impl Apply for OpportunityPatch {
    type ActiveModel = opportunity::ActiveModel;

    /// Its own columns but `localities` (trimmed and each kept once, as
    /// checked) and the withdrawal, which the state machine decides; the
    /// lists are tables of their own.
    fn apply(self, to: &mut opportunity::ActiveModel) {
        patch::set(&mut to.title, self.title.map(patch::trimmed));
        patch::set(&mut to.description, self.description.map(patch::trimmed));
        patch::set(&mut to.mechanism, self.mechanism);
        patch::set(&mut to.commissioner, self.commissioner);
        patch::set(
            &mut to.commissioner_name,
            self.commissioner_name.map(|name| name.map(patch::trimmed)),
        );
        patch::set(&mut to.value_band, self.value_band);
        patch::set(&mut to.amount_pence, self.amount_pence);
        patch::set(&mut to.opens_on, self.opens_on);
        patch::set(&mut to.closes_on, self.closes_on);
    }
}

/// An opportunity's lists, kept in tables of their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    pub themes: Vec<Theme>,
    pub led_by_and_for: Vec<LedByAndFor>,
    pub commitment_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpportunityOut {
    pub id: Uuid,
    /// The region's code.
    pub region: String,
    pub title: String,
    pub description: String,
    pub mechanism: FundingMechanism,
    pub commissioner: Commissioner,
    pub commissioner_name: Option<String>,
    pub value_band: Option<ValueBand>,
    pub amount_pence: Option<i64>,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub localities: Vec<String>,
    pub themes: Vec<Theme>,
    pub led_by_and_for: Vec<LedByAndFor>,
    pub commitment_ids: Vec<Uuid>,
    pub status: OpportunityStatus,
    pub withdrawn_reason: Option<String>,
    /// Rises with every change to the opportunity (and with its first award).
    pub version: i32,
    pub created_by: Option<Uuid>,
    /// The display name of who published it, for those who take part in
    /// the region's forum; `null` for anyone else.
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OpportunityOut {
    pub fn new(
        o: opportunity::Model,
        region: String,
        lists: Lists,
        today: NaiveDate,
        created_by_name: Option<String>,
    ) -> Self {
        let localities = serde_json::from_value(o.localities.clone()).unwrap_or_default();
        Self {
            created_by_name,
            status: OpportunityStatus::of(&o, today),
            id: o.id,
            region,
            title: o.title,
            description: o.description,
            mechanism: o.mechanism,
            commissioner: o.commissioner,
            commissioner_name: o.commissioner_name,
            value_band: o.value_band,
            amount_pence: o.amount_pence,
            opens_on: o.opens_on,
            closes_on: o.closes_on,
            localities,
            themes: lists.themes,
            led_by_and_for: lists.led_by_and_for,
            commitment_ids: lists.commitment_ids,
            withdrawn_reason: o.withdrawn_reason,
            version: o.version,
            created_by: o.created_by,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// One opportunity with its awards.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpportunityDetail {
    #[serde(flatten)]
    pub opportunity: OpportunityOut,
    /// Oldest first.
    pub awards: Vec<AwardOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpportunityQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only opportunities where they stand today (London's day).
    pub status: Option<OpportunityStatus>,
    pub mechanism: Option<FundingMechanism>,
    /// Only those with this theme.
    pub theme: Option<Theme>,
    /// Only those aimed at organisations led by and for this community.
    pub led_by_and_for: Option<LedByAndFor>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterestIn {
    /// Up to 2,000 characters.
    #[schema(schema_with = limits::InterestNote::nullable)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InterestOut {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    pub organisation_id: Uuid,
    /// The organisation's name.
    pub organisation_name: Option<String>,
    pub registered_by: Option<Uuid>,
    /// Their display name (those who may see interests take part in the
    /// region's forum); `null` when they are unknown.
    pub registered_by_name: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::OpportunityPatch>();
    }
}
