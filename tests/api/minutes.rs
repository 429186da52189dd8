use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, TestResponse, TestUser, count};

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

async fn approve(
    app: &TestApp,
    by: &TestUser,
    meeting: Uuid,
    if_match: Option<&str>,
) -> TestResponse {
    let if_match: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.request_with_headers(
        Method::POST,
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&by.access),
        &if_match,
        None,
    )
    .await
}

#[tokio::test]
async fn approval_is_a_new_version_and_honours_if_match() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "v1").await;
    put_minutes(&app, &fx.secretary, meeting, Some("\"1\""), "v2").await;

    let stale = approve(&app, &fx.chair, meeting, Some("\"1\"")).await;
    let approved = approve(&app, &fx.chair, meeting, Some("\"2\"")).await;

    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    approved.assert_status(StatusCode::OK);
    assert_eq!(approved.header("etag"), Some("\"3\""));
    let approved = approved.json();
    assert_eq!(approved["version"], 3);
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["approved_by"], json!(fx.chair.id));
    assert!(approved["approved_at"].is_string());
    let public = app
        .get(&format!("/api/v1/meetings/{meeting}/minutes"), None)
        .await;
    assert_eq!(public.header("etag"), Some("\"3\""));
    let revisions = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes/revisions"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let last = revisions["items"][2].clone();
    assert_eq!(last["version"], 3);
    assert_eq!(last["body"], "v2");
    assert_eq!(last["edited_by"], json!(fx.chair.id));
}

#[tokio::test]
async fn the_same_text_again_makes_no_new_version() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "# Minutes").await;

    let again = put_minutes(&app, &fx.secretary, meeting, Some("\"1\""), "# Minutes").await;

    again.assert_status(StatusCode::OK);
    assert_eq!(again.header("etag"), Some("\"1\""));
    let revisions = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes/revisions"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(revisions["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_first_draft_sent_with_if_match_has_nothing_to_match() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;

    put_minutes(&app, &fx.secretary, meeting, Some("*"), "Draft")
        .await
        .assert_problem(StatusCode::PRECONDITION_FAILED);
    put_minutes(&app, &fx.secretary, meeting, None, "Draft")
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_cancelled_meeting_has_no_minutes_and_minutes_are_clean_text() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let cancelled = app.meeting(&fx, "Off", 24).await;
    app.patch(
        &format!("/api/v1/meetings/{cancelled}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Strike"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let meeting = held_meeting(&app, &fx).await;

    put_minutes(&app, &fx.secretary, cancelled, None, "Notes")
        .await
        .assert_problem(StatusCode::CONFLICT);
    let nul = put_minutes(&app, &fx.secretary, meeting, None, "Present:\u{0} all").await;
    let escape = put_minutes(&app, &fx.secretary, meeting, None, "\u{1b}[2J").await;
    let markdown = put_minutes(
        &app,
        &fx.secretary,
        meeting,
        None,
        "# Minutes\r\n\n- item\twith tab",
    )
    .await;

    assert_eq!(nul.invalid_fields(), ["body"]);
    assert_eq!(escape.invalid_fields(), ["body"]);
    markdown.assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn member_of_other_region_cannot_read_draft_minutes_nor_draft_them() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "Draft").await;

    for outsider in [&fx.other_member, &fx.other_rpd_staff] {
        app.get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&outsider.access),
        )
        .await
        .assert_problem(StatusCode::NOT_FOUND);
        put_minutes(&app, outsider, meeting, Some("\"1\""), "Mine")
            .await
            .assert_problem(StatusCode::NOT_FOUND);
        approve(&app, outsider, meeting, None)
            .await
            .assert_problem(StatusCode::NOT_FOUND);
    }
    for participant in [&fx.member, &fx.observer, &fx.rpd_staff] {
        put_minutes(&app, participant, meeting, Some("\"1\""), "Mine")
            .await
            .assert_problem(StatusCode::FORBIDDEN);
    }
}

/// The chair presses "approve" thirty times at once: the minutes are
/// approved once, by one request, and their version rises once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_concurrent_approvals_by_the_chair_approve_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let drafted = put_minutes(&app, &fx.secretary, meeting, None, "# Agreed").await;
    let minutes_id = drafted.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let served = app.serve().await;

    let statuses = served
        .race(30, |_, client, base| {
            client
                .post(format!("{base}/api/v1/meetings/{meeting}/minutes/approve"))
                .bearer_auth(&fx.chair.access)
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 29, "{statuses:?}");
    let now = app
        .get(&format!("/api/v1/meetings/{meeting}/minutes"), None)
        .await;
    assert_eq!(now.header("etag"), Some("\"2\""));
    assert_eq!(now.json()["status"], "approved");
    let revisions = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes/revisions"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(revisions["items"].as_array().map(Vec::len), Some(2));
    let audit = app
        .get(
            &format!("/api/v1/audit?entity_id={minutes_id}"),
            Some(&fx.admin.access),
        )
        .await
        .json();
    let approvals = audit["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "minutes.approved")
        .count();
    assert_eq!(approvals, 1, "{audit}");
}

/// Two officers save the first draft at the same moment: one is the first
/// version, the other is told to read it (never a 500, never an overwrite).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn first_drafts_sent_at_once_make_one_and_refuse_the_rest_cleanly() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let served = app.serve().await;

    let statuses = served
        .race(10, |i, client, base| {
            let by = if i % 2 == 0 { &fx.secretary } else { &fx.chair };
            client
                .put(format!("{base}/api/v1/meetings/{meeting}/minutes"))
                .bearer_auth(&by.access)
                .json(&json!({"body": format!("Draft {i}")}))
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::CONFLICT)
            + count(&statuses, StatusCode::PRECONDITION_REQUIRED),
        9,
        "{statuses:?}"
    );
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::CREATED)
        .unwrap_or_default();
    let now = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(now.header("etag"), Some("\"1\""));
    assert_eq!(now.json()["body"], format!("Draft {winner}"));
}

/// An approval committed by someone else between this request's read and
/// its write: the write finds the minutes no longer the draft it read.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_approval_made_while_another_commits_is_refused() {
    use entity::minutes;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    put_minutes(&app, &fx.secretary, meeting, None, "# Agreed").await;
    let served = app.serve().await;

    let other = convene::kernel::db::begin_write(app.db())
        .await
        .expect("begin the other approval");
    minutes::Entity::update_many()
        .col_expr(minutes::Column::Status, Expr::value("approved"))
        .col_expr(minutes::Column::ApprovedBy, Expr::value(fx.admin.id))
        .col_expr(
            minutes::Column::Version,
            Expr::col(minutes::Column::Version).add(1),
        )
        .filter(minutes::Column::MeetingId.eq(meeting))
        .exec(&other)
        .await
        .expect("approve");
    let request = tokio::spawn(
        served
            .client
            .post(format!(
                "{}/api/v1/meetings/{meeting}/minutes/approve",
                served.base
            ))
            .bearer_auth(&fx.chair.access)
            .send(),
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    other.commit().await.expect("commit the other approval");
    let answer = request
        .await
        .expect("request task")
        .expect("request answered");

    assert_eq!(answer.status(), StatusCode::CONFLICT);
    let problem: Value = answer.json().await.expect("a problem document");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("became approved")),
        "{problem}"
    );
    let now = app
        .get(&format!("/api/v1/meetings/{meeting}/minutes"), None)
        .await
        .json();
    assert_eq!(now["approved_by"], json!(fx.admin.id));
    assert_eq!(now["version"], 2);
}
