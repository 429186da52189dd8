//! Schema migrations. Each change is a file of its own; an applied migration is
//! never edited, a later one changes what it made.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261122_000001_foundation;
mod m20261122_000002_forums;
mod m20261122_000003_meetings;
mod m20261122_000004_plans_and_actions;
mod m20261122_000005_raised_issues;
mod m20261123_000006_agenda_item_versions;
mod m20261123_000007_index_backed_pages;
mod m20261123_000008_report_counters;
mod m20261204_000009_notifications;
mod m20261204_000010_notification_settings;
mod m20261204_000011_account_mail_reminders_digests;
mod m20261204_000012_webhooks;
mod m20261204_000013_agenda_visibility;
mod m20261204_000014_meeting_series;
mod m20261204_000015_matters_arising;
mod m20261204_000016_agenda_outcomes;
mod m20261204_000017_actions_from_agenda_items;
mod m20261204_000018_series_split;
mod m20261204_000019_minutes_sections;
mod m20261204_000020_search;
mod m20261204_000021_papers;
mod m20261204_000022_paper_files;
mod m20261204_000023_consultations_and_polls;
mod m20261204_000024_consultation_papers;
mod m20261204_000025_opportunities;
mod m20261207_000026_award_corrections;
mod m20261207_000027_audit_entity_names;
mod m20261207_000028_browser_sessions;
mod m20261207_000029_email_changes;

/// The seeded regions' codes, for the API's schema of a region code.
pub fn region_codes() -> impl Iterator<Item = &'static str> {
    m20261122_000001_foundation::REGIONS
        .iter()
        .map(|(code, _, _)| *code)
}

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_forums::Migration),
            Box::new(m20261122_000003_meetings::Migration),
            Box::new(m20261122_000004_plans_and_actions::Migration),
            Box::new(m20261122_000005_raised_issues::Migration),
            Box::new(m20261123_000006_agenda_item_versions::Migration),
            Box::new(m20261123_000007_index_backed_pages::Migration),
            Box::new(m20261123_000008_report_counters::Migration),
            Box::new(m20261204_000009_notifications::Migration),
            Box::new(m20261204_000010_notification_settings::Migration),
            Box::new(m20261204_000011_account_mail_reminders_digests::Migration),
            Box::new(m20261204_000012_webhooks::Migration),
            Box::new(m20261204_000013_agenda_visibility::Migration),
            Box::new(m20261204_000014_meeting_series::Migration),
            Box::new(m20261204_000015_matters_arising::Migration),
            Box::new(m20261204_000016_agenda_outcomes::Migration),
            Box::new(m20261204_000017_actions_from_agenda_items::Migration),
            Box::new(m20261204_000018_series_split::Migration),
            Box::new(m20261204_000019_minutes_sections::Migration),
            Box::new(m20261204_000020_search::Migration),
            Box::new(m20261204_000021_papers::Migration),
            Box::new(m20261204_000022_paper_files::Migration),
            Box::new(m20261204_000023_consultations_and_polls::Migration),
            Box::new(m20261204_000024_consultation_papers::Migration),
            Box::new(m20261204_000025_opportunities::Migration),
            Box::new(m20261207_000026_award_corrections::Migration),
            Box::new(m20261207_000027_audit_entity_names::Migration),
            Box::new(m20261207_000028_browser_sessions::Migration),
            Box::new(m20261207_000029_email_changes::Migration),
        ]
    }
}
