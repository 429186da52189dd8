//! Consultations: registered by officers or the region's RPD staff, answered
//! by member organisations until the forum's deadline, composed into one
//! joint response, agreed by the members' poll, submitted — then public.

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use entity::{PollKind, poll, poll_option, poll_vote, poll_vote_choice};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::matrix::{
    CREATED, FORBIDDEN, OK, UNAUTHORISED, check_row, participants_by_id, participants_via_forum,
};
use crate::support::id;
use crate::support::{Caller, ForumFixture, TestApp, TestResponse, TestUser, count};

use Caller::*;

mod voice;

fn today(app: &TestApp) -> NaiveDate {
    convene::consultations::london_today(app.state.clock.now())
}

fn registration(app: &TestApp) -> Value {
    let today = today(app);
    json!({
        "title": "Strengthening probation, building confidence",
        "consulting_body": "Ministry of Justice",
        "source_url": "https://www.gov.uk/government/consultations/strengthening-probation-building-confidence",
        "closes_on": today + Duration::days(30),
        "internal_deadline": today + Duration::days(14),
        "questions": [
            {"text": "Do you agree with the proposed model for the unification of probation?",
             "guidance": "Think of through-the-gate services."},
            {"text": "How should the voluntary sector be commissioned?", "word_limit": 10},
        ],
    })
}

async fn register(app: &TestApp, fx: &ForumFixture) -> Value {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            registration(app),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}

fn question(consultation: &Value, n: usize) -> String {
    consultation["questions"][n]["id"]
        .as_str()
        .expect("a question")
        .to_string()
}

async fn contribute(
    app: &TestApp,
    who: &TestUser,
    consultation: &Value,
    question: &str,
    body: &str,
) -> TestResponse {
    app.post(
        &format!("/api/v1/consultations/{}/contributions", id(consultation)),
        Some(&who.access),
        json!({"question_id": question, "body": body}),
    )
    .await
}

async fn with_if_match(
    app: &TestApp,
    method: Method,
    path: &str,
    who: &TestUser,
    tag: Option<&str>,
    body: Value,
) -> TestResponse {
    let headers: Vec<(&str, &str)> = tag.map(|t| ("if-match", t)).into_iter().collect();
    app.request_with_headers(method, path, Some(&who.access), &headers, Some(body))
        .await
}

async fn move_to(
    app: &TestApp,
    fx: &ForumFixture,
    consultation: &str,
    body: Value,
) -> TestResponse {
    app.patch(
        &format!("/api/v1/consultations/{consultation}"),
        Some(&fx.secretary.access),
        body,
    )
    .await
}

#[tokio::test]
async fn member_organisations_contribute_once_per_question_until_the_forum_s_deadline() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = register(&app, &fx).await;
    assert_eq!(consultation["status"], "open");
    assert_eq!(consultation["contributions_open"], true);
    let (q1, q2) = (question(&consultation, 0), question(&consultation, 1));

    let made = contribute(&app, &fx.member, &consultation, &q1, "Yes, with local say.").await;
    made.assert_status(StatusCode::CREATED);
    assert_eq!(
        made.json()["organisation_id"],
        fx.member_organisation.to_string()
    );
    assert_eq!(made.json()["words"], 4);
    // One per organisation per question, whoever of it writes.
    let again = contribute(&app, &fx.member, &consultation, &q1, "And again.").await;
    again.assert_problem(StatusCode::CONFLICT);
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    contribute(&app, &colleague, &consultation, &q1, "Ours too.")
        .await
        .assert_problem(StatusCode::CONFLICT);
    // The question's word limit.
    let long = contribute(
        &app,
        &fx.member,
        &consultation,
        &q2,
        "Grants, not contracts, for small specialist organisations led by and for the people they serve.",
    )
    .await;
    assert_eq!(long.invalid_fields(), ["body"]);
    // Only the forum's active member organisations speak; observers and
    // RPD staff do not contribute.
    for who in [&fx.observer, &fx.rpd_staff] {
        contribute(&app, who, &consultation, &q2, "Our view.")
            .await
            .assert_problem(StatusCode::FORBIDDEN);
    }
    let elsewhere = contribute(
        &app,
        &fx.member,
        &consultation,
        &Uuid::now_v7().to_string(),
        "x",
    )
    .await;
    assert_eq!(elsewhere.invalid_fields(), ["question_id"]);

    // Edits need the version read: any of the organisation's people.
    let path = format!("/api/v1/contributions/{}", id(&made.json()));
    let edit = json!({"body": "Yes, with a local say in commissioning."});
    with_if_match(&app, Method::PATCH, &path, &colleague, None, edit.clone())
        .await
        .assert_problem(StatusCode::PRECONDITION_REQUIRED);
    with_if_match(
        &app,
        Method::PATCH,
        &path,
        &colleague,
        Some("\"9\""),
        edit.clone(),
    )
    .await
    .assert_problem(StatusCode::PRECONDITION_FAILED);
    let edited = with_if_match(
        &app,
        Method::PATCH,
        &path,
        &colleague,
        Some("\"1\""),
        edit.clone(),
    )
    .await;
    edited.assert_status(StatusCode::OK);
    assert_eq!(edited.header("etag"), Some("\"2\""));
    with_if_match(
        &app,
        Method::PATCH,
        &path,
        &fx.secretary,
        Some("\"2\""),
        edit.clone(),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);

    // Participants read every contribution.
    let listed = app
        .get(
            &format!("/api/v1/consultations/{}/contributions", id(&consultation)),
            Some(&fx.observer.access),
        )
        .await
        .json();
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed["items"][0]["organisation_name"], "Member's charity");

    // The deadline is the end of its London day.
    app.state.clock.advance(Duration::days(15));
    contribute(&app, &fx.member, &consultation, &q2, "Late.")
        .await
        .assert_problem(StatusCode::CONFLICT);
    with_if_match(&app, Method::PATCH, &path, &fx.member, Some("\"2\""), edit)
        .await
        .assert_problem(StatusCode::CONFLICT);
    let read = app
        .get(
            &format!("/api/v1/consultations/{}", id(&consultation)),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(read["contributions_open"], false);
}

#[tokio::test]
async fn registering_checks_dates_questions_and_who_registers() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/consultations", fx.forum);
    let today = today(&app);
    let mut bad = registration(&app);
    bad["closes_on"] = json!(today - Duration::days(1));
    bad["internal_deadline"] = json!(today + Duration::days(3));
    bad["source_url"] = json!("javascript:alert(1)");
    bad["questions"] = json!([{"text": "", "word_limit": 0}]);
    let refused = app.post(&path, Some(&fx.secretary.access), bad).await;
    assert_eq!(
        refused.invalid_fields(),
        [
            "source_url",
            "closes_on",
            "internal_deadline",
            "questions[0].text",
            "questions[0].word_limit"
        ]
    );
    let mut none = registration(&app);
    none["questions"] = json!([]);
    assert_eq!(
        app.post(&path, Some(&fx.secretary.access), none)
            .await
            .invalid_fields(),
        ["questions"]
    );
    app.post(&path, Some(&fx.rpd_staff.access), registration(&app))
        .await
        .assert_status(StatusCode::CREATED);
}

/// A poll of the members on the response, as the polls API makes one:
/// agree, disagree, abstain; `votes` gives each organisation's choice
/// (0 agree, 1 disagree, 2 abstain).
async fn poll_on(
    app: &TestApp,
    fx: &ForumFixture,
    consultation: &str,
    closes_in: Duration,
    votes: &[(Uuid, usize)],
) {
    let now = app.state.clock.now();
    let made = poll::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(fx.forum),
        question: Set("Do you agree the forum's response?".into()),
        description: Set(String::new()),
        kind: Set(PollKind::AgreeDisagreeAbstain),
        max_choices: Set(None),
        opens_at: Set(now),
        closes_at: Set(now + closes_in),
        results_before_close: Set(false),
        open_voting: Set(false),
        agenda_item_id: Set(None),
        consultation_id: Set(Some(consultation.parse().expect("an id"))),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(fx.secretary.id)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(app.db())
    .await
    .expect("a poll");
    let mut options = Vec::new();
    for (position, label) in ["Agree", "Disagree", "Abstain"].into_iter().enumerate() {
        let option = poll_option::ActiveModel {
            id: Set(Uuid::now_v7()),
            poll_id: Set(made.id),
            position: Set(i32::try_from(position).unwrap_or(0) + 1),
            label: Set(label.into()),
        }
        .insert(app.db())
        .await
        .expect("an option");
        options.push(option.id);
    }
    for (organisation, choice) in votes {
        poll_vote::Entity::insert(poll_vote::ActiveModel {
            poll_id: Set(made.id),
            organisation_id: Set(*organisation),
            cast_by: Set(None),
            cast_at: Set(now),
        })
        .exec(app.db())
        .await
        .expect("a vote");
        poll_vote_choice::Entity::insert(poll_vote_choice::ActiveModel {
            poll_id: Set(made.id),
            organisation_id: Set(*organisation),
            option_id: Set(options[*choice]),
        })
        .exec(app.db())
        .await
        .expect("a choice");
    }
}

#[tokio::test]
async fn the_joint_response_is_composed_agreed_by_poll_submitted_and_then_public() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, second_organisation, _) =
        app.forum_member(&fx.admin, fx.forum, "Second Chance").await;
    let consultation = register(&app, &fx).await;
    let cid = id(&consultation);
    let (q1, q2) = (question(&consultation, 0), question(&consultation, 1));
    let first = contribute(&app, &fx.member, &consultation, &q1, "Yes, locally.")
        .await
        .json();
    let other = contribute(&app, &second, &consultation, &q1, "Yes, with grants.")
        .await
        .json();
    let on_q2 = contribute(&app, &second, &consultation, &q2, "Grants.")
        .await
        .json();

    let answer_path = |q: &str| format!("/api/v1/consultations/{cid}/questions/{q}/answer");
    let answer =
        json!({"body": "The forum agrees, with a local say.", "cites": [id(&first), id(&other)]});
    // Only officers compose it, citing contributions to that question.
    with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q1),
        &fx.member,
        None,
        answer.clone(),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    let wrong = json!({"body": "…", "cites": [id(&on_q2)]});
    assert_eq!(
        with_if_match(
            &app,
            Method::PUT,
            &answer_path(&q1),
            &fx.secretary,
            None,
            wrong
        )
        .await
        .invalid_fields(),
        ["cites"]
    );
    let written = with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q1),
        &fx.secretary,
        None,
        answer.clone(),
    )
    .await;
    written.assert_status(StatusCode::OK);
    assert_eq!(written.json()["cites"].as_array().map(Vec::len), Some(2));
    with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q1),
        &fx.chair,
        None,
        answer.clone(),
    )
    .await
    .assert_problem(StatusCode::PRECONDITION_REQUIRED);
    let revised = json!({"body": "The forum agrees, with a local say in commissioning.", "cites": [id(&first)]});
    with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q1),
        &fx.chair,
        Some("\"1\""),
        revised,
    )
    .await
    .assert_status(StatusCode::OK);
    let revisions = app
        .get(
            &format!("{}/revisions", answer_path(&q1)),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(revisions.as_array().map(Vec::len), Some(2));
    assert_eq!(revisions[0]["cites"].as_array().map(Vec::len), Some(2));

    // Contributions close while the officers draft.
    move_to(&app, &fx, &cid, json!({"status": "drafting"}))
        .await
        .assert_status(StatusCode::OK);
    contribute(&app, &fx.member, &consultation, &q2, "Late thought.")
        .await
        .assert_problem(StatusCode::CONFLICT);
    // Agreement needs every question answered and the members' poll carried.
    let agree = json!({"status": "agreed"});
    let unanswered = move_to(&app, &fx, &cid, agree.clone()).await;
    assert!(
        unanswered.assert_problem(StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("1 of the 2 questions"),
    );
    with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q2),
        &fx.secretary,
        None,
        json!({"body": "Grants for small specialist organisations.", "cites": [id(&on_q2)]}),
    )
    .await
    .assert_status(StatusCode::OK);
    move_to(&app, &fx, &cid, agree.clone())
        .await
        .assert_problem(StatusCode::CONFLICT);

    // A poll that did not carry.
    poll_on(
        &app,
        &fx,
        &cid,
        Duration::hours(1),
        &[(fx.member_organisation, 1)],
    )
    .await;
    with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q2),
        &fx.secretary,
        Some("\"1\""),
        json!({"body": "Changed while polled."}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    move_to(&app, &fx, &cid, agree.clone())
        .await
        .assert_problem(StatusCode::CONFLICT);
    app.state.clock.advance(Duration::hours(2));
    let lost = move_to(&app, &fx, &cid, agree.clone()).await;
    assert!(
        lost.assert_problem(StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("0 agreed, 1 disagreed"),
    );
    // One that did.
    poll_on(
        &app,
        &fx,
        &cid,
        Duration::hours(1),
        &[(fx.member_organisation, 0), (second_organisation, 0)],
    )
    .await;
    app.state.clock.advance(Duration::hours(2));
    move_to(&app, &fx, &cid, agree)
        .await
        .assert_status(StatusCode::OK);
    with_if_match(
        &app,
        Method::PUT,
        &answer_path(&q2),
        &fx.secretary,
        Some("\"1\""),
        json!({"body": "After agreement."}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);

    // Not public until submitted.
    let response = format!("/api/v1/consultations/{cid}/response");
    app.get(&response, None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let on_record = format!("/api/v1/forums/{}/consultation-responses", fx.forum);
    let before = app.get(&on_record, None).await.json();
    assert_eq!(before["items"], json!([]), "not on the record yet");
    let unsent = move_to(&app, &fx, &cid, json!({"status": "submitted"})).await;
    assert_eq!(unsent.invalid_fields(), ["submission_reference"]);
    let sent = move_to(
        &app,
        &fx,
        &cid,
        json!({"status": "submitted", "submission_reference": "https://consult.example.org/responses/417"}),
    )
    .await;
    sent.assert_status(StatusCode::OK);
    assert_eq!(sent.json()["responded_in_time"], true);
    let public = app.get(&response, None).await;
    public.assert_status(StatusCode::OK);
    let listed = app.get(&on_record, None).await.json();
    assert_eq!(listed["items"][0]["id"], json!(cid));
    let public = public.json();
    assert_eq!(
        public["questions"][0]["answer"]["cites"][0]["organisation_name"],
        "Member's charity"
    );
    assert!(public["questions"][0].get("contributions").is_none());
    app.get(&format!("/api/v1/consultations/{cid}/contributions"), None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get(
        &format!("/api/v1/consultations/{cid}/contributions"),
        Some(&fx.signed_in.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);

    let markdown = app
        .request_with_headers(
            Method::GET,
            &response,
            None,
            &[("accept", "text/markdown")],
            None,
        )
        .await;
    assert_eq!(
        markdown.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    let text = String::from_utf8_lossy(&markdown.body).to_string();
    assert!(
        text.starts_with("# Strengthening probation, building confidence\n"),
        "{text}"
    );
    assert!(text.contains("## Question 2\n\nHow should the voluntary sector be commissioned?\n\nGrants for small specialist organisations.\n\n*Drawing on contributions from Second Chance's charity.*"), "{text}");
    let csv = app.get_csv(&response, None).await;
    let mut rows = csv::Reader::from_reader(csv.body.as_ref());
    let headers: Vec<String> = rows
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        ["number", "question", "answer", "contributing_organisations"]
    );
    let records: Vec<Vec<String>> = rows
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0][3], "Member's charity");
    assert_eq!(records[1][3], "Second Chance's charity");
}

#[tokio::test]
async fn a_consultation_moves_only_as_its_state_machine_allows() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = register(&app, &fx).await;
    let cid = id(&consultation);
    move_to(
        &app,
        &fx,
        &cid,
        json!({"status": "submitted", "submission_reference": "ref"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    assert_eq!(
        move_to(&app, &fx, &cid, json!({"status": "withdrawn"}))
            .await
            .invalid_fields(),
        ["withdrawn_reason"]
    );
    assert_eq!(
        move_to(
            &app,
            &fx,
            &cid,
            json!({"status": "drafting", "title": "New"})
        )
        .await
        .invalid_fields(),
        ["title"]
    );
    // RPD staff register and edit, but the forum's response is its officers'.
    app.patch(
        &format!("/api/v1/consultations/{cid}"),
        Some(&fx.rpd_staff.access),
        json!({"status": "drafting"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    let edited = app
        .patch(
            &format!("/api/v1/consultations/{cid}"),
            Some(&fx.rpd_staff.access),
            json!({"title": "Strengthening probation (2021)"}),
        )
        .await;
    edited.assert_status(StatusCode::OK);
    assert_eq!(edited.json()["version"], 2);
    let late = app
        .patch(
            &format!("/api/v1/consultations/{cid}"),
            Some(&fx.secretary.access),
            json!({"internal_deadline": today(&app) + Duration::days(40)}),
        )
        .await;
    assert_eq!(late.invalid_fields(), ["internal_deadline"]);
    let withdrawn = move_to(
        &app,
        &fx,
        &cid,
        json!({"status": "withdrawn", "withdrawn_reason": "The ministry paused it"}),
    )
    .await;
    withdrawn.assert_status(StatusCode::OK);
    app.patch(
        &format!("/api/v1/consultations/{cid}"),
        Some(&fx.secretary.access),
        json!({"title": "Again"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}
