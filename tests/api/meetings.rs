use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse};

async fn patch_with(
    app: &TestApp,
    token: &str,
    path: &str,
    if_match: Option<&str>,
    body: Value,
) -> TestResponse {
    let if_match: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.request_with_headers(Method::PATCH, path, Some(token), &if_match, Some(body))
        .await
}

#[tokio::test]
async fn the_secretary_schedules_a_meeting_that_participants_read() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let starts = Utc::now() + Duration::days(14);

    let response = app
        .post(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Quarterly forum", "starts_at": starts, "ends_at": starts + Duration::hours(3), "location": "Canterbury"}),
        )
        .await;

    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.header("etag"), Some("\"1\""));
    let meeting = response.json();
    assert_eq!(meeting["status"], "scheduled");
    assert_eq!(meeting["version"], 1);
    let path = format!(
        "/api/v1/meetings/{}",
        meeting["id"].as_str().unwrap_or_default()
    );
    let read = app.get(&path, Some(&fx.observer.access)).await;
    read.assert_status(StatusCode::OK);
    assert_eq!(read.json()["title"], "Quarterly forum");
}

#[tokio::test]
async fn a_meeting_needs_a_sensible_time_and_a_place() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/meetings", fx.forum);
    let starts = Utc::now() + Duration::days(1);

    let backwards = app
        .post(&path, Some(&fx.secretary.access), json!({"title": "T", "starts_at": starts, "ends_at": starts - Duration::hours(1), "location": "Hall"}))
        .await;
    let marathon = app
        .post(&path, Some(&fx.secretary.access), json!({"title": "T", "starts_at": starts, "ends_at": starts + Duration::hours(13), "location": "Hall"}))
        .await;
    let nowhere = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "", "starts_at": starts, "ends_at": starts + Duration::hours(1)}),
        )
        .await;
    let bad_time = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "T", "starts_at": "tomorrow", "ends_at": starts, "location": "Hall"}),
        )
        .await;

    assert_eq!(backwards.invalid_fields(), ["ends_at"]);
    assert_eq!(marathon.invalid_fields(), ["ends_at"]);
    let mut fields = nowhere.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["location", "title"]);
    assert_eq!(bad_time.invalid_fields(), ["starts_at"]);
}

#[tokio::test]
async fn edits_bump_the_version_and_a_stale_if_match_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Planning", 48).await;
    let path = format!("/api/v1/meetings/{meeting}");

    let first = patch_with(
        &app,
        &fx.secretary.access,
        &path,
        Some("\"1\""),
        json!({"title": "Planning (moved)"}),
    )
    .await;
    let stale = patch_with(
        &app,
        &fx.chair.access,
        &path,
        Some("\"1\""),
        json!({"title": "Chair's edit"}),
    )
    .await;
    let blind = patch_with(
        &app,
        &fx.chair.access,
        &path,
        None,
        json!({"description": "Bring reports"}),
    )
    .await;

    first.assert_status(StatusCode::OK);
    assert_eq!(first.header("etag"), Some("\"2\""));
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    blind.assert_status(StatusCode::OK);
    let now = app.get(&path, Some(&fx.secretary.access)).await.json();
    assert_eq!(now["title"], "Planning (moved)");
    assert_eq!(now["version"], 3);
}

#[tokio::test]
async fn a_meeting_is_held_only_once_it_has_started() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let future = app.meeting(&fx, "Next month", 24 * 30).await;
    let past = app.meeting(&fx, "This morning", -3).await;

    let early = app
        .patch(
            &format!("/api/v1/meetings/{future}"),
            Some(&fx.secretary.access),
            json!({"status": "held"}),
        )
        .await;
    let held = app
        .patch(
            &format!("/api/v1/meetings/{past}"),
            Some(&fx.secretary.access),
            json!({"status": "held"}),
        )
        .await;
    let moved = app
        .patch(
            &format!("/api/v1/meetings/{past}"),
            Some(&fx.secretary.access),
            json!({"starts_at": Utc::now(), "ends_at": Utc::now() + Duration::hours(1)}),
        )
        .await;
    let cancelled_after = app
        .patch(
            &format!("/api/v1/meetings/{past}"),
            Some(&fx.secretary.access),
            json!({"status": "cancelled", "cancel_reason": "x"}),
        )
        .await;

    early.assert_problem(StatusCode::CONFLICT);
    held.assert_status(StatusCode::OK);
    assert_eq!(held.json()["status"], "held");
    moved.assert_problem(StatusCode::CONFLICT);
    cancelled_after.assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn cancelling_needs_a_reason_and_then_the_meeting_cannot_be_rescheduled() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Summer forum", 24 * 7).await;
    let path = format!("/api/v1/meetings/{meeting}");

    let no_reason = app
        .patch(
            &path,
            Some(&fx.chair.access),
            json!({"status": "cancelled"}),
        )
        .await;
    let cancelled = app
        .patch(
            &path,
            Some(&fx.chair.access),
            json!({"status": "cancelled", "cancel_reason": "Venue flooded"}),
        )
        .await;
    let later = Utc::now() + Duration::days(30);
    let rescheduled = app
        .patch(
            &path,
            Some(&fx.chair.access),
            json!({"starts_at": later, "ends_at": later + Duration::hours(1)}),
        )
        .await;

    assert_eq!(no_reason.invalid_fields(), ["cancel_reason"]);
    cancelled.assert_status(StatusCode::OK);
    assert_eq!(cancelled.json()["cancel_reason"], "Venue flooded");
    rescheduled.assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn meetings_are_listed_soonest_first_and_filtered() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    for (title, hours) in [("Third", 72), ("First", 24), ("Past", -48), ("Second", 48)] {
        app.meeting(&fx, title, hours).await;
    }
    let path = format!("/api/v1/forums/{}/meetings", fx.forum);
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["title"].as_str().map(String::from))
            .collect()
    };

    let first = app
        .get(&format!("{path}?limit=2"), Some(&fx.member.access))
        .await
        .json();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = app
        .get(
            &format!("{path}?limit=2&cursor={cursor}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let from: DateTime<Utc> = Utc::now();
    let upcoming = app
        .get(
            &format!(
                "{path}?from={}",
                from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            Some(&fx.member.access),
        )
        .await
        .json();
    let cancelled = app
        .get(&format!("{path}?status=cancelled"), Some(&fx.member.access))
        .await
        .json();

    assert_eq!(titles(&first), ["Past", "First"]);
    assert_eq!(titles(&second), ["Second", "Third"]);
    assert_eq!(titles(&upcoming), ["First", "Second", "Third"]);
    assert!(titles(&cancelled).is_empty());
}

#[tokio::test]
async fn another_regions_people_cannot_find_a_meeting_by_its_id() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Closed session", 24).await;
    let path = format!("/api/v1/meetings/{meeting}");

    for token in [
        &fx.other_rpd_staff.access,
        &fx.other_member.access,
        &fx.signed_in.access,
    ] {
        app.get(&path, Some(token))
            .await
            .assert_problem(StatusCode::NOT_FOUND);
        app.patch(&path, Some(token), json!({"title": "Mine now"}))
            .await
            .assert_problem(StatusCode::NOT_FOUND);
    }
    app.get(&path, None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}
