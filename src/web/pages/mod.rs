//! The page handlers: each extracts, calls the operation the API calls, and
//! renders.

pub mod account;
pub mod action;
pub mod after_meeting;
pub mod awaiting_answer;
pub mod consultations;
pub mod forum;
pub mod forum_actions;
pub mod home;
pub mod issues;
pub mod meeting;
pub mod members;
pub mod minutes;
pub mod minutes_editor;
pub mod not_found;
pub mod plan;
pub mod polls;
pub mod region;
pub(crate) mod region_charts;
pub mod rsvp;
pub mod scheduling;
pub mod themes;
pub mod your_forums;
pub mod your_work;
