use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, TestResponse, TestUser};

async fn put_minutes(
    app: &TestApp,
    by: &TestUser,
    meeting: Uuid,
    if_match: Option<&str>,
    body: &str,
) -> TestResponse {
    let if_match: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.request_with_headers(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/minutes"),
        Some(&by.access),
        &if_match,
        Some(json!({"body": body})),
    )
    .await
}

async fn held_meeting(app: &TestApp, fx: &crate::support::ForumFixture) -> Uuid {
    let meeting = app.meeting(fx, "Forum", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    meeting
}

#[tokio::test]
async fn drafting_needs_if_match_after_the_first_write_and_refuses_stale_ones() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;

    let first = put_minutes(
        &app,
        &fx.secretary,
        meeting,
        None,
        "# Minutes\n\nPresent: …",
    )
    .await;
    first.assert_status(StatusCode::CREATED);
    assert_eq!(first.header("etag"), Some("\"1\""));
    let without = put_minutes(&app, &fx.secretary, meeting, None, "Overwrite").await;
    let second = put_minutes(
        &app,
        &fx.secretary,
        meeting,
        Some("\"1\""),
        "# Minutes\n\nPresent: all",
    )
    .await;
    let stale = put_minutes(&app, &fx.chair, meeting, Some("\"1\""), "Chair's version").await;

    without.assert_problem(StatusCode::PRECONDITION_REQUIRED);
    second.assert_status(StatusCode::OK);
    assert_eq!(second.header("etag"), Some("\"2\""));
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(read.json()["body"], "# Minutes\n\nPresent: all");
    assert_eq!(read.json()["status"], "draft");
}

#[tokio::test]
async fn every_version_is_kept_with_who_and_when() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "v1").await;
    put_minutes(&app, &fx.chair, meeting, Some("\"1\""), "v2").await;
    put_minutes(&app, &fx.secretary, meeting, Some("\"2\""), "v3").await;

    let revisions = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes/revisions"),
            Some(&fx.observer.access),
        )
        .await;

    revisions.assert_status(StatusCode::OK);
    let items = revisions.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let summary: Vec<(i64, String, String)> = items
        .iter()
        .map(|r| {
            (
                r["version"].as_i64().unwrap_or(0),
                r["body"].as_str().unwrap_or("").into(),
                r["edited_by_name"].as_str().unwrap_or("").into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, "v1".into(), "Secretary".into()),
            (2, "v2".into(), "Chair".into()),
            (3, "v3".into(), "Secretary".into())
        ]
    );
}

#[tokio::test]
async fn drafts_are_hidden_from_everyone_outside_the_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "Draft").await;
    let path = format!("/api/v1/meetings/{meeting}/minutes");

    app.get(&path, None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    for outsider in [&fx.signed_in, &fx.other_member, &fx.other_rpd_staff] {
        app.get(&path, Some(&outsider.access))
            .await
            .assert_problem(StatusCode::NOT_FOUND);
        app.get(&format!("{path}/revisions"), Some(&outsider.access))
            .await
            .assert_problem(StatusCode::NOT_FOUND);
    }
    app.get(&path, Some(&fx.observer.access))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_chair_approves_held_minutes_which_become_public_and_read_only() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let upcoming = app.meeting(&fx, "Upcoming", 24).await;
    put_minutes(&app, &fx.secretary, upcoming, None, "Prepared notes").await;
    app.post(
        &format!("/api/v1/meetings/{upcoming}/minutes/approve"),
        Some(&fx.chair.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);

    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "# Agreed").await;
    let by_secretary = app
        .post(
            &format!("/api/v1/meetings/{meeting}/minutes/approve"),
            Some(&fx.secretary.access),
            json!({}),
        )
        .await;
    let by_chair = app
        .post(
            &format!("/api/v1/meetings/{meeting}/minutes/approve"),
            Some(&fx.chair.access),
            json!({}),
        )
        .await;

    by_secretary.assert_problem(StatusCode::FORBIDDEN);
    by_chair.assert_status(StatusCode::OK);
    let public = app
        .get(&format!("/api/v1/meetings/{meeting}/minutes"), None)
        .await;
    public.assert_status(StatusCode::OK);
    let public: Value = public.json();
    assert_eq!(public["status"], "approved");
    assert_eq!(public["body"], "# Agreed");
    assert_eq!(public["approved_by"], json!(fx.chair.id));
    put_minutes(&app, &fx.secretary, meeting, Some("\"1\""), "Changed")
        .await
        .assert_problem(StatusCode::CONFLICT);
    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.chair.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn without_a_chair_the_secretary_approves() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.request(
        Method::DELETE,
        &format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.chair.id),
        Some(&fx.admin.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "# Agreed").await;

    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.secretary.access),
        json!({}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_meeting_without_minutes_has_none_to_show() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;

    app.get(
        &format!("/api/v1/meetings/{meeting}/minutes"),
        Some(&fx.secretary.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.chair.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}
