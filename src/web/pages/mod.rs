//! The page handlers: each extracts, calls the operation the API calls, and
//! renders.

pub mod account;
pub mod after_meeting;
pub mod forum;
pub mod forum_actions;
pub mod home;
pub mod minutes;
pub mod not_found;
pub mod plan;
pub mod region;
pub(crate) mod region_charts;
pub mod themes;
