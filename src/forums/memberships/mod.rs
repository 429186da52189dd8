//! Organisations' memberships of a forum: applying, deciding, suspending,
//! reinstating and leaving, along the state machine of `MembershipStatus`.

mod apply;
mod decisions;
pub mod events;
mod queries;
mod read;
mod types;

pub use apply::apply;
pub use decisions::decide;
pub use read::{membership, memberships};
pub use types::{MembershipChange, MembershipIn, MembershipOut, MembershipQuery};
