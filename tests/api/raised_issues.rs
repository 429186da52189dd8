use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::id;
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

#[tokio::test]
async fn member_of_other_region_cannot_read_this_forums_issues() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);

    let one = app
        .get(
            &format!("/api/v1/issues/{issue}"),
            Some(&fx.other_member.access),
        )
        .await;
    let thread = app
        .get(
            &format!("/api/v1/issues/{issue}/responses"),
            Some(&fx.other_member.access),
        )
        .await;
    let list = app
        .get(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.other_member.access),
        )
        .await;

    one.assert_problem(StatusCode::NOT_FOUND);
    thread.assert_problem(StatusCode::NOT_FOUND);
    list.assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_issue_title_is_one_line_and_its_body_may_have_several() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/issues", fx.forum);

    let title = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Friday\nreleases", "body": "B"}),
        )
        .await;
    let body = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Friday releases", "body": "Bell\u{7}"}),
        )
        .await;
    let markdown = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Friday releases", "body": "# Fridays\r\n\n- late\treleases"}),
        )
        .await;

    assert_eq!(title.invalid_fields(), ["title"]);
    assert_eq!(body.invalid_fields(), ["body"]);
    markdown.assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn an_issue_carries_an_etag_that_every_change_raises() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "T", "body": "B"}),
        )
        .await;
    raised.assert_status(StatusCode::CREATED);
    let issue = id(&raised.json());
    let path = format!("/api/v1/issues/{issue}");
    let etag = async || {
        app.get(&path, Some(&fx.member.access))
            .await
            .header("etag")
            .map(String::from)
    };

    let first = etag().await;
    let acknowledged = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "acknowledged"}),
        )
        .await;
    let after_ack = etag().await;
    respond(&app, &fx.rpd_staff, &issue, "Answer").await;
    let after_answer = etag().await;
    respond(&app, &fx.rpd_staff, &issue, "And more").await;
    let after_more = etag().await;

    assert_eq!(raised.header("etag"), Some("\"1\""));
    assert_eq!(
        raised.header("location"),
        Some(format!("/api/v1/issues/{issue}").as_str())
    );
    assert_eq!(first.as_deref(), Some("\"1\""));
    assert_eq!(acknowledged.header("etag"), Some("\"2\""));
    assert_eq!(after_ack.as_deref(), Some("\"2\""));
    assert_eq!(after_answer.as_deref(), Some("\"3\""));
    assert_eq!(after_more.as_deref(), Some("\"4\""));
}

#[tokio::test]
async fn a_stale_if_match_on_an_issue_move_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);
    let path = format!("/api/v1/issues/{issue}");
    respond(&app, &fx.rpd_staff, &issue, "Answer").await;

    let stale = app
        .request_with_headers(
            axum::http::Method::PATCH,
            &path,
            Some(&fx.member.access),
            &[("if-match", "\"1\"")],
            Some(json!({"status": "closed"})),
        )
        .await;
    let current = app
        .request_with_headers(
            axum::http::Method::PATCH,
            &path,
            Some(&fx.member.access),
            &[("if-match", "\"2\"")],
            Some(json!({"status": "closed"})),
        )
        .await;

    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    current.assert_status(StatusCode::OK);
    assert_eq!(current.header("etag"), Some("\"3\""));
}

#[tokio::test]
async fn a_refused_move_names_the_state_the_issue_is_in() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);

    let refused = app
        .patch(
            &format!("/api/v1/issues/{issue}"),
            Some(&fx.secretary.access),
            json!({"status": "closed"}),
        )
        .await;

    let problem = refused.assert_problem(StatusCode::CONFLICT);
    assert_eq!(
        problem["detail"],
        "this issue is open; it cannot become closed"
    );
}

#[tokio::test]
async fn the_issues_csv_shows_formula_like_titles_as_text() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    for title in ["=HYPERLINK(\"http://x.example\",\"x\")", "-1+1", "Plain"] {
        raise(&app, &fx.member, &fx, json!({"title": title, "body": "B"})).await;
    }

    let csv = app
        .get_csv(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;

    csv.assert_status(StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.as_ref());
    let at = reader
        .headers()
        .expect("a header row")
        .iter()
        .position(|h| h == "title")
        .expect("a title column");
    let mut titles: Vec<String> = reader
        .records()
        .map(|r| {
            r.expect("a readable row")
                .get(at)
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        ["'-1+1", "'=HYPERLINK(\"http://x.example\",\"x\")", "Plain"]
    );
}

/// Ten of the RPD's team answer a new issue at the same moment: every answer
/// is kept in the thread, exactly one moves the issue to `responded` and
/// fixes its time to first response, and each raises the version once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_first_responses_all_are_kept_and_one_moves_the_issue() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);
    let served = app.serve().await;

    let statuses = served
        .race(10, |i, client, base| {
            client
                .post(format!("{base}/api/v1/issues/{issue}/responses"))
                .bearer_auth(&fx.rpd_staff.access)
                .json(&json!({"body": format!("Answer {i}")}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::CREATED),
        10,
        "{statuses:?}"
    );
    let detail = app
        .get(&format!("/api/v1/issues/{issue}"), Some(&fx.member.access))
        .await;
    let body = detail.json();
    assert_eq!(body["responses"].as_array().map_or(0, Vec::len), 10);
    assert_eq!(body["status"], "responded");
    assert_eq!(body["days_to_first_response"], 0);
    assert_eq!(detail.header("etag"), Some("\"11\""));
    let issue_id: Uuid = issue.parse().expect("issue id");
    let moves = entity::issue_status_change::Entity::find()
        .filter(entity::issue_status_change::Column::IssueId.eq(issue_id))
        .filter(entity::issue_status_change::Column::ToStatus.eq(entity::IssueStatus::Responded))
        .count(app.db())
        .await
        .expect("count status changes");
    assert_eq!(moves, 1);
}

/// Ten officers close a responded issue at the same moment: one closes it,
/// the others are told it is closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_closes_exactly_one_closes_the_issue() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);
    respond(&app, &fx.rpd_staff, &issue, "Answer").await;
    let served = app.serve().await;

    let statuses = served
        .race(10, |_, client, base| {
            client
                .patch(format!("{base}/api/v1/issues/{issue}"))
                .bearer_auth(&fx.secretary.access)
                .json(&json!({"status": "closed"}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CONFLICT),
        9,
        "{statuses:?}"
    );
    let now = app
        .get(&format!("/api/v1/issues/{issue}"), Some(&fx.member.access))
        .await;
    assert_eq!(now.json()["status"], "closed");
    assert_eq!(now.header("etag"), Some("\"3\""));
}

/// Answers racing a close: each answer is either kept (and raised the
/// version) or refused; none lands on a closed issue unseen, and the version
/// counts every change that was made.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn answers_racing_a_close_are_kept_or_refused_and_all_counted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = id(&raise(&app, &fx.member, &fx, json!({"title": "T", "body": "B"})).await);
    respond(&app, &fx.rpd_staff, &issue, "Answer").await;
    let served = app.serve().await;

    let statuses = served
        .race(10, |i, client, base| {
            if i == 0 {
                client
                    .patch(format!("{base}/api/v1/issues/{issue}"))
                    .bearer_auth(&fx.member.access)
                    .json(&json!({"status": "closed"}))
            } else {
                client
                    .post(format!("{base}/api/v1/issues/{issue}/responses"))
                    .bearer_auth(&fx.rpd_staff.access)
                    .json(&json!({"body": format!("Late answer {i}")}))
            }
        })
        .await;

    let (close, answers) = statuses.split_first().expect("ten statuses");
    assert!(
        *close == StatusCode::OK || *close == StatusCode::CONFLICT,
        "{statuses:?}"
    );
    assert!(
        answers
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let kept = crate::support::count(answers, StatusCode::CREATED);
    let now = app
        .get(&format!("/api/v1/issues/{issue}"), Some(&fx.member.access))
        .await;
    let body = now.json();
    assert_eq!(body["responses"].as_array().map_or(0, Vec::len), 1 + kept);
    let closed = usize::from(*close == StatusCode::OK);
    assert_eq!(
        body["status"],
        if closed == 1 { "closed" } else { "responded" }
    );
    assert_eq!(
        now.header("etag"),
        Some(format!("\"{}\"", 2 + kept + closed).as_str())
    );
    if closed == 0 {
        // The close lost only to answers, which it saw raise the version.
        assert!(kept > 0, "{statuses:?}");
    }
}
