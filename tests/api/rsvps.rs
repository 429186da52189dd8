use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn participants_answer_and_the_counts_add_up() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let path = format!("/api/v1/meetings/{meeting}/rsvp");

    for (user, answer) in [
        (&fx.member, "yes"),
        (&fx.secretary, "yes"),
        (&fx.rpd_staff, "maybe"),
        (&fx.chair, "no"),
    ] {
        let response = app
            .request(
                Method::PUT,
                &path,
                Some(&user.access),
                Some(json!({"response": answer})),
            )
            .await;
        response.assert_status(StatusCode::OK);
    }
    // Changing one's mind replaces the answer.
    app.request(
        Method::PUT,
        &path,
        Some(&fx.chair.access),
        Some(json!({"response": "yes"})),
    )
    .await;

    let list = app
        .get(
            &format!("/api/v1/meetings/{meeting}/rsvps"),
            Some(&fx.observer.access),
        )
        .await;
    list.assert_status(StatusCode::OK);
    let list = list.json();
    assert_eq!(list["counts"], json!({"yes": 3, "no": 0, "maybe": 1}));
    assert_eq!(list["items"].as_array().map_or(0, Vec::len), 4);
}

#[tokio::test]
async fn observers_watch_but_do_not_answer() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;

    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/rsvp"),
        Some(&fx.observer.access),
        Some(json!({"response": "yes"})),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn rsvps_close_when_the_meeting_starts_or_is_cancelled() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let started = app.meeting(&fx, "Already on", -1).await;
    let cancelled = app.meeting(&fx, "Off", 24).await;
    app.patch(
        &format!("/api/v1/meetings/{cancelled}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Ill"}),
    )
    .await;

    for meeting in [started, cancelled] {
        app.request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/rsvp"),
            Some(&fx.member.access),
            Some(json!({"response": "yes"})),
        )
        .await
        .assert_problem(StatusCode::CONFLICT);
    }
    let bad = app
        .request(
            Method::PUT,
            &format!("/api/v1/meetings/{cancelled}/rsvp"),
            Some(&fx.member.access),
            Some(json!({"response": "perhaps"})),
        )
        .await;
    assert_eq!(bad.invalid_fields(), ["response"]);
}

#[tokio::test]
async fn the_secretary_records_attendance_and_the_meeting_counts_organisations() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -1).await;
    let (colleague, _) = app.organisation_member("Colleague").await;
    // The colleague joins the member's organisation: two people, one organisation.
    app.patch(
        &format!("/api/v1/users/{}", colleague.id),
        Some(&fx.admin.access),
        json!({"organisation_id": fx.member_organisation}),
    )
    .await
    .assert_status(StatusCode::OK);

    let response = app
        .request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/attendance"),
            Some(&fx.secretary.access),
            Some(json!({"entries": [
                {"user_id": fx.member.id, "attendance": "attended"},
                {"user_id": colleague.id, "attendance": "attended"},
                {"user_id": fx.other_member.id, "attendance": "attended"},
                {"user_id": fx.rpd_staff.id, "attendance": "apologies"},
            ]})),
        )
        .await;

    response.assert_status(StatusCode::OK);
    // The Welsh member's organisation is not a member of this forum, so it does not count.
    let expected = json!({"attended": 3, "apologies": 1, "organisations_represented": 1});
    assert_eq!(response.json()["summary"], expected);
    let shown = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(shown["attendance"], expected);
}

#[tokio::test]
async fn attendance_is_the_whole_list_and_waits_for_the_start() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let future = app.meeting(&fx, "Later", 24).await;
    let past = app.meeting(&fx, "Earlier", -2).await;
    let put = |meeting: uuid::Uuid, body: serde_json::Value| {
        let app = &app;
        let token = fx.secretary.access.clone();
        async move {
            app.request(
                Method::PUT,
                &format!("/api/v1/meetings/{meeting}/attendance"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };

    put(future, json!({"entries": []}))
        .await
        .assert_problem(StatusCode::CONFLICT);
    put(past, json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}, {"user_id": fx.chair.id, "attendance": "attended"}]}))
        .await
        .assert_status(StatusCode::OK);
    let replaced = put(
        past,
        json!({"entries": [{"user_id": fx.chair.id, "attendance": "apologies"}]}),
    )
    .await;
    let duplicate = put(past, json!({"entries": [{"user_id": fx.chair.id, "attendance": "attended"}, {"user_id": fx.chair.id, "attendance": "apologies"}]})).await;
    let unknown = put(
        past,
        json!({"entries": [{"user_id": uuid::Uuid::now_v7(), "attendance": "attended"}]}),
    )
    .await;

    assert_eq!(
        replaced.json()["summary"],
        json!({"attended": 0, "apologies": 1, "organisations_represented": 0})
    );
    assert_eq!(duplicate.invalid_fields(), ["entries[1].user_id"]);
    assert_eq!(unknown.invalid_fields(), ["entries[0].user_id"]);
    app.state.clock.advance(Duration::hours(25));
    put(future, json!({"entries": []}))
        .await
        .assert_status(StatusCode::OK);
}
