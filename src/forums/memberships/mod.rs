//! Organisations' memberships of a forum: applying, deciding, suspending,
//! reinstating and leaving, along the state machine of `MembershipStatus`.

mod queries;
mod routes;
mod types;

pub use routes::router;
