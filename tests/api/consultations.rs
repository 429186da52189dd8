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
use crate::support::{Caller, ForumFixture, TestApp, TestResponse, TestUser, count};

use Caller::*;

fn today(app: &TestApp) -> NaiveDate {
    convene::consultations::london_today(app.state.clock.now())
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("an id").to_string()
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

/// A second person of `organisation`, a member of the forum.
async fn colleague(app: &TestApp, fx: &ForumFixture, organisation: Uuid) -> TestUser {
    let person = app.user("Colleague").await;
    entity::user::ActiveModel {
        id: Set(person.id),
        organisation_id: Set(Some(organisation)),
        ..Default::default()
    }
    .update(app.db())
    .await
    .expect("the colleague joins the organisation");
    app.put_role(&fx.admin, fx.forum, person.id, "member")
        .await
        .assert_status(StatusCode::CREATED);
    person
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
    let colleague = colleague(&app, &fx, fx.member_organisation).await;
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

#[tokio::test]
async fn each_role_reaches_consultations_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = register(&app, &fx).await;
    let cid = id(&consultation);
    let forum = format!("/api/v1/forums/{}/consultations", fx.forum);

    // A forum's list of its own records is its participants' (the table's
    // row); the public reads the submitted ones as the public record.
    check_row(
        "GET /forums/{id}/consultations",
        participants_via_forum(OK),
        async |caller| app.get(&forum, fx.token(caller)).await,
    )
    .await;
    check_row(
        "GET /forums/{id}/consultation-responses",
        |_| OK,
        async |caller| {
            app.get(
                &format!("/api/v1/forums/{}/consultation-responses", fx.forum),
                fx.token(caller),
            )
            .await
        },
    )
    .await;
    check_row(
        "POST /forums/{id}/consultations",
        |caller| match caller {
            Public => UNAUTHORISED,
            Secretary | Chair | RpdStaff | Admin => CREATED,
            _ => FORBIDDEN,
        },
        async |caller| app.post(&forum, fx.token(caller), registration(&app)).await,
    )
    .await;
    let by_id = |ok| {
        move |caller| match caller {
            Public | SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            _ => ok,
        }
    };
    for path in [
        format!("/api/v1/consultations/{cid}"),
        format!("/api/v1/consultations/{cid}/response"),
    ] {
        check_row(&format!("GET {path}"), by_id(OK), async |caller| {
            app.get(&path, fx.token(caller)).await
        })
        .await;
    }
    check_row(
        "GET /consultations/{id}/contributions",
        participants_by_id(OK),
        async |caller| {
            app.get(
                &format!("/api/v1/consultations/{cid}/contributions"),
                fx.token(caller),
            )
            .await
        },
    )
    .await;
    // Each organisation contributes once: the second caller of one meets
    // 409, so each contributes to a question of a consultation of its own.
    check_row(
        "POST /consultations/{id}/contributions",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            // The fixture's officers and admin belong to no member organisation.
            Member => CREATED,
            _ => FORBIDDEN,
        },
        async |caller| {
            let fresh = register(&app, &fx).await;
            contribute_as(&app, fx.token(caller), &fresh, &question(&fresh, 0)).await
        },
    )
    .await;
    check_row(
        "PUT /consultations/{id}/questions/{question_id}/answer",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Secretary | Chair | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let fresh = register(&app, &fx).await;
            app.request(
                Method::PUT,
                &format!(
                    "/api/v1/consultations/{}/questions/{}/answer",
                    id(&fresh),
                    question(&fresh, 0)
                ),
                fx.token(caller),
                Some(json!({"body": "Agreed."})),
            )
            .await
        },
    )
    .await;
    let made = contribute(
        &app,
        &fx.member,
        &consultation,
        &question(&consultation, 0),
        "Yes.",
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let contribution = format!("/api/v1/contributions/{}", id(&made.json()));
    check_row(
        "GET /contributions/{id}",
        participants_by_id(OK),
        async |caller| app.get(&contribution, fx.token(caller)).await,
    )
    .await;
    let revisions = format!(
        "/api/v1/consultations/{cid}/questions/{}/answer/revisions",
        question(&consultation, 0)
    );
    check_row(
        "GET /consultations/{id}/questions/{question_id}/answer/revisions",
        participants_by_id(OK),
        async |caller| app.get(&revisions, fx.token(caller)).await,
    )
    .await;
    // Only the organisation that wrote it edits a contribution.
    check_row(
        "PATCH /contributions/{id}",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Member | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let tag = app
                .get(&contribution, Some(&fx.member.access))
                .await
                .header("etag")
                .unwrap_or_default()
                .to_string();
            app.request_with_headers(
                Method::PATCH,
                &contribution,
                fx.token(caller),
                &[("if-match", &tag)],
                Some(json!({"body": format!("Yes, says {caller:?}.")})),
            )
            .await
        },
    )
    .await;
    check_row(
        "PATCH /consultations/{id} (details)",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Secretary | Chair | RpdStaff | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            app.patch(
                &format!("/api/v1/consultations/{cid}"),
                fx.token(caller),
                json!({"description": format!("Edited by {caller:?}")}),
            )
            .await
        },
    )
    .await;
    check_row(
        "PATCH /consultations/{id} (status)",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Secretary | Chair | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let fresh = register(&app, &fx).await;
            app.patch(
                &format!("/api/v1/consultations/{}", id(&fresh)),
                fx.token(caller),
                json!({"status": "drafting"}),
            )
            .await
        },
    )
    .await;
}

async fn contribute_as(
    app: &TestApp,
    token: Option<&str>,
    consultation: &Value,
    question: &str,
) -> TestResponse {
    app.post(
        &format!("/api/v1/consultations/{}/contributions", id(consultation)),
        token,
        json!({"question_id": question, "body": "Our view."}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_of_one_organisation_contributing_at_once_make_one_contribution() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = colleague(&app, &fx, fx.member_organisation).await;
    let served = app.serve().await;
    for _ in 0..5 {
        let consultation = register(&app, &fx).await;
        let path = format!("/api/v1/consultations/{}/contributions", id(&consultation));
        let question = question(&consultation, 0);
        let tokens = [fx.member.access.clone(), colleague.access.clone()];
        let statuses = served
            .race(2, |i, client, base| {
                client
                    .post(format!("{base}{path}"))
                    .bearer_auth(&tokens[i])
                    .json(&json!({"question_id": question, "body": format!("Our view, by {i}.")}))
            })
            .await;
        assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
        assert_eq!(count(&statuses, StatusCode::CONFLICT), 1, "{statuses:?}");
    }
}

/// A consultation of the forum as it stands after the fact.
async fn past_consultation(
    app: &TestApp,
    fx: &ForumFixture,
    status: entity::ConsultationStatus,
    closes_on: NaiveDate,
    submitted_on: Option<NaiveDate>,
) -> Uuid {
    let now = app.state.clock.now();
    entity::consultation::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(fx.forum),
        title: Set("Past consultation".into()),
        consulting_body: Set("Ministry of Justice".into()),
        source_url: Set(None),
        description: Set(String::new()),
        closes_on: Set(closes_on),
        internal_deadline: Set(closes_on - Duration::days(7)),
        status: Set(status),
        submitted_on: Set(submitted_on),
        submission_reference: Set(submitted_on.map(|_| "sent by email".into())),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(app.db())
    .await
    .expect("a consultation")
    .id
}

#[tokio::test]
async fn the_report_shows_consultations_answered_in_time_and_the_members_taking_part() {
    use entity::ConsultationStatus::{Drafting, Submitted, Withdrawn};
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, voter, _) = app.forum_member(&fx.admin, fx.forum, "Voter").await;
    let (_, long_ago, _) = app.forum_member(&fx.admin, fx.forum, "Long Ago").await;
    app.forum_member(&fx.admin, fx.forum, "Quiet").await;
    let today = today(&app);
    past_consultation(
        &app,
        &fx,
        Submitted,
        today - Duration::days(40),
        Some(today - Duration::days(41)),
    )
    .await;
    past_consultation(
        &app,
        &fx,
        Submitted,
        today - Duration::days(40),
        Some(today - Duration::days(35)),
    )
    .await;
    past_consultation(&app, &fx, Drafting, today - Duration::days(2), None).await;
    past_consultation(&app, &fx, Withdrawn, today - Duration::days(2), None).await;

    // The member contributes now; the voter votes now; the other
    // contributed thirteen months ago, which no longer counts.
    let consultation = register(&app, &fx).await;
    contribute(
        &app,
        &fx.member,
        &consultation,
        &question(&consultation, 0),
        "Yes.",
    )
    .await
    .assert_status(StatusCode::CREATED);
    poll_on(
        &app,
        &fx,
        &id(&consultation),
        Duration::hours(1),
        &[(voter, 0)],
    )
    .await;
    let now = app.state.clock.now();
    entity::consultation_contribution::ActiveModel {
        id: Set(Uuid::now_v7()),
        consultation_id: Set(id(&consultation).parse().expect("an id")),
        question_id: Set(question(&consultation, 1).parse().expect("an id")),
        organisation_id: Set(long_ago),
        body: Set("Back then.".into()),
        version: Set(1),
        written_by: Set(None),
        created_at: Set(now - Duration::days(400)),
        updated_at: Set(now - Duration::days(400)),
    }
    .insert(app.db())
    .await
    .expect("an old contribution");

    let members = app
        .get(
            &format!(
                "/api/v1/forums/{}/memberships?status=active&limit=200",
                fx.forum
            ),
            Some(&fx.secretary.access),
        )
        .await
        .json()["items"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    assert_eq!(
        report["voice"],
        json!({
            "consultations_registered": 4,
            "consultations_responded": 2,
            "consultations_responded_before_closing": 1,
            "member_organisations": members,
            "organisations_taking_part": 2,
            "participation_share": 2.0 / members as f64,
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_writing_the_first_answer_at_once_make_one_answer() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let served = app.serve().await;
    for _ in 0..5 {
        let consultation = register(&app, &fx).await;
        let path = format!(
            "/api/v1/consultations/{}/questions/{}/answer",
            id(&consultation),
            question(&consultation, 0)
        );
        let tokens = [fx.secretary.access.clone(), fx.chair.access.clone()];
        let statuses = served
            .race(2, |i, client, base| {
                client
                    .put(format!("{base}{path}"))
                    .bearer_auth(&tokens[i])
                    .json(&json!({"body": format!("The forum agrees, by {i}.")}))
            })
            .await;
        // The loser met the unique key (409), or, come second, found the
        // answer and was asked for its ETag (428): never a second answer.
        assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
        assert_eq!(
            count(&statuses, StatusCode::CONFLICT)
                + count(&statuses, StatusCode::PRECONDITION_REQUIRED),
            1,
            "{statuses:?}"
        );
        let revisions = app
            .get(&format!("{path}/revisions"), Some(&fx.member.access))
            .await
            .json();
        assert_eq!(revisions.as_array().map(Vec::len), Some(1));
    }
}
