//! Convene: the API behind the voluntary sector forums of the 12 probation
//! regions of England and Wales.
//!
//! [`app`] builds the whole HTTP application from an [`AppState`]; `main` and
//! the integration tests both use it. `docs/architecture.md` says how the
//! modules below are layered and which may import which.

pub mod accountability;
pub mod actions;
pub mod api;
pub mod audit_trail;
pub mod auth;
pub mod cli;
pub mod consultations;
pub mod counters;
pub mod demo;
pub mod forums;
pub mod http;
pub mod issues;
pub mod jobs;
pub mod kernel;
pub mod meeting_view;
pub mod meetings;
pub mod minutes;
pub mod notifications;
pub mod opportunities;
pub mod organisations;
pub mod papers;
pub mod plans;
pub mod polls;
pub mod public_record;
pub mod regions;
pub mod search;
pub mod users;
pub mod web;
pub mod webhooks;

pub use api::{app, routes};
pub use kernel::state::AppState;
