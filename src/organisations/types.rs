//! What is sent and answered about organisations, and how it is checked.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::{LedByAndFor, SizeBand, Theme, organisation};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::error::ApiError;
use crate::kernel::limits;
use crate::kernel::patch::{Apply, nullable, present, set, trimmed};
use crate::kernel::validation::Validator;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationIn {
    /// 1–200 characters, one line.
    #[schema(schema_with = limits::OrganisationName::schema)]
    pub name: String,
    /// Registered charity or company number, if any: 1–20 characters, one line; unique.
    #[schema(schema_with = limits::CharityNumber::nullable)]
    pub charity_number: Option<String>,
    #[schema(schema_with = limits::Website::nullable)]
    pub website: Option<String>,
    /// What the organisation does, up to 5,000 characters.
    #[serde(default)]
    #[schema(schema_with = limits::OrganisationDescription::schema)]
    pub description: String,
    pub size_band: SizeBand,
    #[serde(default)]
    pub led_by_and_for: Vec<LedByAndFor>,
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// Whether it holds probation contracts.
    pub in_supply_chain: bool,
    /// Codes of the regions it serves, e.g. `["wales"]`.
    #[serde(default)]
    #[schema(schema_with = crate::regions::codes_schema)]
    pub regions_served: Vec<String>,
}

/// Only the fields to change. `charity_number` and `website` may be `null` to
/// clear them; the other fields cannot be `null` (an empty list or
/// description clears those).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationPatch {
    /// 1–200 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::OrganisationName::schema)]
    pub name: Option<String>,
    /// 1–20 characters, one line; unique.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::CharityNumber::nullable)]
    pub charity_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::Website::nullable)]
    pub website: Option<Option<String>>,
    /// Up to 5,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::OrganisationDescription::schema)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub size_band: Option<SizeBand>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub led_by_and_for: Option<Vec<LedByAndFor>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub themes: Option<Vec<Theme>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub in_supply_chain: Option<bool>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = crate::regions::codes_schema)]
    pub regions_served: Option<Vec<String>>,
}

/// The organisation's own columns; the lists (`led_by_and_for`, `themes`,
/// `regions_served`) live in tables of their own, and are taken out of the
/// patch and written apart.
impl Apply for OrganisationPatch {
    type ActiveModel = organisation::ActiveModel;

    fn apply(self, to: &mut organisation::ActiveModel) {
        set(&mut to.name, self.name.map(trimmed));
        set(&mut to.charity_number, self.charity_number.map(clean));
        set(&mut to.website, self.website.map(clean));
        set(&mut to.description, self.description.map(trimmed));
        set(&mut to.size_band, self.size_band);
        set(&mut to.in_supply_chain, self.in_supply_chain);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrganisationOut {
    pub id: Uuid,
    pub name: String,
    pub charity_number: Option<String>,
    pub website: Option<String>,
    pub description: String,
    pub size_band: SizeBand,
    pub led_by_and_for: Vec<LedByAndFor>,
    pub themes: Vec<Theme>,
    pub in_supply_chain: bool,
    /// Region codes, alphabetical.
    pub regions_served: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrganisationOut {
    pub fn new(org: organisation::Model, children: Children) -> Self {
        Self {
            id: org.id,
            name: org.name,
            charity_number: org.charity_number,
            website: org.website,
            description: org.description,
            size_band: org.size_band,
            led_by_and_for: children.led_by_and_for.into_iter().collect(),
            themes: children.themes.into_iter().collect(),
            in_supply_chain: org.in_supply_chain,
            regions_served: children.region_codes.into_iter().collect(),
            created_at: org.created_at,
            updated_at: org.updated_at,
        }
    }
}

/// The many-valued fields of an organisation, kept in their own tables.
#[derive(Debug, Default, Clone)]
pub struct Children {
    pub led_by_and_for: BTreeSet<LedByAndFor>,
    pub themes: BTreeSet<Theme>,
    pub region_codes: BTreeSet<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only organisations serving this region (code).
    #[param(schema_with = crate::regions::code_schema)]
    pub region: Option<String>,
}

fn check_charity_number(v: &mut Validator, value: Option<&str>) {
    if let Some(value) = value {
        v.rule::<limits::CharityNumber>(value, "charity_number");
    }
}

fn check_website(v: &mut Validator, website: Option<&str>) {
    if let Some(url) = website {
        v.rule::<limits::Website>(url, "website");
    }
}

/// Trims optional text and turns blank into absent.
pub fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl OrganisationIn {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        v.rule::<limits::OrganisationName>(&self.name, "name");
        check_charity_number(&mut v, self.charity_number.as_deref());
        check_website(&mut v, self.website.as_deref());
        v.rule::<limits::OrganisationDescription>(&self.description, "description");
        v.finish()
    }
}

impl OrganisationPatch {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut v = Validator::default();
        if let Some(name) = &self.name {
            v.rule::<limits::OrganisationName>(name, "name");
        }
        check_charity_number(&mut v, self.charity_number.clone().flatten().as_deref());
        check_website(&mut v, self.website.clone().flatten().as_deref());
        if let Some(description) = &self.description {
            v.rule::<limits::OrganisationDescription>(description, "description");
        }
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::OrganisationPatch>();
    }
}
