//! Database entities for Convene: one module per table, plus the fixed
//! vocabularies (enums) that several tables share.

pub mod account_token;
pub mod action_commitment;
pub mod action_item;
pub mod action_update;
pub mod agenda_item;
pub mod agenda_item_commitment;
pub mod audit_event;
pub mod award;
pub mod award_group;
pub mod award_revision;
pub mod calendar_feed;
pub mod commitment;
pub mod commitment_status_change;
pub mod consultation;
pub mod consultation_answer;
pub mod consultation_answer_citation;
pub mod consultation_answer_revision;
pub mod consultation_contribution;
pub mod consultation_question;
pub mod delivery;
pub mod digest_entry;
pub mod enums;
pub mod forum;
pub mod forum_membership;
pub mod forum_paper_storage;
pub mod forum_role;
pub mod issue_response;
pub mod issue_status_change;
pub mod login_failure;
pub mod matter_arising;
pub mod meeting;
pub mod meeting_attendance;
pub mod meeting_rsvp;
pub mod meeting_series;
pub mod minutes;
pub mod minutes_revision;
pub mod minutes_section;
pub mod notification_setting;
pub mod opportunity;
pub mod opportunity_commitment;
pub mod opportunity_group;
pub mod opportunity_interest;
pub mod opportunity_theme;
pub mod organisation;
pub mod organisation_led_by;
pub mod organisation_region;
pub mod organisation_theme;
pub mod outbox_event;
pub mod paper;
pub mod paper_chunk;
pub mod paper_content;
pub mod paper_version;
pub mod poll;
pub mod poll_option;
pub mod poll_vote;
pub mod poll_vote_choice;
pub mod raised_issue;
pub mod raised_issue_commitment;
pub mod refresh_token;
pub mod region;
pub mod regional_plan;
pub mod session;
pub mod setting;
pub mod user;
pub mod webhook;
pub mod webhook_delivery;

pub use enums::{
    ActionStatus, AgendaItemStatus, Attendance, AwardStatus, Commissioner, CommitmentStatus,
    ConsultationStatus, ContentStore, DeliveryChannel, DeliveryStatus, Firmness, ForumRole,
    FundingMechanism, IssuePriority, IssueStatus, LedByAndFor, MeetingStatus, MembershipStatus,
    MinutesStatus, Nation, NotificationMode, OpportunityState, PlanStatus, PollKind, PollStatus,
    RsvpResponse, SeriesStatus, SizeBand, Theme, ValueBand, Visibility,
};
