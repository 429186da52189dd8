//! Meeting series: a forum's regular meetings scheduled once, by an RFC 5545
//! rule on London's wall clock; each occurrence an ordinary meeting.

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Europe::London;
use serde_json::{Value, json};

use crate::support::{ForumFixture, TestApp, TestResponse};

async fn schedule(app: &TestApp, fx: &ForumFixture, start: &str, rule: &str) -> TestResponse {
    app.post(
        &format!("/api/v1/forums/{}/meeting-series", fx.forum),
        Some(&fx.secretary.access),
        json!({
            "title": "Quarterly forum",
            "location": "Maidstone Community Hub",
            "starts_at_local": start,
            "duration_minutes": 120,
            "rrule": rule,
        }),
    )
    .await
}

fn starts(series: &Value) -> Vec<DateTime<Utc>> {
    series["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .filter_map(|m| m["starts_at"].as_str()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn a_monthly_series_keeps_its_london_time_across_the_clock_change() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Second Tuesdays at 10:00 from March 2027: March in GMT, April and May in BST.
    let made = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=3",
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let series = made.json();
    let starts = starts(&series);
    assert_eq!(
        starts,
        [
            "2027-03-09T10:00:00Z"
                .parse::<DateTime<Utc>>()
                .expect("a time"),
            "2027-04-13T09:00:00Z".parse().expect("a time"),
            "2027-05-11T09:00:00Z".parse().expect("a time"),
        ]
    );
    for start in &starts {
        assert_eq!(start.with_timezone(&London).hour(), 10);
    }

    // Each is an ordinary meeting that knows its series.
    let id = series["id"].as_str().expect("an id");
    let first = series["meetings"][0]["meeting_id"]
        .as_str()
        .expect("a meeting");
    let meeting = app
        .get(
            &format!("/api/v1/meetings/{first}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(meeting["series_id"], id);
    assert_eq!(meeting["title"], "Quarterly forum");
    assert_eq!(
        (
            meeting["ends_at"].as_str(),
            meeting["is_exception"].as_bool()
        ),
        (Some("2027-03-09T12:00:00Z"), Some(false))
    );
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn a_weekly_series_keeps_its_time_when_the_clocks_go_back() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Sundays 24 and 31 October 2027 (the clocks go back on the 31st).
    let made = schedule(
        &app,
        &fx,
        "2027-10-24T10:00:00",
        "FREQ=WEEKLY;BYDAY=SU;COUNT=2",
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let starts = starts(&made.json());
    assert_eq!(
        starts,
        [
            "2027-10-24T09:00:00Z"
                .parse::<DateTime<Utc>>()
                .expect("a time"),
            "2027-10-31T10:00:00Z".parse().expect("a time"),
        ]
    );
}

#[tokio::test]
async fn unsupported_or_unbounded_rules_are_refused_naming_the_part() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    for (rule, part) in [
        ("FREQ=DAILY;COUNT=5", "FREQ"),
        ("FREQ=MONTHLY;BYDAY=2TU", "COUNT"),
        ("FREQ=WEEKLY;BYHOUR=9;COUNT=5", "BYHOUR"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=5", "RRULE"),
    ] {
        let refused = schedule(&app, &fx, "2027-03-09T10:00:00", rule).await;
        let problem = refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.invalid_fields(), ["rrule"], "{rule}");
        assert!(problem.to_string().contains(part), "{rule}: {problem}");
    }
    let past = schedule(&app, &fx, "2020-03-09T10:00:00", "FREQ=WEEKLY;COUNT=2").await;
    assert_eq!(past.invalid_fields(), ["starts_at_local"]);
    // Members do not schedule meetings; another region's people do not see the series.
    let by_member = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series", fx.forum),
            Some(&fx.member.access),
            json!({"title": "x", "location": "y", "starts_at_local": "2027-03-09T10:00:00",
                   "duration_minutes": 60, "rrule": "FREQ=WEEKLY;COUNT=2"}),
        )
        .await;
    by_member.assert_problem(StatusCode::FORBIDDEN);
    let made = schedule(&app, &fx, "2027-03-09T10:00:00", "FREQ=WEEKLY;COUNT=2").await;
    let id = made.json()["id"].as_str().expect("an id").to_string();
    app.get(
        &format!("/api/v1/meeting-series/{id}"),
        Some(&fx.other_member.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/meeting-series/{id}"), None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

/// 28 March 2027, when London's clocks go from 01:00 to 02:00: a start at
/// 01:30 never happens, and it is the start that is wrong, not the rule.
#[tokio::test]
async fn a_start_in_the_hour_the_clocks_skip_is_refused_under_its_own_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let skipped = schedule(&app, &fx, "2027-03-28T01:30:00", "FREQ=WEEKLY;COUNT=2").await;

    let problem = skipped.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(skipped.invalid_fields(), ["starts_at_local"]);
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("clocks"), "{message}");
}

#[tokio::test]
async fn cancelling_a_series_cancels_what_is_to_come_and_leaves_the_past() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let start = (app.state.clock.now() + chrono::Duration::days(2))
        .with_timezone(&London)
        .date_naive()
        .and_hms_opt(10, 0, 0)
        .expect("a time");
    let made = schedule(
        &app,
        &fx,
        &start.to_string().replace(' ', "T"),
        "FREQ=WEEKLY;COUNT=3",
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let id = made.json()["id"].as_str().expect("an id").to_string();
    // The first meeting has been and gone.
    app.state.clock.advance(chrono::Duration::days(4));
    let first = made.json()["meetings"][0]["meeting_id"]
        .as_str()
        .expect("a meeting")
        .to_string();
    let edited = app
        .patch(
            &format!(
                "/api/v1/meetings/{}",
                made.json()["meetings"][1]["meeting_id"]
                    .as_str()
                    .expect("a meeting")
            ),
            Some(&fx.secretary.access),
            json!({"location": "Tonbridge Library"}),
        )
        .await;
    edited.assert_status(StatusCode::OK);
    assert_eq!(edited.json()["is_exception"], true, "edited by hand");

    let cancel = format!("/api/v1/meeting-series/{id}/cancel");
    app.post(&cancel, Some(&fx.member.access), json!({"reason": "x"}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let cancelled = app
        .post(
            &cancel,
            Some(&fx.secretary.access),
            json!({"reason": "The forum is merging"}),
        )
        .await;
    cancelled.assert_status(StatusCode::OK);
    let series = cancelled.json();
    assert_eq!(series["status"], "cancelled");
    let statuses: Vec<&str> = series["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .filter_map(|m| m["status"].as_str())
        .collect();
    assert_eq!(statuses, ["scheduled", "cancelled", "cancelled"]);
    assert_eq!(series["meetings"][0]["meeting_id"], first);
    app.post(
        &cancel,
        Some(&fx.secretary.access),
        json!({"reason": "again"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_daily_job_makes_a_long_series_meetings_a_year_ahead_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let start = (app.state.clock.now() + chrono::Duration::days(1))
        .with_timezone(&London)
        .date_naive()
        .and_hms_opt(18, 0, 0)
        .expect("a time");
    // Fortnightly, 40 times: about 26 in the first year.
    let made = schedule(
        &app,
        &fx,
        &start.to_string().replace(' ', "T"),
        "FREQ=WEEKLY;INTERVAL=2;COUNT=40",
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let id = made.json()["id"].as_str().expect("an id").to_string();
    let first_year = made.json()["meetings"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert!((26..=27).contains(&first_year), "{first_year}");

    app.state.clock.advance(chrono::Duration::days(120));
    let worker =
        crate::support::mail::smtp_worker(&app, &crate::support::smtp::SmtpServer::start());
    let first = worker
        .daily(app.state.clock.now())
        .await
        .expect("the day's job");
    let again = worker.daily(app.state.clock.now()).await.expect("again");
    assert_eq!((first.series_extended, again.series_extended), (1, 0));

    let series = app
        .get(
            &format!("/api/v1/meeting-series/{id}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let all = series["meetings"].as_array().map(Vec::len).unwrap_or(0);
    assert!(all > first_year && all <= 40, "{all}");
    let mut seen = std::collections::HashSet::new();
    assert!(
        series["meetings"]
            .as_array()
            .expect("meetings")
            .iter()
            .all(|m| seen.insert(m["occurrence_start"].to_string())),
        "each occurrence once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_cancelling_one_series_at_once_cancel_it_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let made = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
    )
    .await;
    let id = made.json()["id"].as_str().expect("an id").to_string();
    let served = app.serve().await;
    let tokens = [fx.secretary.access.clone(), fx.chair.access.clone()];

    let statuses = served
        .race(2, |i, client, base| {
            client
                .post(format!("{base}/api/v1/meeting-series/{id}/cancel"))
                .bearer_auth(&tokens[i])
                .json(&json!({"reason": "Merged with the county forum"}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CONFLICT),
        1,
        "{statuses:?}"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit?entity=meeting-series&entity_id={id}"),
            Some(&fx.admin.access),
        )
        .await
        .json();
    let cancellations = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "meeting-series.cancelled")
        .count();
    assert_eq!(cancellations, 1, "one cancellation recorded");
}

#[tokio::test]
async fn a_preview_shows_the_meetings_a_series_would_make_and_schedules_none() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let next_year = app.state.clock.now().year() + 1;
    let body = json!({
        "title": "Forum",
        "location": "Maidstone Community Hub",
        "starts_at_local": format!("{next_year}-02-09T10:00:00"),
        "duration_minutes": 120,
        "rrule": "FREQ=MONTHLY;BYDAY=2TU;COUNT=4",
    });

    let preview = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series/preview", fx.forum),
            Some(&fx.secretary.access),
            body.clone(),
        )
        .await;
    preview.assert_status(StatusCode::OK);
    let previewed: Vec<DateTime<Utc>> = preview.json()["starts"]
        .as_array()
        .expect("starts")
        .iter()
        .filter_map(|s| s.as_str()?.parse().ok())
        .collect();
    assert_eq!(previewed.len(), 4);
    assert!(
        previewed
            .iter()
            .all(|s| s.with_timezone(&London).hour() == 10),
        "10am in London, either side of the clocks going forward: {previewed:?}"
    );
    let meetings = app
        .get(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(meetings.json()["items"].as_array().map(Vec::len), Some(0));

    let scheduled = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series", fx.forum),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    assert_eq!(
        starts(&scheduled.json()),
        previewed,
        "what was previewed is made"
    );
}

#[tokio::test]
async fn a_preview_refuses_a_rule_outside_the_subset_naming_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let refused = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series/preview", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": "Forum",
                "location": "Hall",
                "starts_at_local": "2030-01-01T10:00:00",
                "duration_minutes": 60,
                "rrule": "FREQ=DAILY",
            }),
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["field"], "rrule");
}
