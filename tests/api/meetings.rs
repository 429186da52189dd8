use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse, count};

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

    let latest = app
        .get(
            &format!("{path}?latest_first=true&limit=3"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let cursor = latest["next_cursor"].as_str().unwrap_or_default();
    let earliest = app
        .get(
            &format!("{path}?latest_first=true&limit=3&cursor={cursor}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(titles(&latest), ["Third", "Second", "First"]);
    assert_eq!(titles(&earliest), ["Past"]);
    assert_eq!(earliest["next_cursor"], Value::Null);
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

#[tokio::test]
async fn a_patch_that_changes_nothing_keeps_the_version() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Planning", 48).await;
    let path = format!("/api/v1/meetings/{meeting}");
    let before = app.get(&path, Some(&fx.secretary.access)).await.json();

    let empty = patch_with(&app, &fx.secretary.access, &path, Some("\"1\""), json!({})).await;
    let same = patch_with(
        &app,
        &fx.chair.access,
        &path,
        None,
        json!({"title": "Planning", "location": before["location"], "starts_at": before["starts_at"], "status": "scheduled"}),
    )
    .await;

    empty.assert_status(StatusCode::OK);
    assert_eq!(empty.header("etag"), Some("\"1\""));
    same.assert_status(StatusCode::OK);
    assert_eq!(same.header("etag"), Some("\"1\""));
    let after = app.get(&path, Some(&fx.secretary.access)).await.json();
    assert_eq!(after["version"], 1);
    assert_eq!(after["updated_at"], before["updated_at"]);
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_id={meeting}"),
            Some(&fx.admin.access),
        )
        .await
        .json();
    assert_eq!(
        audit["items"].as_array().map(Vec::len),
        Some(1),
        "only the scheduling is recorded: {audit}"
    );
}

#[tokio::test]
async fn null_clears_a_place_but_not_a_field_that_cannot_be_cleared() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Planning", 48).await;
    let path = format!("/api/v1/meetings/{meeting}");

    let no_title = app
        .patch(&path, Some(&fx.secretary.access), json!({"title": null}))
        .await;
    let no_start = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"starts_at": null}),
        )
        .await;
    let online_only = app
        .patch(&path, Some(&fx.secretary.access), json!({"location": null}))
        .await;
    let nowhere = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"online_link": null}),
        )
        .await;

    assert_eq!(no_title.invalid_fields(), ["title"]);
    assert_eq!(no_start.invalid_fields(), ["starts_at"]);
    online_only.assert_status(StatusCode::OK);
    assert_eq!(online_only.json()["location"], Value::Null);
    assert_eq!(online_only.header("etag"), Some("\"2\""));
    assert_eq!(nowhere.invalid_fields(), ["location"]);
}

#[tokio::test]
async fn a_nul_or_a_line_break_in_a_meeting_title_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Planning", 48).await;
    let starts = Utc::now() + Duration::days(3);
    let create = |title: &str| json!({"title": title, "starts_at": starts, "ends_at": starts + Duration::hours(1), "location": "Hall"});

    for title in [
        "Forum\u{0}",
        "Forum\nBCC: everyone",
        "Forum\r",
        "\u{1b}[31mForum",
    ] {
        let created = app
            .post(
                &format!("/api/v1/forums/{}/meetings", fx.forum),
                Some(&fx.secretary.access),
                create(title),
            )
            .await;
        let edited = app
            .patch(
                &format!("/api/v1/meetings/{meeting}"),
                Some(&fx.secretary.access),
                json!({"title": title}),
            )
            .await;
        assert_eq!(created.invalid_fields(), ["title"], "{title:?}");
        assert_eq!(edited.invalid_fields(), ["title"], "{title:?}");
    }
    let bad_place = app
        .patch(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
            json!({"location": "Hall\u{0}", "description": "Bring\u{0}", "status": "cancelled", "cancel_reason": "Snow\nand ice"}),
        )
        .await;
    let mut fields = bad_place.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["cancel_reason", "description", "location"]);
    let kept = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(kept["version"], 1);
}

#[tokio::test]
async fn moves_the_state_machine_does_not_allow_are_409_naming_the_state() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "This morning", -3).await;
    let path = format!("/api/v1/meetings/{meeting}");
    app.patch(&path, Some(&fx.secretary.access), json!({"status": "held"}))
        .await
        .assert_status(StatusCode::OK);

    let cancel = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"status": "cancelled", "cancel_reason": "Too late"}),
        )
        .await;
    let back = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"status": "scheduled"}),
        )
        .await;
    let reason_only = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"cancel_reason": "Why not"}),
        )
        .await;

    let problem = cancel.assert_problem(StatusCode::CONFLICT);
    assert_eq!(
        problem["detail"],
        "this meeting is held; it cannot become cancelled"
    );
    let problem = back.assert_problem(StatusCode::CONFLICT);
    assert_eq!(
        problem["detail"],
        "this meeting is held; it cannot become scheduled"
    );
    assert_eq!(reason_only.invalid_fields(), ["cancel_reason"]);
}

#[tokio::test]
async fn the_reason_of_a_cancelled_meeting_can_be_corrected() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Summer forum", 24).await;
    let path = format!("/api/v1/meetings/{meeting}");
    app.patch(
        &path,
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Venue flooded"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let corrected = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"cancel_reason": "Venue flooded; we will write with a new date"}),
        )
        .await;

    corrected.assert_status(StatusCode::OK);
    assert_eq!(
        corrected.json()["cancel_reason"],
        "Venue flooded; we will write with a new date"
    );
    assert_eq!(corrected.json()["status"], "cancelled");
}

/// Every officer holds or cancels the meeting at once: the first to commit
/// decides, and nobody's answer contradicts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_holds_and_cancellations_exactly_one_decides() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Started an hour ago", -1).await;
    let served = app.serve().await;
    let wants = |i: usize| {
        if i.is_multiple_of(2) {
            "held"
        } else {
            "cancelled"
        }
    };

    let statuses = served
        .race(20, |i, client, base| {
            let token = if i % 3 == 0 {
                &fx.chair.access
            } else {
                &fx.secretary.access
            };
            client
                .patch(format!("{base}/api/v1/meetings/{meeting}"))
                .bearer_auth(token)
                .json(&if wants(i) == "held" {
                    json!({"status": "held"})
                } else {
                    json!({"status": "cancelled", "cancel_reason": "Called off"})
                })
        })
        .await;

    let now = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    let decided = now.json()["status"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(now.header("etag"), Some("\"2\""), "{statuses:?}");
    for (i, status) in statuses.iter().enumerate() {
        if wants(i) == decided {
            assert!(
                *status == StatusCode::OK || *status == StatusCode::CONFLICT,
                "{statuses:?}"
            );
        } else {
            assert_eq!(*status, StatusCode::CONFLICT, "{i}: {statuses:?}");
        }
    }
    assert!(count(&statuses, StatusCode::OK) >= 1, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_editors_sending_the_same_etag_make_exactly_one_change() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Planning", 48).await;
    let served = app.serve().await;

    let statuses = served
        .race(30, |i, client, base| {
            client
                .patch(format!("{base}/api/v1/meetings/{meeting}"))
                .bearer_auth(&fx.secretary.access)
                .header("if-match", "\"1\"")
                .json(&json!({"title": format!("Planning, take {i}")}))
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::PRECONDITION_FAILED),
        29,
        "{statuses:?}"
    );
    let now = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(now.header("etag"), Some("\"2\""));
}
