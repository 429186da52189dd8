use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};

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

/// Cancels the meeting in a transaction of its own, left open while `during`
/// is sent, and commits it half a second later: the request meets a
/// cancellation that is being committed.
async fn while_a_cancellation_commits(
    app: &TestApp,
    meeting: uuid::Uuid,
    during: reqwest::RequestBuilder,
) -> reqwest::StatusCode {
    use entity::meeting;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let cancelling = convene::kernel::db::begin_write(app.db())
        .await
        .expect("begin the cancellation");
    meeting::Entity::update_many()
        .col_expr(meeting::Column::Status, Expr::value("cancelled"))
        .col_expr(meeting::Column::CancelReason, Expr::value("Strike"))
        .col_expr(
            meeting::Column::Version,
            Expr::col(meeting::Column::Version).add(1),
        )
        .filter(meeting::Column::Id.eq(meeting))
        .exec(&cancelling)
        .await
        .expect("cancel");
    let request = tokio::spawn(during.send());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    cancelling.commit().await.expect("commit the cancellation");
    request
        .await
        .expect("request task")
        .expect("request answered")
        .status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_rsvp_made_while_a_cancellation_commits_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let served = app.serve().await;

    let status = while_a_cancellation_commits(
        &app,
        meeting,
        served
            .client
            .put(format!("{}/api/v1/meetings/{meeting}/rsvp", served.base))
            .bearer_auth(&fx.member.access)
            .json(&json!({"response": "yes"})),
    )
    .await;

    assert_eq!(status, reqwest::StatusCode::CONFLICT);
    let list = app
        .get(
            &format!("/api/v1/meetings/{meeting}/rsvps"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(list["counts"], json!({"yes": 0, "no": 0, "maybe": 0}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attendance_recorded_while_a_cancellation_commits_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -1).await;
    let served = app.serve().await;

    let status = while_a_cancellation_commits(
        &app,
        meeting,
        served
            .client
            .put(format!(
                "{}/api/v1/meetings/{meeting}/attendance",
                served.base
            ))
            .bearer_auth(&fx.secretary.access)
            .json(&json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}]})),
    )
    .await;

    assert_eq!(status, reqwest::StatusCode::CONFLICT);
    let shown = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(shown["attendance"]["attended"], 0);
}

#[tokio::test]
async fn a_change_of_attendance_raises_the_meetings_version_and_the_same_list_does_not() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -1).await;
    let path = format!("/api/v1/meetings/{meeting}/attendance");
    let list = json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}]});

    app.request(
        Method::PUT,
        &path,
        Some(&fx.secretary.access),
        Some(list.clone()),
    )
    .await
    .assert_status(StatusCode::OK);
    let after_first = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.member.access),
        )
        .await;
    app.request(Method::PUT, &path, Some(&fx.chair.access), Some(list))
        .await
        .assert_status(StatusCode::OK);
    let after_same = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.member.access),
        )
        .await;

    assert_eq!(after_first.header("etag"), Some("\"2\""));
    assert_eq!(after_first.json()["attendance"]["attended"], 1);
    assert_eq!(after_same.header("etag"), Some("\"2\""));
}

#[tokio::test]
async fn nobody_outside_the_forum_answers_or_records_attendance() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let upcoming = app.meeting(&fx, "Forum", 24).await;
    let started = app.meeting(&fx, "Started", -1).await;

    for outsider in [&fx.other_member, &fx.other_rpd_staff, &fx.signed_in] {
        app.request(
            Method::PUT,
            &format!("/api/v1/meetings/{upcoming}/rsvp"),
            Some(&outsider.access),
            Some(json!({"response": "yes"})),
        )
        .await
        .assert_problem(StatusCode::NOT_FOUND);
        app.request(
            Method::PUT,
            &format!("/api/v1/meetings/{started}/attendance"),
            Some(&outsider.access),
            Some(json!({"entries": []})),
        )
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    }
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{started}/attendance"),
        Some(&fx.member.access),
        Some(json!({"entries": []})),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_attendance_list_made_from_a_meeting_changed_since_replaces_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let past = app.meeting(&fx, "Spring forum", -3).await;
    let put = |version: &'static str, body: serde_json::Value| {
        let app = &app;
        let token = fx.secretary.access.clone();
        async move {
            app.request_with_headers(
                Method::PUT,
                &format!("/api/v1/meetings/{past}/attendance"),
                Some(&token),
                &[("if-match", version)],
                Some(body),
            )
            .await
        }
    };
    put(
        "\"1\"",
        json!({"entries": [{"user_id": fx.chair.id, "attendance": "attended"}]}),
    )
    .await
    .assert_status(StatusCode::OK);

    let stale = put(
        "\"1\"",
        json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}]}),
    )
    .await;

    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    let meeting = app
        .get(
            &format!("/api/v1/meetings/{past}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(meeting.json()["version"], 2);
    assert_eq!(meeting.json()["attendance"]["attended"], 1);
    put(
        "\"2\"",
        json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}]}),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_attendance_sheet_lists_the_forums_people_by_organisation_with_what_was_recorded() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -1).await;
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/attendance"),
        Some(&fx.secretary.access),
        Some(json!({"entries": [
            {"user_id": fx.member.id, "attendance": "attended"},
            {"user_id": fx.rpd_staff.id, "attendance": "apologies"},
        ]})),
    )
    .await
    .assert_status(StatusCode::OK);

    let sheet = app
        .get(
            &format!("/api/v1/meetings/{meeting}/attendance-sheet"),
            Some(&fx.member.access),
        )
        .await;

    sheet.assert_status(StatusCode::OK);
    let version = sheet.json()["meeting"]["version"].clone();
    assert_eq!(
        sheet.headers.get("etag").and_then(|v| v.to_str().ok()),
        Some(format!("\"{version}\"").as_str()),
        "the ETag is the meeting's, for the attendance PUT"
    );
    let people = sheet.json()["people"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let recorded = |id: uuid::Uuid| {
        people
            .iter()
            .find(|p| p["user_id"] == json!(id))
            .map(|p| p["attendance"].clone())
    };
    assert_eq!(recorded(fx.member.id), Some(json!("attended")));
    assert_eq!(recorded(fx.rpd_staff.id), Some(json!("apologies")));
    assert_eq!(
        recorded(fx.secretary.id),
        Some(Value::Null),
        "on the sheet, nothing recorded"
    );
    let organisations: Vec<&Value> = people.iter().map(|p| &p["organisation_name"]).collect();
    let first_without = organisations.iter().position(|o| o.is_null());
    assert!(
        first_without.is_none_or(|at| organisations[at..].iter().all(|o| o.is_null())),
        "those of no organisation come last: {organisations:?}"
    );
}
