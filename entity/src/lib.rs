//! Database entities for Convene: one module per table, plus the fixed
//! vocabularies (enums) that several tables share.

pub mod agenda_item;
pub mod audit_event;
pub mod calendar_feed;
pub mod enums;
pub mod forum;
pub mod forum_membership;
pub mod forum_role;
pub mod login_failure;
pub mod meeting;
pub mod meeting_attendance;
pub mod meeting_rsvp;
pub mod minutes;
pub mod minutes_revision;
pub mod organisation;
pub mod organisation_led_by;
pub mod organisation_region;
pub mod organisation_theme;
pub mod refresh_token;
pub mod region;
pub mod session;
pub mod setting;
pub mod user;

pub use enums::{
    AgendaItemStatus, Attendance, ForumRole, LedByAndFor, MeetingStatus, MembershipStatus,
    MinutesStatus, Nation, RsvpResponse, SizeBand, Theme,
};
