//! The commissioning pipeline: funding opportunities that a region's RPD
//! staff publish, the interest that member organisations of the region's
//! forum register in them, and the awards made.
//!
//! An opportunity is `upcoming` before it opens, `open` until it closes and
//! then `closed` (London's days, computed in Rust and in SQL alike), unless
//! it has been `awarded` (it has at least one award) or `withdrawn`. Awards
//! keep the awarded organisation's size band, supply-chain standing and
//! led-by-and-for categories as they were at the award. The region's RPD
//! staff correct an award or withdraw it with a reason; every state it has
//! had is kept.
//!
//! Each operation makes the whole decision and knows nothing of HTTP:
//! `api::opportunities` is its JSON face.

mod award_changes;
mod award_types;
mod awards;
mod change;
mod interests;
mod publish;
mod queries;
mod read;
mod rules;
mod types;

pub use award_changes::{award_history, change_award, get_award, keep_revision};
pub use award_types::{AwardIn, AwardOut, AwardPatch, AwardRevisionOut};
pub use awards::{award, awards};
pub use change::change;
pub use interests::{interests, register_interest, withdraw_interest};
pub use publish::publish;
pub use queries::filtered;
pub use read::{all, get, list, list_as};
pub use types::{
    InterestIn, InterestOut, OpportunityDetail, OpportunityIn, OpportunityOut, OpportunityPatch,
    OpportunityQuery, OpportunityStatus,
};
