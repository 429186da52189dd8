use chrono::NaiveDate;
use entity::{CommitmentStatus, Firmness, Nation, Theme};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

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

/// How the RPD's team answers the issues the forum raises.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Responsiveness {
    pub issues_raised: u64,
    /// First response on or before the due date.
    pub answered_within_due_date: u64,
    /// Median whole days from raising to the first response, over answered issues.
    pub median_days_to_first_response: Option<f64>,
    /// Not yet answered and past the due date.
    pub open_past_due: u64,
}

/// The forum's voice: consultations it answered, and the share of its
/// member organisations that contributed to one or voted in a poll in the
/// last twelve months.
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
}

/// Regions × themes: each region's current plan, counted per theme.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ThemeMatrix {
    pub themes: Vec<Theme>,
    pub regions: Vec<MatrixRow>,
}
