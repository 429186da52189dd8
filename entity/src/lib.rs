//! Database entities for Convene: one module per table, plus the fixed
//! vocabularies (enums) that several tables share.

pub mod audit_event;
pub mod enums;
pub mod forum;
pub mod forum_membership;
pub mod forum_role;
pub mod login_failure;
pub mod organisation;
pub mod organisation_led_by;
pub mod organisation_region;
pub mod organisation_theme;
pub mod refresh_token;
pub mod region;
pub mod session;
pub mod setting;
pub mod user;

pub use enums::{ForumRole, LedByAndFor, MembershipStatus, Nation, SizeBand, Theme};
