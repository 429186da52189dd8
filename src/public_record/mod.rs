//! The public record: what a forum owes the public, readable without
//! signing in — its approved minutes and meetings to come, as lists and as
//! feeds, and each region's accountability and funding opportunities as
//! they happen. Who may read what is decided here; `api::public_record`
//! is the JSON and Atom face, `web` the pages'.

mod feeds;
mod forum;
mod home;
mod lists;
mod opportunities;
mod queries;
mod region;
mod region_sql;

pub use feeds::{
    Feed, FeedEntry, accountability_feed, meetings_feed, minutes_feed, opportunities_feed,
};
pub use forum::{
    ApprovedMinutes, ForumRecord, MeetingToCome, MemberProfile, SubmittedResponse, forum_record,
};
pub use home::{ForumSummary, NextMeeting, RegionSummary, regions_at_a_glance};
pub use lists::{MinutesQuery, PublishedMinutesOut, UpcomingMeetingOut, meetings_to_come, minutes};
pub use opportunities::{OpportunityLine, region_opportunities};
pub use region::{PlanHead, RegionRecord, region_plan, region_record};
