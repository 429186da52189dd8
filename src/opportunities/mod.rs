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

mod award_changes;
mod awards;
mod changes;
mod interests;
mod queries;
mod routes;
mod rules;
mod types;

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub use award_changes::keep_revision;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(changes::router())
        .merge(interests::router())
        .merge(awards::router())
        .merge(award_changes::router())
}
