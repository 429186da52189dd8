//! The demo forum being written: its people, its member organisations and
//! its region's current plan, which its meetings, actions and issues speak
//! of.

use chrono::NaiveDate;
use entity::{Theme, commitment};
use uuid::Uuid;

use super::people::Cast;

/// A person of the demo.
#[derive(Clone, Copy)]
pub struct Person {
    pub id: Uuid,
    pub name: &'static str,
}

/// A member organisation and the person who speaks for it.
#[derive(Clone, Copy)]
pub struct Member {
    pub person: Person,
    pub org: Uuid,
    pub org_name: &'static str,
}

impl Member {
    /// How the minutes and agendas name them: "Leanne Forster, Sunderland
    /// Women's Centre".
    pub fn presenter(&self) -> String {
        format!("{}, {}", self.person.name, self.org_name)
    }
}

/// The women's centre, the lived-experience network and the supply-chain
/// provider: the forum's active members, in that order.
pub const WOMEN: usize = 0;
pub const PEERS: usize = 1;
pub const PROVIDER: usize = 2;

pub struct Forum<'a> {
    pub id: Uuid,
    pub cast: &'static Cast,
    pub secretary: Person,
    pub chair: Person,
    /// The RPD's Head of Reducing Reoffending.
    pub rpd: Person,
    /// From the Police and Crime Commissioner's office.
    pub observer: Person,
    pub members: [Member; 3],
    /// The current plan's commitments, by reference.
    pub commitments: &'a [commitment::Model],
    /// The current plan's period, "2026-27", and the day it was published.
    pub period: String,
    pub published: NaiveDate,
    /// The references of its commitments carried forward from the
    /// 2021-22 plan, and of those new this year: "KSS-ACC-1, KSS-WOM-1".
    pub carried: String,
    pub added: String,
}

impl Forum<'_> {
    /// The current plan's first commitment of this theme.
    pub fn commitment(&self, theme: Theme) -> Option<&commitment::Model> {
        self.commitments.iter().find(|c| c.theme == theme)
    }

    /// "Nicola Birch, Head of Reducing Reoffending".
    pub fn rpd_presenter(&self) -> String {
        format!("{}, Head of Reducing Reoffending", self.rpd.name)
    }
}
