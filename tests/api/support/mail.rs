//! What the notification tests share: workers aimed at a test's SMTP
//! server, the forum fixture with its own news settled, and ways to read
//! who received what.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::Utc;
use convene::jobs::notify::worker::Worker;
use convene::jobs::notify::{Composer, Mailer};
use convene::jobs::pacing::Settings;
use convene::jobs::webhooks::Sender;
use entity::outbox_event;
use icalendar::Component;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::smtp::{Received, SmtpServer};
use super::{ForumFixture, TestApp, TestUser};

pub const PUBLIC_URL: &str = "https://convene.example.org";

pub fn worker(app: &TestApp, mailer: Mailer, settings: Settings) -> Worker {
    Worker {
        db: app.db().clone(),
        mailer: Arc::new(mailer),
        composer: Composer::new(
            "Convene <convene@forum.example.org>",
            Some(PUBLIC_URL),
            app.state.tokens.clone(),
        )
        .expect("a composer"),
        webhooks: Arc::new(Sender::new(app.state.webhooks).expect("an HTTP client")),
        clock: app.state.clock.clone(),
        settings,
    }
}

pub fn smtp_worker(app: &TestApp, smtp: &SmtpServer) -> Worker {
    worker(
        app,
        Mailer::smtp(&smtp.url()).expect("an SMTP mailer"),
        Settings::default(),
    )
}

/// The one event of an iCalendar text.
pub fn only_event(ics: &str) -> icalendar::Event {
    let calendar: icalendar::Calendar = ics.parse().expect("a valid iCalendar text");
    let mut events = calendar
        .components
        .into_iter()
        .filter_map(|c| c.as_event().cloned());
    let event = events.next().expect("an event");
    assert!(events.next().is_none(), "one event");
    event
}

/// A property's value; ATTENDEE, which may repeat, is kept among the multi-properties.
pub fn property(event: &icalendar::Event, name: &str) -> Option<String> {
    event
        .properties()
        .get(name)
        .or_else(|| {
            event
                .multi_properties()
                .get(name)
                .and_then(|all| all.first())
        })
        .map(|p| p.value().to_string())
}

/// The first message received whose subject starts so.
pub fn with_subject(smtp: &SmtpServer, start: &str) -> Option<Received> {
    smtp.received()
        .into_iter()
        .find(|m| m.header("Subject").is_some_and(|s| s.starts_with(start)))
}

/// What someone was told, by the headline of each subject, sorted.
pub fn headlines(by: &HashMap<String, Vec<String>>, email: &str) -> Vec<String> {
    let mut heads: Vec<String> = by
        .get(email)
        .into_iter()
        .flatten()
        .map(|s| s.split(':').next().unwrap_or_default().to_string())
        .collect();
    heads.sort();
    heads
}

pub fn recipients(received: &[Received]) -> BTreeSet<String> {
    received.iter().flat_map(|m| m.to.clone()).collect()
}

pub fn emails<'a>(people: impl IntoIterator<Item = &'a TestUser>) -> BTreeSet<String> {
    people.into_iter().map(|p| p.email.clone()).collect()
}

/// The forum fixture, with the news of its own making (every role given)
/// taken as told, so that a test hears only of what it does.
pub async fn fixture(app: &TestApp) -> ForumFixture {
    let fx = app.forum_fixture().await;
    outbox_event::Entity::update_many()
        .col_expr(
            outbox_event::Column::DispatchedAt,
            sea_orm::sea_query::Expr::val(Utc::now()),
        )
        .filter(outbox_event::Column::DispatchedAt.is_null())
        .exec(app.db())
        .await
        .expect("settle the fixture's events");
    fx
}

/// The messages received by one address, oldest first.
pub fn received_by(smtp: &SmtpServer, address: &str) -> Vec<Received> {
    smtp.received()
        .into_iter()
        .filter(|m| m.to == [address.to_string()])
        .collect()
}

/// The code an account email carries (its "Code:" line).
pub fn code_in(message: &Received) -> String {
    let text = message.text();
    text.lines()
        .find_map(|line| line.strip_prefix("Code: "))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .trim()
        .to_string()
}

/// The path and query of the link in an email's text that opens `page`
/// (with its code).
pub fn link_in(message: &Received, page: &str) -> String {
    let text = message.text();
    let start = text
        .find(&format!("{PUBLIC_URL}{page}?code="))
        .unwrap_or_else(|| panic!("no link to {page} in {text}"));
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_start_matches(PUBLIC_URL)
        .to_string()
}
