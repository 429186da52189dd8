//! The accountability report: for a region's current plan, each commitment
//! with the work behind it, the themes that have commitments (and action) or
//! do not, and how the RPD's team answers the issues the forum raises — plus
//! the same per-theme counts for every region side by side.
//!
//! The figures are read from counters that every write keeps (`crate::counters`,
//! read in `counted`),
//! so a report costs the same whatever the history behind it; the aggregates
//! it read before (`oracle`) recompute them and check them. `api::accountability`
//! is its JSON face.

mod counted;
mod funding;
pub mod oracle;
mod read;
mod report;
mod source;
mod types;
mod voice;

pub(crate) use counted::median;
pub(crate) use funding::{FundingParts, assemble as assemble_funding, pence};
pub use read::{matrix, report_of_region};
pub use report::{Themes, region_report, theme_matrix};
pub use source::Source;
pub use types::{
    AccountabilityReport, ActionCounts, CommitmentLine, ForumVoice, Funding, FundingByGroup,
    FundingByMechanism, ThemeLine, ThemeMatrix,
};
pub use voice::window as voice_window;
