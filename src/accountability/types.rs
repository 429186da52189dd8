use chrono::NaiveDate;
use entity::{CommitmentStatus, Firmness, FundingMechanism, LedByAndFor, Nation, Theme};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::issues::Responsiveness;
use crate::plans::PlanOut;

/// Linked actions, counted by status.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ActionCounts {
    pub open: u64,
    pub in_progress: u64,
    pub blocked: u64,
    pub done: u64,
    pub cancelled: u64,
    pub total: u64,
    /// Past their due date and neither done nor cancelled.
    pub overdue: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CommitmentLine {
    pub id: Uuid,
    pub reference: String,
    pub theme: Theme,
    pub firmness: Firmness,
    pub status: CommitmentStatus,
    pub due_on: Option<NaiveDate>,
    pub text: String,
    pub actions: ActionCounts,
    /// Raised issues linked to it that are not closed.
    pub open_issues: u64,
}

/// Commitments of a theme by firmness.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct FirmnessCounts {
    pub specific: u64,
    pub general: u64,
    pub mention: u64,
    pub total: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ThemeLine {
    pub theme: Theme,
    pub commitments: FirmnessCounts,
    /// Commitments of this theme with no action linked.
    pub commitments_without_actions: u64,
    /// Distinct actions linked to any commitment of this theme.
    pub actions: u64,
}

/// The forum's voice: consultations it answered, and the share of its
/// member organisations that contributed to one or voted in a poll in the
/// last twelve months (the window, stated in `window_months`,
/// `window_from` and `window_to`, so that a reader of the figures knows
/// what they count).
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ForumVoice {
    /// Consultations registered for the forum, bar withdrawn ones.
    pub consultations_registered: u64,
    /// Those it submitted a response to.
    pub consultations_responded: u64,
    /// Those it submitted a response to on or before their closing date.
    pub consultations_responded_before_closing: u64,
    /// Organisations with an active membership of the forum.
    pub member_organisations: u64,
    /// Of those, the ones that contributed to a consultation or voted in a
    /// poll of the forum in the last twelve months.
    pub organisations_taking_part: u64,
    /// `organisations_taking_part / member_organisations`; null with none.
    pub participation_share: Option<f64>,
    /// How many months back `organisations_taking_part` counts: 12.
    pub window_months: u32,
    /// The first day it counts: the same day twelve months before
    /// `window_to` (the month's last day when that month is shorter).
    pub window_from: NaiveDate,
    /// The last day it counts: the report's date.
    pub window_to: NaiveDate,
}

/// Awards made under one funding mechanism.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundingByMechanism {
    pub mechanism: FundingMechanism,
    pub awards: u64,
    pub value_pence: i64,
}

/// Awards to organisations led by and for one group (as they stood at the
/// award); an organisation of several groups counts in each.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundingByGroup {
    pub group: LedByAndFor,
    pub awards: u64,
    pub value_pence: i64,
    /// Of all the value awarded in the region; null when nothing was.
    pub share: Option<f64>,
}

/// Where the money goes: awards under the region's funding opportunities.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Funding {
    pub awards: u64,
    pub value_pence: i64,
    /// Every mechanism, with none awarded shown as zero.
    pub by_mechanism: Vec<FundingByMechanism>,
    /// Awarded to micro and small organisations (their size band at the award).
    pub small_and_micro_value_pence: i64,
    /// Of all the value awarded; null when nothing was. Awards to outside
    /// bodies, whose size Convene does not know, count in the whole only.
    pub small_and_micro_share: Option<f64>,
    /// Awarded to organisations that held no probation contract at the award.
    pub outside_supply_chain_value_pence: i64,
    pub outside_supply_chain_share: Option<f64>,
    /// Every led-by-and-for group, with none awarded shown as zero.
    pub by_group: Vec<FundingByGroup>,
    /// Commitments of the current plan linked to an opportunity with an award.
    pub commitments_with_funding: u64,
    pub commitments_without_funding: u64,
}

/// A region's awards, for the national matrix.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundingSummary {
    pub awards: u64,
    pub value_pence: i64,
    pub small_and_micro_share: Option<f64>,
    pub outside_supply_chain_share: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
    pub nation: Nation,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountabilityReport {
    pub region: RegionRef,
    /// The region's current plan; `null` when none has been published.
    pub plan: Option<PlanOut>,
    pub forum_id: Option<Uuid>,
    pub commitments: Vec<CommitmentLine>,
    /// Every theme, including those with no commitment at all.
    pub themes: Vec<ThemeLine>,
    /// Themes with no commitment in the plan.
    pub themes_without_commitments: Vec<Theme>,
    /// Commitments with no action behind them.
    pub commitments_without_actions: u64,
    pub responsiveness: Responsiveness,
    /// The forum's consultations and its members' participation.
    pub voice: ForumVoice,
    /// Where the money goes.
    pub funding: Funding,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatrixCell {
    pub theme: Theme,
    pub commitments: FirmnessCounts,
    pub actions: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MatrixRow {
    pub region: RegionRef,
    pub plan_id: Option<Uuid>,
    /// One cell per theme, in the order of `themes`.
    pub cells: Vec<MatrixCell>,
    /// The awards under the region's funding opportunities.
    pub funding: FundingSummary,
}

/// Regions × themes: each region's current plan, counted per theme.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ThemeMatrix {
    pub themes: Vec<Theme>,
    pub regions: Vec<MatrixRow>,
}
