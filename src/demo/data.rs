//! The demo's fixed vocabulary: the kinds of member organisation and the
//! 2021 plans' commitments (kept in `plans_2021.json`).

use entity::{LedByAndFor, SizeBand};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PlanFile {
    pub plans: Vec<PlanData>,
}

#[derive(Deserialize)]
pub struct PlanData {
    pub region: String,
    pub title: String,
    pub published_on: Option<chrono::NaiveDate>,
    pub commitments: Vec<CommitmentData>,
}

#[derive(Deserialize)]
pub struct CommitmentData {
    pub reference: String,
    pub theme: entity::Theme,
    pub firmness: entity::Firmness,
    pub text: String,
    pub target: Option<String>,
}

pub fn plans_2021() -> Result<PlanFile, serde_json::Error> {
    serde_json::from_str(include_str!("plans_2021.json"))
}

pub struct OrgTemplate {
    pub size: SizeBand,
    pub in_supply_chain: bool,
    pub led_by: &'static [LedByAndFor],
    pub themes: &'static [entity::Theme],
    pub description: &'static str,
}

/// Four kinds of member organisation (each region names its own: see
/// [`super::people::Cast`]): a women's centre, a lived-experience network,
/// the large supply-chain provider and a youth collective, whose
/// application is pending.
pub const ORGANISATIONS: [OrgTemplate; 4] = [
    OrgTemplate {
        size: SizeBand::Small,
        in_supply_chain: false,
        led_by: &[LedByAndFor::Women],
        themes: &[entity::Theme::Women, entity::Theme::Accommodation],
        description: "A women-only space offering casework, housing support and peer groups.",
    },
    OrgTemplate {
        size: SizeBand::Micro,
        in_supply_chain: false,
        led_by: &[LedByAndFor::LivedExperience],
        themes: &[
            entity::Theme::LivedExperience,
            entity::Theme::VoluntarySectorEngagement,
        ],
        description: "Peer mentors with experience of the justice system.",
    },
    OrgTemplate {
        size: SizeBand::Large,
        in_supply_chain: true,
        led_by: &[],
        themes: &[
            entity::Theme::Accommodation,
            entity::Theme::EmploymentEducation,
        ],
        description: "Holds commissioned rehabilitative services contracts in the region.",
    },
    OrgTemplate {
        size: SizeBand::Micro,
        in_supply_chain: false,
        led_by: &[
            LedByAndFor::RaciallyMinoritisedPeople,
            LedByAndFor::YoungPeople,
        ],
        themes: &[entity::Theme::RaceEquality, entity::Theme::YoungAdults],
        description: "Youth work and mentoring led by and for young Black men.",
    },
];
