//! The officers' scheduling pages: the forum's meetings, a meeting or a
//! series scheduled (the series previewed as London dates first), a
//! meeting changed — alone or with the rest of its series — and cancelled,
//! each the API's operation behind a form.

mod access;
mod meetings;
mod series;

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::London;
use entity::ForumRole;
use serde_json::{Value, json};

use crate::support::pages::PageClient;
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders};

pub async fn signed_in<'a>(app: &'a TestApp, person: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&person.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// The first of the next February: a series starting then crosses the
/// clocks going forward in March, and has all its meetings within a year.
pub fn next_february(now: DateTime<Utc>) -> NaiveDate {
    let year = if now.month() == 1 {
        now.year()
    } else {
        now.year() + 1
    };
    NaiveDate::from_ymd_opt(year, 2, 1).expect("a day")
}

/// The second Tuesday of that month of that year.
pub fn second_tuesday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, chrono::Weekday::Tue, 2).expect("a day")
}

pub fn series_choices(starts_on: &str, step: &'static str) -> Vec<(&'static str, String)> {
    [
        ("title", "KSS forum"),
        ("location", "Maidstone Community Hub"),
        ("online_link", ""),
        ("description", ""),
        ("start_time", "10:00"),
        ("duration_minutes", "120"),
        ("repeat", "monthly-weekday"),
        ("ordinal", "2"),
        ("weekday", "TU"),
        ("month_day", ""),
        ("interval", "1"),
        ("ends", "after"),
        ("count", "6"),
        ("until", ""),
        ("step", step),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .chain([("starts_on", starts_on.to_string())])
    .collect()
}

pub async fn submit(
    browser: &mut PageClient<'_>,
    page: &str,
    action: &str,
    fields: &[(&'static str, String)],
) -> crate::support::TestResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.submit(page, action, &fields).await
}

pub async fn forum_meetings(app: &TestApp, fx: &ForumFixture) -> Vec<Value> {
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;
    listed.assert_status(StatusCode::OK);
    listed.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn london_hour(meeting: &Value) -> (NaiveDate, String) {
    let starts: DateTime<Utc> = meeting["starts_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a start");
    let local = starts.with_timezone(&London);
    (local.date_naive(), local.format("%H:%M").to_string())
}

pub fn meeting_fields(
    title: &str,
    date: &str,
    from: &str,
    to: &str,
) -> Vec<(&'static str, String)> {
    [
        ("title", title),
        ("date", date),
        ("starts_at", from),
        ("ends_at", to),
        ("location", "Maidstone Community Hub"),
        ("online_link", ""),
        ("description", "Quarterly business"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

/// A Wales forum secretary: an officer, of another region's forum.
pub async fn welsh_secretary(app: &TestApp, fx: &ForumFixture) -> TestUser {
    let person = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        person.id,
        ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    person
}

pub async fn api_series(app: &TestApp, fx: &ForumFixture, starts: NaiveDate) -> Value {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": "KSS forum",
                "location": "Maidstone Community Hub",
                "starts_at_local": format!("{starts}T10:00:00"),
                "duration_minutes": 120,
                "rrule": "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
            }),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}
