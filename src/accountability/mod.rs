//! The accountability report: for a region's current plan, each commitment
//! with the work behind it, the themes that have commitments (and action) or
//! do not, and how the RPD's team answers the issues the forum raises — plus
//! the same per-theme counts for every region side by side.
//!
//! Every figure is a SQL aggregate: the number of queries is fixed whatever
//! the number of commitments or actions, and no table is loaded whole.

mod queries;
mod routes;
mod types;

pub use routes::router;
pub use types::Responsiveness;
