use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestUser};

async fn raise(app: &TestApp, by: &TestUser, fx: &ForumFixture, body: Value) -> Value {
    let response = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&by.access),
            body,
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

async fn respond(
    app: &TestApp,
    by: &TestUser,
    issue: &str,
    text: &str,
) -> crate::support::TestResponse {
    app.post(
        &format!("/api/v1/issues/{issue}/responses"),
        Some(&by.access),
        json!({"body": text}),
    )
    .await
}

#[tokio::test]
async fn a_member_raises_an_issue_due_in_the_forums_response_days() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let commitment = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    let meeting = app.meeting(&fx, "Forum", -1).await;

    let issue = raise(
        &app,
        &fx.member,
        &fx,
        json!({"title": "Prison leavers released on Fridays", "body": "People released late on Fridays cannot reach housing teams.",
               "priority": "high", "meeting_id": meeting, "commitment_ids": [commitment]}),
    )
    .await;

    assert_eq!(issue["status"], "open");
    assert_eq!(issue["priority"], "high");
    assert_eq!(issue["raised_by"], json!(fx.member.id));
    assert_eq!(
        issue["raised_by_organisation_id"],
        json!(fx.member_organisation)
    );
    let due = (chrono::Utc::now().date_naive() + Duration::days(28)).to_string();
    assert_eq!(issue["response_due_on"], due);
    assert_eq!(issue["commitment_ids"], json!([commitment]));
}

#[tokio::test]
async fn the_forum_sets_its_own_response_days() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.patch(
        &format!("/api/v1/forums/{}", fx.forum),
        Some(&fx.admin.access),
        json!({"issue_response_days": 14}),
    )
    .await
    .assert_status(StatusCode::OK);

    let issue = raise(&app, &fx.secretary, &fx, json!({"title": "T", "body": "B"})).await;

    let due = (chrono::Utc::now().date_naive() + Duration::days(14)).to_string();
    assert_eq!(issue["response_due_on"], due);
    assert_eq!(issue["priority"], "normal");
}

#[tokio::test]
async fn issues_link_only_this_forum_and_region() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let welsh_plan = app.plan(&fx.admin, "wales", "Welsh plan").await;
    let welsh = app
        .commitment(&fx.admin, welsh_plan, "WAL-1", "women", "specific")
        .await;
    let path = format!("/api/v1/forums/{}/issues", fx.forum);

    let cross = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "T", "body": "B", "commitment_ids": [welsh]}),
        )
        .await;
    let elsewhere = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "T", "body": "B", "meeting_id": Uuid::now_v7()}),
        )
        .await;
    let blank = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "", "body": "", "priority": "whenever"}),
        )
        .await;

    assert_eq!(cross.invalid_fields(), ["commitment_ids[0]"]);
    assert_eq!(elsewhere.invalid_fields(), ["meeting_id"]);
    assert_eq!(blank.invalid_fields(), ["priority"]);
}

#[tokio::test]
async fn the_rpd_team_acknowledges_and_answers_and_the_raiser_closes() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);
    let path = format!("/api/v1/issues/{issue}");

    app.patch(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"status": "acknowledged"}),
    )
    .await
    .assert_status(StatusCode::OK);
    respond(
        &app,
        &fx.rpd_staff,
        &issue,
        "We are working with the councils on Friday releases.",
    )
    .await
    .assert_status(StatusCode::CREATED);
    respond(
        &app,
        &fx.rpd_staff,
        &issue,
        "Update: a pilot starts next month.",
    )
    .await
    .assert_status(StatusCode::CREATED);
    let detail = app.get(&path, Some(&fx.observer.access)).await.json();
    assert_eq!(detail["status"], "responded");
    assert_eq!(detail["days_to_first_response"], 0);
    assert_eq!(detail["answered_within_due_date"], true);
    assert_eq!(detail["responses"].as_array().map_or(0, Vec::len), 2);

    let closed = app
        .patch(&path, Some(&fx.member.access), json!({"status": "closed"}))
        .await;
    closed.assert_status(StatusCode::OK);
    assert!(closed.json()["closed_at"].is_string());
    respond(&app, &fx.rpd_staff, &issue, "One more thing")
        .await
        .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_responded_issue_is_reopened_with_a_reason_and_keeps_its_due_date() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let raised = raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await;
    let issue = id(&raised);
    let path = format!("/api/v1/issues/{issue}");
    respond(&app, &fx.rpd_staff, &issue, "Answer").await;

    let no_reason = app
        .patch(&path, Some(&fx.secretary.access), json!({"status": "open"}))
        .await;
    let reopened = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"status": "open", "reason": "The answer does not address Fridays"}),
        )
        .await;

    assert_eq!(no_reason.invalid_fields(), ["reason"]);
    reopened.assert_status(StatusCode::OK);
    assert_eq!(reopened.json()["status"], "open");
    assert_eq!(
        reopened.json()["response_due_on"],
        raised["response_due_on"]
    );
    respond(&app, &fx.rpd_staff, &issue, "A better answer")
        .await
        .assert_status(StatusCode::CREATED);
    let again = app.get(&path, Some(&fx.member.access)).await.json();
    assert_eq!(again["status"], "responded");
}

#[tokio::test]
async fn moves_outside_the_state_machine_are_conflicts() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);
    let path = format!("/api/v1/issues/{issue}");

    app.patch(
        &path,
        Some(&fx.secretary.access),
        json!({"status": "closed"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    app.patch(
        &path,
        Some(&fx.secretary.access),
        json!({"status": "open", "reason": "r"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    app.patch(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"status": "acknowledged"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.patch(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"status": "acknowledged"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    assert_eq!(
        app.patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "responded"})
        )
        .await
        .invalid_fields(),
        ["status"]
    );
}

#[tokio::test]
async fn only_the_raiser_and_officers_settle_and_only_rpd_staff_answer() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.secretary, &fx, json!({"title": "T", "body": "B"})).await);
    let path = format!("/api/v1/issues/{issue}");

    respond(
        &app,
        &fx.secretary,
        &issue,
        "Officers do not answer for the RPD",
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    respond(&app, &fx.member, &issue, "Nor members")
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    respond(
        &app,
        &fx.other_rpd_staff,
        &issue,
        "Nor another region's RPD staff",
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
    respond(&app, &fx.rpd_staff, &issue, "Answer")
        .await
        .assert_status(StatusCode::CREATED);
    app.patch(&path, Some(&fx.member.access), json!({"status": "closed"}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.patch(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"status": "closed"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    app.patch(&path, Some(&fx.chair.access), json!({"status": "closed"}))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn unanswered_issues_past_their_due_date_are_overdue_oldest_first() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let first = id(&raise(
        &app,
        &fx.member,
        &fx,
        json!({"title": "First", "body": "B", "priority": "urgent"}),
    )
    .await);
    app.state.clock.advance(Duration::days(10));
    let second = id(&raise(
        &app,
        &fx.member,
        &fx,
        json!({"title": "Second", "body": "B"}),
    )
    .await);
    let answered = id(&raise(
        &app,
        &fx.member,
        &fx,
        json!({"title": "Answered", "body": "B"}),
    )
    .await);
    respond(&app, &fx.rpd_staff, &answered, "Done").await;
    app.state.clock.advance(Duration::days(30));
    let path = format!("/api/v1/forums/{}/issues", fx.forum);
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["title"].as_str().map(String::from))
            .collect()
    };

    let overdue = app
        .get(&format!("{path}?overdue=true"), Some(&fx.rpd_staff.access))
        .await
        .json();
    let urgent = app
        .get(
            &format!("{path}?priority=urgent"),
            Some(&fx.rpd_staff.access),
        )
        .await
        .json();
    let responded = app
        .get(
            &format!("{path}?status=responded"),
            Some(&fx.rpd_staff.access),
        )
        .await
        .json();

    assert_eq!(titles(&overdue), ["First", "Second"]);
    assert_eq!(overdue["items"][0]["overdue"], true);
    assert_eq!(titles(&urgent), ["First"]);
    assert_eq!(titles(&responded), ["Answered"]);
    let _ = (first, second);
}

#[tokio::test]
async fn issues_answer_csv_and_filter_by_commitment_and_organisation() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let commitment = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    raise(
        &app,
        &fx.member,
        &fx,
        json!({"title": "Linked", "body": "B", "commitment_ids": [commitment]}),
    )
    .await;
    raise(
        &app,
        &fx.secretary,
        &fx,
        json!({"title": "Unlinked", "body": "B"}),
    )
    .await;
    let path = format!("/api/v1/forums/{}/issues", fx.forum);

    let linked = app
        .get(
            &format!("{path}?commitment_id={commitment}"),
            Some(&fx.observer.access),
        )
        .await
        .json();
    let by_org = app
        .get(
            &format!(
                "{path}?raised_by_organisation_id={}",
                fx.member_organisation
            ),
            Some(&fx.observer.access),
        )
        .await
        .json();
    let csv = app.get_csv(&path, Some(&fx.secretary.access)).await;

    assert_eq!(linked["items"].as_array().map_or(0, Vec::len), 1);
    assert_eq!(by_org["items"][0]["title"], "Linked");
    csv.assert_status(StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_ref());
    let headers = reader.headers().cloned().unwrap_or_default();
    let at = headers
        .iter()
        .position(|h| h == "title")
        .unwrap_or(usize::MAX);
    let mut titles: Vec<String> = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.get(at).unwrap_or_default().to_string())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Linked", "Unlinked"]);
}
