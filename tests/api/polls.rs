//! Polls of the forum's member organisations: one vote each, replaced by a
//! later one, taken only while the poll is open; results when they may be
//! shown; and who may do what.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, SubsecRound, Utc};
use entity::{ConsultationStatus, MembershipStatus, consultation, forum_membership};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::matrix::{
    CREATED, FORBIDDEN, OK, UNAUTHORISED, check_row, officers_and_admin, officers_by_id,
    participants_by_id, participants_via_forum,
};
use crate::support::{Caller, ForumFixture, TestApp, TestResponse, TestUser, count};

const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;

/// A time on the application's clock, `from_now` away, in whole seconds (as
/// both databases keep it exactly).
fn at(app: &TestApp, from_now: Duration) -> DateTime<Utc> {
    (app.state.clock.now() + from_now).trunc_subsecs(0)
}

fn single_choice(app: &TestApp, question: &str, labels: &[&str]) -> Value {
    json!({"question": question, "kind": "single-choice", "options": labels,
           "closes_at": at(app, Duration::days(7))})
}

fn agreement(app: &TestApp, question: &str) -> Value {
    json!({"question": question, "kind": "agree-disagree-abstain",
           "closes_at": at(app, Duration::days(7))})
}

/// `body` with `fields` set (or replaced) in it.
fn with(mut body: Value, fields: Value) -> Value {
    if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
        for (name, value) in fields {
            body.insert(name.clone(), value.clone());
        }
    }
    body
}

async fn put_poll(app: &TestApp, fx: &ForumFixture, body: Value) -> TestResponse {
    app.post(
        &format!("/api/v1/forums/{}/polls", fx.forum),
        Some(&fx.secretary.access),
        body,
    )
    .await
}

async fn new_poll(app: &TestApp, fx: &ForumFixture, body: Value) -> Value {
    let response = put_poll(app, fx, body).await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_default().to_string()
}

fn option_ids(poll: &Value) -> Vec<String> {
    poll["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn labels(poll: &Value) -> Vec<String> {
    poll["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn vote(
    app: &TestApp,
    by: &TestUser,
    poll: &str,
    options: &[impl AsRef<str>],
) -> TestResponse {
    let options: Vec<&str> = options.iter().map(AsRef::as_ref).collect();
    app.request(
        Method::PUT,
        &format!("/api/v1/polls/{poll}/vote"),
        Some(&by.access),
        Some(json!({"option_ids": options})),
    )
    .await
}

async fn results(app: &TestApp, by: &TestUser, poll: &str) -> TestResponse {
    app.get(&format!("/api/v1/polls/{poll}/results"), Some(&by.access))
        .await
}

async fn edit(
    app: &TestApp,
    by: &TestUser,
    poll: &str,
    if_match: Option<&str>,
    body: Value,
) -> TestResponse {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.request_with_headers(
        Method::PATCH,
        &format!("/api/v1/polls/{poll}"),
        Some(&by.access),
        &headers,
        Some(body),
    )
    .await
}

/// A change sent with the ETag just read, as a careful client sends it.
async fn edit_current(app: &TestApp, fx: &ForumFixture, poll: &str, body: Value) -> TestResponse {
    let read = app
        .get(&format!("/api/v1/polls/{poll}"), Some(&fx.secretary.access))
        .await;
    let etag = read.header("etag").unwrap_or_default().to_string();
    edit(app, &fx.secretary, poll, Some(&etag), body).await
}

async fn cancel(app: &TestApp, fx: &ForumFixture, poll: &str) {
    edit_current(
        app,
        fx,
        poll,
        json!({"status": "cancelled", "cancel_reason": "Put by mistake"}),
    )
    .await
    .assert_status(StatusCode::OK);
}

/// An organisation with an active membership of the forum.
async fn active_organisation(app: &TestApp, fx: &ForumFixture, name: &str) -> Uuid {
    let (organisation, membership) = app.applicant(&fx.admin, fx.forum, name).await;
    app.set_membership(&fx.admin, fx.forum, membership, json!({"status": "active"}))
        .await
        .assert_status(StatusCode::OK);
    organisation
}

/// Makes `user` one of the organisation's people.
async fn link(app: &TestApp, fx: &ForumFixture, user: Uuid, organisation: Uuid) {
    app.patch(
        &format!("/api/v1/users/{user}"),
        Some(&fx.admin.access),
        json!({"organisation_id": organisation}),
    )
    .await
    .assert_status(StatusCode::OK);
}

/// A second person of the member's organisation, a member of the forum too.
async fn colleague(app: &TestApp, fx: &ForumFixture) -> TestUser {
    let colleague = app.user("Colleague").await;
    link(app, fx, colleague.id, fx.member_organisation).await;
    app.put_role(&fx.admin, fx.forum, colleague.id, "member")
        .await
        .assert_status(StatusCode::CREATED);
    colleague
}

async fn agenda_item(app: &TestApp, fx: &ForumFixture, meeting: Uuid) -> String {
    let item = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Joint statement on release days"}),
        )
        .await;
    item.assert_status(StatusCode::CREATED);
    id(&item.json())
}

/// A consultation of the forum, made directly (as its own endpoints would).
async fn consultation(app: &TestApp, forum: Uuid, status: ConsultationStatus) -> Uuid {
    let now = app.state.clock.now();
    let today = now.date_naive();
    let id = Uuid::now_v7();
    consultation::ActiveModel {
        id: Set(id),
        forum_id: Set(forum),
        title: Set("Release on Fridays".into()),
        consulting_body: Set("Ministry of Justice".into()),
        source_url: Set(None),
        description: Set(String::new()),
        closes_on: Set(today + Duration::days(60)),
        internal_deadline: Set(today + Duration::days(30)),
        status: Set(status),
        submitted_on: Set(None),
        submission_reference: Set(None),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(app.db())
    .await
    .expect("insert a consultation");
    id
}

fn detail(response: &TestResponse) -> String {
    response.json()["detail"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

// Putting a poll.

#[tokio::test]
async fn an_officer_puts_a_single_choice_poll_that_participants_read() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let created = put_poll(
        &app,
        &fx,
        json!({"question": "  Where should the spring meeting be?  ",
               "description": "We alternate between the counties.",
               "kind": "single-choice", "options": ["Maidstone", " Brighton ", "Guildford"],
               "closes_at": at(&app, Duration::days(7))}),
    )
    .await;

    created.assert_status(StatusCode::CREATED);
    let poll = created.json();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/polls/{}", id(&poll)).as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(poll["question"], "Where should the spring meeting be?");
    assert_eq!(poll["kind"], "single-choice");
    assert_eq!(poll["status"], "open");
    assert_eq!(labels(&poll), ["Maidstone", "Brighton", "Guildford"]);
    assert_eq!(poll["options"][2]["position"], 3);
    assert_eq!(poll["max_choices"], Value::Null);
    assert_eq!(
        (
            poll["results_before_close"].clone(),
            poll["open_voting"].clone()
        ),
        (json!(false), json!(false))
    );
    assert_eq!(poll["created_by"], json!(fx.secretary.id));
    let read = app
        .get(
            &format!("/api/v1/polls/{}", id(&poll)),
            Some(&fx.observer.access),
        )
        .await;
    read.assert_status(StatusCode::OK);
    assert_eq!(read.header("etag"), Some("\"1\""));
    let read = read.json();
    assert_eq!(read["question"], poll["question"]);
    assert_eq!(read["options"], poll["options"]);
    assert_eq!(read["my_vote"], Value::Null);
    assert_eq!(read["results"], Value::Null, "not shown before it closes");
}

#[tokio::test]
async fn an_agree_disagree_abstain_poll_has_its_three_options_in_order() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let poll = new_poll(&app, &fx, agreement(&app, "Do we endorse the statement?")).await;

    assert_eq!(poll["kind"], "agree-disagree-abstain");
    assert_eq!(labels(&poll), ["Agree", "Disagree", "Abstain"]);
    assert_eq!(poll["max_choices"], Value::Null);
}

#[tokio::test]
async fn a_multiple_choice_poll_takes_all_its_options_unless_it_says_fewer() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let body = json!({"question": "Which themes next year?", "kind": "multiple-choice",
                      "options": ["Housing", "Women", "Debt", "Employment"],
                      "closes_at": at(&app, Duration::days(7))});

    let all = new_poll(&app, &fx, body.clone()).await;
    let two = new_poll(&app, &fx, with(body, json!({"max_choices": 2}))).await;

    assert_eq!(all["max_choices"], 4);
    assert_eq!(two["max_choices"], 2);
}

#[tokio::test]
async fn a_poll_may_open_later_and_an_opening_already_past_is_now() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opens = at(&app, Duration::days(2));
    let before = app.state.clock.now();

    let later = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Later"),
            json!({"opens_at": opens, "closes_at": at(&app, Duration::days(9))}),
        ),
    )
    .await;
    let past = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Past"),
            json!({"opens_at": at(&app, -Duration::days(3))}),
        ),
    )
    .await;

    assert_eq!(later["status"], "upcoming");
    assert_eq!(later["opens_at"], json!(opens));
    assert_eq!(past["status"], "open");
    let opened: DateTime<Utc> = serde_json::from_value(past["opens_at"].clone()).expect("a time");
    assert!(opened >= before, "{opened} is when it was put, not before");
}

#[tokio::test]
async fn every_invalid_field_of_a_new_poll_is_named() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let choice = single_choice(&app, "Where?", &["Maidstone", "Brighton"]);
    let multiple = with(choice.clone(), json!({"kind": "multiple-choice"}));
    let many: Vec<String> = (1..=21).map(|n| format!("Option {n}")).collect();
    let welsh_meeting = app
        .post(
            &format!("/api/v1/forums/{}/meetings", fx.other_forum),
            Some(&fx.admin.access),
            json!({"title": "Cardiff", "starts_at": at(&app, Duration::days(3)),
                   "ends_at": at(&app, Duration::days(3) + Duration::hours(2)),
                   "location": "Cardiff"}),
        )
        .await
        .json();
    let welsh_item = app
        .post(
            &format!("/api/v1/meetings/{}/agenda-items", id(&welsh_meeting)),
            Some(&fx.admin.access),
            json!({"title": "Welsh business"}),
        )
        .await
        .json();
    let own_item = agenda_item(&app, &fx, app.meeting(&fx, "Forum", 24).await).await;
    let welsh_consultation = consultation(&app, fx.other_forum, ConsultationStatus::Drafting).await;
    let own_consultation = consultation(&app, fx.forum, ConsultationStatus::Drafting).await;

    let cases = [
        (
            with(choice.clone(), json!({"question": "  "})),
            vec!["question"],
        ),
        (
            with(choice.clone(), json!({"question": "a\nb"})),
            vec!["question"],
        ),
        (
            with(choice.clone(), json!({"description": "a\u{0}b"})),
            vec!["description"],
        ),
        (
            with(choice.clone(), json!({"options": null})),
            vec!["options"],
        ),
        (
            with(choice.clone(), json!({"options": ["Alone"]})),
            vec!["options"],
        ),
        (
            with(choice.clone(), json!({"options": many})),
            vec!["options"],
        ),
        (
            with(choice.clone(), json!({"options": ["Yes", " yes"]})),
            vec!["options[1]"],
        ),
        (
            with(choice.clone(), json!({"options": ["Yes", ""]})),
            vec!["options[1]"],
        ),
        (
            with(
                agreement(&app, "Q"),
                json!({"options": ["Agree", "Disagree"]}),
            ),
            vec!["options"],
        ),
        (
            with(choice.clone(), json!({"max_choices": 1})),
            vec!["max_choices"],
        ),
        (
            with(multiple.clone(), json!({"max_choices": 0})),
            vec!["max_choices"],
        ),
        (
            with(multiple.clone(), json!({"max_choices": 3})),
            vec!["max_choices"],
        ),
        (
            with(
                choice.clone(),
                json!({"closes_at": at(&app, -Duration::hours(1))}),
            ),
            vec!["closes_at"],
        ),
        (
            with(
                choice.clone(),
                json!({"opens_at": at(&app, Duration::days(8)), "closes_at": at(&app, Duration::days(7))}),
            ),
            vec!["closes_at"],
        ),
        (
            with(choice.clone(), json!({"agenda_item_id": id(&welsh_item)})),
            vec!["agenda_item_id"],
        ),
        (
            with(
                agreement(&app, "Q"),
                json!({"consultation_id": welsh_consultation}),
            ),
            vec!["consultation_id"],
        ),
        (
            with(choice.clone(), json!({"consultation_id": own_consultation})),
            vec!["consultation_id"],
        ),
        (
            with(
                agreement(&app, "Q"),
                json!({"consultation_id": own_consultation, "agenda_item_id": own_item}),
            ),
            vec!["consultation_id"],
        ),
        (
            with(choice.clone(), json!({"kind": "ranked"})),
            vec!["kind"],
        ),
        (
            with(choice.clone(), json!({"colour": "blue"})),
            vec!["colour"],
        ),
        (
            json!({"question": "Q", "kind": "single-choice", "options": ["A", "B"]}),
            vec!["closes_at"],
        ),
    ];

    for (body, fields) in cases {
        let refused = put_poll(&app, &fx, body.clone()).await;
        assert_eq!(refused.invalid_fields(), fields, "{body}");
    }
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(listed["items"], json!([]), "nothing was put");
}

#[tokio::test]
async fn a_poll_decides_an_agenda_item_of_one_of_the_forums_meetings() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = agenda_item(&app, &fx, app.meeting(&fx, "Forum", 24).await).await;

    let poll = new_poll(
        &app,
        &fx,
        with(agreement(&app, "Endorse?"), json!({"agenda_item_id": item})),
    )
    .await;

    assert_eq!(poll["agenda_item_id"], json!(item));
    assert_eq!(poll["consultation_id"], Value::Null);
}

#[tokio::test]
async fn a_consultation_takes_one_poll_at_a_time_and_only_while_drafting() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let drafting = consultation(&app, fx.forum, ConsultationStatus::Drafting).await;
    let open = consultation(&app, fx.forum, ConsultationStatus::Open).await;
    let agreed = consultation(&app, fx.forum, ConsultationStatus::Agreed).await;
    let on = |consultation: Uuid| {
        with(
            agreement(&app, "Do we agree the joint response?"),
            json!({"consultation_id": consultation}),
        )
    };

    let first = new_poll(&app, &fx, on(drafting)).await;
    let second = put_poll(&app, &fx, on(drafting)).await;
    let too_early = put_poll(&app, &fx, on(open)).await;
    let too_late = put_poll(&app, &fx, on(agreed)).await;
    cancel(&app, &fx, &id(&first)).await;
    let after_cancelling = put_poll(&app, &fx, on(drafting)).await;

    assert_eq!(first["consultation_id"], json!(drafting));
    assert!(detail(&second).contains(&id(&first)), "{}", detail(&second));
    second.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&too_early).contains("open"));
    too_early.assert_problem(StatusCode::CONFLICT);
    too_late.assert_problem(StatusCode::CONFLICT);
    after_cancelling.assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_closed_poll_leaves_its_consultation_free_for_another() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let drafting = consultation(&app, fx.forum, ConsultationStatus::Drafting).await;
    let body = || {
        with(
            agreement(&app, "Agree the response?"),
            json!({"consultation_id": drafting, "closes_at": at(&app, Duration::hours(1))}),
        )
    };
    new_poll(&app, &fx, body()).await;

    app.state.clock.advance(Duration::hours(2));

    put_poll(&app, &fx, body())
        .await
        .assert_status(StatusCode::CREATED);
}

// Listing.

#[tokio::test]
async fn the_forums_polls_are_listed_newest_first_and_by_where_they_stand() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let closing = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Closing"),
            json!({"closes_at": at(&app, Duration::hours(1))}),
        ),
    )
    .await;
    let upcoming = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Upcoming"),
            json!({"opens_at": at(&app, Duration::days(2)), "closes_at": at(&app, Duration::days(9))}),
        ),
    )
    .await;
    let open = new_poll(&app, &fx, agreement(&app, "Open")).await;
    let cancelled = new_poll(&app, &fx, agreement(&app, "Cancelled")).await;
    cancel(&app, &fx, &id(&cancelled)).await;
    app.state.clock.advance(Duration::hours(2));
    let path = format!("/api/v1/forums/{}/polls", fx.forum);
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(id)
            .collect()
    };

    let all = app.get(&path, Some(&fx.member.access)).await.json();
    let mut walked = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                &format!("{path}?limit=1&cursor={cursor}"),
                Some(&fx.member.access),
            )
            .await
            .json();
        walked.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }

    let newest_first = [&cancelled, &open, &upcoming, &closing].map(id);
    assert_eq!(ids(&all), newest_first);
    assert_eq!(walked, newest_first);
    assert_eq!(all["items"][0]["status"], "cancelled");
    assert_eq!(all["items"][3]["status"], "closed");
    assert_eq!(labels(&all["items"][1]), ["Agree", "Disagree", "Abstain"]);
    for (status, poll) in [
        ("upcoming", &upcoming),
        ("open", &open),
        ("closed", &closing),
        ("cancelled", &cancelled),
    ] {
        let page = app
            .get(&format!("{path}?status={status}"), Some(&fx.member.access))
            .await
            .json();
        assert_eq!(ids(&page), [id(poll)], "{status}");
    }
    let unknown = app
        .get(&format!("{path}?status=pending"), Some(&fx.member.access))
        .await;
    assert_eq!(unknown.invalid_fields(), ["status"]);
}

// Voting.

#[tokio::test]
async fn a_member_votes_for_their_organisation_and_reads_it_back() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        single_choice(&app, "Where?", &["Maidstone", "Brighton"]),
    )
    .await;
    let options = option_ids(&poll);

    let voted = vote(&app, &fx.member, &id(&poll), &[&options[1]]).await;

    voted.assert_status(StatusCode::OK);
    let voted = voted.json();
    assert_eq!(voted["poll_id"], json!(id(&poll)));
    assert_eq!(voted["organisation_id"], json!(fx.member_organisation));
    assert_eq!(voted["option_ids"], json!([options[1]]));
    assert_eq!(voted["cast_by"], json!(fx.member.id));
    let read = app
        .get(
            &format!("/api/v1/polls/{}", id(&poll)),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(read.json()["my_vote"], voted);
    assert_eq!(read.header("etag"), Some("\"1\""), "a vote is not an edit");
}

#[tokio::test]
async fn a_later_vote_by_the_same_organisation_replaces_its_earlier_one() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = colleague(&app, &fx).await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            json!({"question": "Which themes?", "kind": "multiple-choice",
                   "options": ["Housing", "Women", "Debt"], "closes_at": at(&app, Duration::days(7))}),
            json!({"results_before_close": true, "open_voting": true}),
        ),
    )
    .await;
    let options = option_ids(&poll);
    let poll = id(&poll);

    vote(&app, &fx.member, &poll, &[&options[0], &options[1]])
        .await
        .assert_status(StatusCode::OK);
    let replaced = vote(&app, &colleague, &poll, &[&options[2]]).await;

    replaced.assert_status(StatusCode::OK);
    let counted = results(&app, &fx.member, &poll).await.json();
    assert_eq!(counted["votes_cast"], 1);
    let votes: Vec<u64> = counted["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["votes"].as_u64().unwrap_or_default())
        .collect();
    assert_eq!(votes, [0, 0, 1]);
    assert_eq!(counted["voted"][0]["option_ids"], json!([options[2]]));
    let mine = app
        .get(&format!("/api/v1/polls/{poll}"), Some(&fx.member.access))
        .await
        .json();
    assert_eq!(mine["my_vote"]["option_ids"], json!([options[2]]));
    assert_eq!(mine["my_vote"]["cast_by"], json!(colleague.id));
}

#[tokio::test]
async fn every_invalid_vote_is_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let single = new_poll(&app, &fx, single_choice(&app, "Where?", &["A", "B", "C"])).await;
    let agree = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let multiple = new_poll(
        &app,
        &fx,
        json!({"question": "Which?", "kind": "multiple-choice", "options": ["A", "B", "C"],
               "max_choices": 2, "closes_at": at(&app, Duration::days(7))}),
    )
    .await;
    let (s, a, m) = (
        option_ids(&single),
        option_ids(&agree),
        option_ids(&multiple),
    );

    let cases: [(&Value, Vec<&String>, Vec<&str>); 7] = [
        (&single, vec![], vec!["option_ids"]),
        (&single, vec![&s[0], &s[0]], vec!["option_ids[1]"]),
        (&single, vec![&a[0]], vec!["option_ids[0]"]),
        (&single, vec![&s[0], &s[1]], vec!["option_ids"]),
        (&agree, vec![&a[0], &a[2]], vec!["option_ids"]),
        (&multiple, vec![&m[0], &m[1], &m[2]], vec!["option_ids"]),
        (&multiple, vec![&m[0], &s[1]], vec!["option_ids[1]"]),
    ];

    for (poll, chosen, fields) in cases {
        let refused = vote(&app, &fx.member, &id(poll), &chosen).await;
        assert_eq!(refused.invalid_fields(), fields, "{chosen:?}");
    }
    for poll in [&single, &agree, &multiple] {
        let read = app
            .get(
                &format!("/api/v1/polls/{}", id(poll)),
                Some(&fx.member.access),
            )
            .await
            .json();
        assert_eq!(read["my_vote"], Value::Null, "no vote was recorded");
    }
    vote(&app, &fx.member, &id(&multiple), &[&m[2], &m[0]])
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_poll_not_yet_open_takes_no_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Later"),
            json!({"opens_at": at(&app, Duration::days(1)), "closes_at": at(&app, Duration::days(8))}),
        ),
    )
    .await;
    let agree = option_ids(&poll)[0].clone();

    let early = vote(&app, &fx.member, &id(&poll), &[&agree]).await;
    app.state.clock.advance(Duration::days(1));
    let on_time = vote(&app, &fx.member, &id(&poll), &[&agree]).await;

    early.assert_problem(StatusCode::CONFLICT);
    assert!(
        detail(&early).contains("not open yet"),
        "{}",
        detail(&early)
    );
    on_time.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_closed_poll_takes_no_more_votes() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Closing"),
            json!({"closes_at": at(&app, Duration::hours(1))}),
        ),
    )
    .await;
    let agree = option_ids(&poll)[0].clone();
    vote(&app, &fx.member, &id(&poll), &[&agree])
        .await
        .assert_status(StatusCode::OK);

    app.state.clock.advance(Duration::hours(1));
    let late = vote(&app, &fx.member, &id(&poll), &[&option_ids(&poll)[1]]).await;

    late.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&late).contains("closed"), "{}", detail(&late));
    let counted = results(&app, &fx.member, &id(&poll)).await.json();
    assert_eq!(counted["options"][0]["votes"], 1, "the vote stands as cast");
}

#[tokio::test]
async fn a_cancelled_poll_takes_no_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    cancel(&app, &fx, &id(&poll)).await;

    let refused = vote(&app, &fx.member, &id(&poll), &[&option_ids(&poll)[0]]).await;

    refused.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&refused).contains("cancelled"));
}

#[tokio::test]
async fn observers_and_rpd_staff_do_not_vote_even_for_a_member_organisation() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let organisation = active_organisation(&app, &fx, "Watching Brief").await;
    for user in [fx.observer.id, fx.rpd_staff.id] {
        link(&app, &fx, user, organisation).await;
    }
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let agree = option_ids(&poll)[0].clone();

    for user in [&fx.observer, &fx.rpd_staff] {
        let refused = vote(&app, user, &id(&poll), &[&agree]).await;
        refused.assert_problem(StatusCode::FORBIDDEN);
        assert!(detail(&refused).contains("vote"), "{}", detail(&refused));
    }
}

#[tokio::test]
async fn someone_whose_organisation_is_not_an_active_member_cannot_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let (poll, agree) = (id(&poll), option_ids(&poll)[0].clone());
    // The secretary, for an organisation that has only applied.
    let (applied, _) = app.applicant(&fx.admin, fx.forum, "Applied").await;
    link(&app, &fx, fx.secretary.id, applied).await;
    // The chair, for no organisation at all.
    let chair = &fx.chair;

    let applicant = vote(&app, &fx.secretary, &poll, &[&agree]).await;
    let nobody = vote(&app, chair, &poll, &[&agree]).await;
    // The member, once the membership is suspended (made directly, keeping
    // the role, as a suspension decided while they were signed in would
    // leave their access until it was noticed).
    let membership = forum_membership::Entity::find_by_id(fx.member_membership)
        .one(app.db())
        .await
        .expect("read")
        .expect("the membership");
    let mut suspended = membership.into_active_model();
    suspended.status = Set(MembershipStatus::Suspended);
    suspended.update(app.db()).await.expect("suspend");
    let member = vote(&app, &fx.member, &poll, &[&agree]).await;

    applicant.assert_problem(StatusCode::FORBIDDEN);
    assert!(detail(&applicant).contains("not an active member"));
    nobody.assert_problem(StatusCode::FORBIDDEN);
    assert!(detail(&nobody).contains("belongs to none"));
    member.assert_problem(StatusCode::FORBIDDEN);
    assert!(detail(&member).contains("not an active member"));
}

#[tokio::test]
async fn a_member_of_another_regions_forum_cannot_find_these_polls() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Agree?"),
            json!({"results_before_close": true}),
        ),
    )
    .await;
    let (path, agree) = (
        format!("/api/v1/polls/{}", id(&poll)),
        option_ids(&poll)[0].clone(),
    );
    let welsh = &fx.other_member;

    for response in [
        app.get(&path, Some(&welsh.access)).await,
        app.get(&format!("{path}/results"), Some(&welsh.access))
            .await,
        vote(&app, welsh, &id(&poll), &[&agree]).await,
        edit(
            &app,
            welsh,
            &id(&poll),
            Some("\"1\""),
            json!({"question": "Mine now"}),
        )
        .await,
    ] {
        response.assert_problem(NOT_FOUND);
    }
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&welsh.access),
        )
        .await;
    listed.assert_problem(StatusCode::FORBIDDEN);
}

// Results.

#[tokio::test]
async fn results_are_shown_once_the_poll_closes_unless_it_shows_them_before() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let hidden = new_poll(&app, &fx, agreement(&app, "Hidden until it closes")).await;
    let shown = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Shown"),
            json!({"results_before_close": true}),
        ),
    )
    .await;
    let cancelled = new_poll(&app, &fx, agreement(&app, "Cancelled")).await;
    cancel(&app, &fx, &id(&cancelled)).await;

    let too_soon = results(&app, &fx.member, &id(&hidden)).await;
    let running = results(&app, &fx.member, &id(&shown)).await;
    let never = results(&app, &fx.member, &id(&cancelled)).await;
    let in_detail = app
        .get(
            &format!("/api/v1/polls/{}", id(&shown)),
            Some(&fx.member.access),
        )
        .await
        .json();
    app.state.clock.advance(Duration::days(7));
    let after = results(&app, &fx.member, &id(&hidden)).await;

    too_soon.assert_problem(StatusCode::CONFLICT);
    let closes = hidden["closes_at"].as_str().unwrap_or_default();
    let closes: DateTime<Utc> = closes.parse().expect("a time");
    assert!(
        detail(&too_soon).contains(&closes.to_rfc3339()),
        "says when: {}",
        detail(&too_soon)
    );
    running.assert_status(StatusCode::OK);
    assert_eq!(running.json()["status"], "open");
    assert_eq!(in_detail["results"], running.json());
    never.assert_problem(StatusCode::CONFLICT);
    after.assert_status(StatusCode::OK);
    assert_eq!(after.json()["status"], "closed");
}

#[tokio::test]
async fn results_count_each_option_the_turnout_and_who_voted_but_not_how() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, _, _) = app.forum_member(&fx.admin, fx.forum, "Second").await;
    let (third, _, _) = app.forum_member(&fx.admin, fx.forum, "Third").await;
    app.forum_member(&fx.admin, fx.forum, "Silent").await;
    // Applied, not yet a member: not counted as eligible.
    app.applicant(&fx.admin, fx.forum, "Hopeful").await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            single_choice(&app, "Where?", &["Maidstone", "Brighton", "Guildford"]),
            json!({"closes_at": at(&app, Duration::hours(1))}),
        ),
    )
    .await;
    let options = option_ids(&poll);
    let poll_id = id(&poll);
    for (user, option) in [(&fx.member, 1), (&second, 1), (&third, 0)] {
        vote(&app, user, &poll_id, &[&options[option]])
            .await
            .assert_status(StatusCode::OK);
    }
    app.state.clock.advance(Duration::hours(1));

    let counted = results(&app, &fx.observer, &poll_id).await;

    counted.assert_status(StatusCode::OK);
    let counted = counted.json();
    assert_eq!(
        counted["options"],
        json!([
            {"option_id": options[0], "label": "Maidstone", "votes": 1},
            {"option_id": options[1], "label": "Brighton", "votes": 2},
            {"option_id": options[2], "label": "Guildford", "votes": 0},
        ])
    );
    assert_eq!(counted["votes_cast"], 3);
    assert_eq!(counted["eligible_organisations"], 4);
    assert_eq!(counted["turnout"], 0.75);
    assert_eq!(counted["carried"], Value::Null, "not an agreement");
    let voted: Vec<(String, Value)> = counted["voted"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or_default().to_string(),
                v["option_ids"].clone(),
            )
        })
        .collect();
    assert_eq!(
        voted,
        [
            ("Member's charity".to_string(), Value::Null),
            ("Second's charity".to_string(), Value::Null),
            ("Third's charity".to_string(), Value::Null),
        ]
    );
    assert_eq!(
        counted["voted"][0]["organisation_id"],
        json!(fx.member_organisation)
    );
}

#[tokio::test]
async fn with_open_voting_the_results_show_how_each_organisation_voted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, _, _) = app.forum_member(&fx.admin, fx.forum, "Second").await;
    let poll = new_poll(
        &app,
        &fx,
        json!({"question": "Which themes?", "kind": "multiple-choice",
               "options": ["Housing", "Women", "Debt"], "open_voting": true,
               "results_before_close": true, "closes_at": at(&app, Duration::days(7))}),
    )
    .await;
    let options = option_ids(&poll);
    // Sent out of order; kept in the options' order.
    vote(&app, &fx.member, &id(&poll), &[&options[2], &options[0]])
        .await
        .assert_status(StatusCode::OK);
    vote(&app, &second, &id(&poll), &[&options[1]])
        .await
        .assert_status(StatusCode::OK);

    let counted = results(&app, &fx.member, &id(&poll)).await.json();

    let voted: Vec<Value> = counted["voted"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| json!([v["name"], v["option_ids"]]))
        .collect();
    assert_eq!(
        voted,
        [
            json!(["Member's charity", [options[0], options[2]]]),
            json!(["Second's charity", [options[1]]]),
        ]
    );
    assert_eq!(counted["eligible_organisations"], 2);
    assert_eq!(counted["turnout"], 1.0);
}

#[tokio::test]
async fn an_agreement_carries_when_more_organisations_agree_than_disagree() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, _, _) = app.forum_member(&fx.admin, fx.forum, "Second").await;
    let (third, _, _) = app.forum_member(&fx.admin, fx.forum, "Third").await;
    let body = |question: &str| {
        with(
            agreement(&app, question),
            json!({"results_before_close": true, "closes_at": at(&app, Duration::hours(1))}),
        )
    };
    let carried = new_poll(&app, &fx, body("Carried")).await;
    let tied = new_poll(&app, &fx, body("Tied")).await;
    let (c, t) = (option_ids(&carried), option_ids(&tied));
    // Carried: agree, agree, disagree. Tied: agree, disagree, abstain.
    for (user, on_carried, on_tied) in [(&fx.member, 0, 0), (&second, 0, 1), (&third, 1, 2)] {
        vote(&app, user, &id(&carried), &[&c[on_carried]])
            .await
            .assert_status(StatusCode::OK);
        vote(&app, user, &id(&tied), &[&t[on_tied]])
            .await
            .assert_status(StatusCode::OK);
    }

    let while_open = results(&app, &fx.member, &id(&carried)).await.json();
    app.state.clock.advance(Duration::hours(1));
    let carried = results(&app, &fx.member, &id(&carried)).await.json();
    let tied = results(&app, &fx.member, &id(&tied)).await.json();

    assert_eq!(while_open["carried"], Value::Null, "not decided while open");
    assert_eq!(carried["carried"], true);
    assert_eq!(tied["carried"], false);
    assert_eq!(tied["options"][2]["label"], "Abstain");
    assert_eq!(tied["options"][2]["votes"], 1);
}

// Changing and cancelling.

#[tokio::test]
async fn before_it_opens_a_poll_changes_in_anything_but_its_kind() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        json!({"question": "Which themes?", "kind": "multiple-choice",
               "options": ["Housing", "Women"], "opens_at": at(&app, Duration::days(1)),
               "closes_at": at(&app, Duration::days(8))}),
    )
    .await;
    let poll_id = id(&poll);
    let closes = at(&app, Duration::days(10));

    let changed = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"1\""),
        json!({"question": "Which themes next year?", "options": ["Housing", "Women", "Debt"],
               "max_choices": 2, "closes_at": closes, "open_voting": true}),
    )
    .await;
    let same_again = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"question": "Which themes next year?", "options": ["Housing", "Women", "Debt"]}),
    )
    .await;
    let new_kind = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"kind": "single-choice"}),
    )
    .await;
    let too_many = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"options": ["Housing"], "max_choices": 3}),
    )
    .await;
    let set_open = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"status": "open"}),
    )
    .await;
    let null_question = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"question": null}),
    )
    .await;

    changed.assert_status(StatusCode::OK);
    assert_eq!(changed.header("etag"), Some("\"2\""));
    let changed = changed.json();
    assert_eq!(changed["question"], "Which themes next year?");
    assert_eq!(labels(&changed), ["Housing", "Women", "Debt"]);
    assert!(
        option_ids(&changed)
            .iter()
            .all(|o| !option_ids(&poll).contains(o)),
        "the options are new"
    );
    assert_eq!(changed["max_choices"], 2);
    assert_eq!(changed["closes_at"], json!(closes));
    assert_eq!(changed["open_voting"], true);
    same_again.assert_status(StatusCode::OK);
    assert_eq!(same_again.header("etag"), Some("\"2\""), "nothing changed");
    assert_eq!(option_ids(&same_again.json()), option_ids(&changed));
    assert_eq!(new_kind.invalid_fields(), ["kind"]);
    assert_eq!(too_many.invalid_fields(), ["options", "max_choices"]);
    assert_eq!(set_open.invalid_fields(), ["status"]);
    assert_eq!(null_question.invalid_fields(), ["question"]);
}

#[tokio::test]
async fn an_open_poll_only_closes_later_or_is_cancelled() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        single_choice(&app, "Where?", &["Maidstone", "Brighton"]),
    )
    .await;
    let poll_id = id(&poll);
    let closes: DateTime<Utc> = serde_json::from_value(poll["closes_at"].clone()).expect("a time");

    let reworded = edit_current(&app, &fx, &poll_id, json!({"question": "Where, then?"})).await;
    let new_options =
        edit_current(&app, &fx, &poll_id, json!({"options": ["Hove", "Lewes"]})).await;
    let sooner = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"closes_at": closes - Duration::days(1)}),
    )
    .await;
    let later = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"closes_at": closes + Duration::days(1), "question": "Where?"}),
    )
    .await;
    let no_reason = edit_current(&app, &fx, &poll_id, json!({"status": "cancelled"})).await;
    let stray_reason = edit_current(&app, &fx, &poll_id, json!({"cancel_reason": "Why not"})).await;
    let cancelled = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"status": "cancelled", "cancel_reason": "  Superseded by the meeting  "}),
    )
    .await;
    let afterwards = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"closes_at": closes + Duration::days(5)}),
    )
    .await;

    reworded.assert_problem(StatusCode::CONFLICT);
    assert!(
        detail(&reworded).contains("question"),
        "{}",
        detail(&reworded)
    );
    new_options.assert_problem(StatusCode::CONFLICT);
    sooner.assert_problem(StatusCode::CONFLICT);
    later.assert_status(StatusCode::OK);
    assert_eq!(later.header("etag"), Some("\"2\""));
    assert_eq!(later.json()["closes_at"], json!(closes + Duration::days(1)));
    assert_eq!(no_reason.invalid_fields(), ["cancel_reason"]);
    assert_eq!(stray_reason.invalid_fields(), ["cancel_reason"]);
    cancelled.assert_status(StatusCode::OK);
    let cancelled = cancelled.json();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Superseded by the meeting");
    assert!(cancelled["cancelled_at"].is_string());
    afterwards.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&afterwards).contains("cancelled"));
}

#[tokio::test]
async fn a_closed_poll_cannot_be_changed() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Closing"),
            json!({"closes_at": at(&app, Duration::hours(1))}),
        ),
    )
    .await;
    app.state.clock.advance(Duration::hours(2));

    let extended = edit_current(
        &app,
        &fx,
        &id(&poll),
        json!({"closes_at": at(&app, Duration::days(1))}),
    )
    .await;
    let cancelled = edit_current(
        &app,
        &fx,
        &id(&poll),
        json!({"status": "cancelled", "cancel_reason": "Too late"}),
    )
    .await;

    for refused in [extended, cancelled] {
        refused.assert_problem(StatusCode::CONFLICT);
        assert!(detail(&refused).contains("closed"), "{}", detail(&refused));
    }
}

#[tokio::test]
async fn a_change_needs_the_etag_last_read() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let later = json!({"closes_at": at(&app, Duration::days(8))});

    let without = edit(&app, &fx.secretary, &id(&poll), None, later.clone()).await;
    let first = edit(
        &app,
        &fx.secretary,
        &id(&poll),
        Some("\"1\""),
        later.clone(),
    )
    .await;
    let stale = edit(
        &app,
        &fx.chair,
        &id(&poll),
        Some("\"1\""),
        json!({"closes_at": at(&app, Duration::days(9))}),
    )
    .await;

    without.assert_problem(StatusCode::PRECONDITION_REQUIRED);
    first.assert_status(StatusCode::OK);
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    assert!(detail(&stale).contains("\"2\""));
}

#[tokio::test]
async fn every_write_is_audited_and_a_secret_ballot_stays_secret() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let secret = new_poll(&app, &fx, agreement(&app, "Secret")).await;
    let open = new_poll(
        &app,
        &fx,
        with(agreement(&app, "Open"), json!({"open_voting": true})),
    )
    .await;
    for poll in [&secret, &open] {
        vote(&app, &fx.member, &id(poll), &[&option_ids(poll)[1]])
            .await
            .assert_status(StatusCode::OK);
    }
    cancel(&app, &fx, &id(&open)).await;

    let secret_trail = audit_trail(&app, &fx, &secret).await;
    let open_trail = audit_trail(&app, &fx, &open).await;

    let actions = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(actions(&secret_trail), ["poll.voted", "poll.created"]);
    assert_eq!(
        actions(&open_trail),
        ["poll.cancelled", "poll.voted", "poll.created"]
    );
    assert_eq!(
        secret_trail[0]["changes"],
        json!({"organisation_id": fx.member_organisation}),
        "no choice recorded"
    );
    assert_eq!(
        open_trail[1]["changes"],
        json!({"organisation_id": fx.member_organisation, "option_ids": [option_ids(&open)[1]]})
    );
    assert_eq!(secret_trail[0]["actor_id"], json!(fx.member.id));
    assert_eq!(open_trail[0]["changes"]["status"]["to"], "cancelled");
    assert_eq!(secret_trail[1]["changes"]["question"], "Secret");
    assert_eq!(secret_trail[1]["forum_id"], json!(fx.forum));
}

/// The poll's audit events, newest first.
async fn audit_trail(app: &TestApp, fx: &ForumFixture, poll: &Value) -> Vec<Value> {
    let events = app
        .get(
            &format!("/api/v1/audit?entity_id={}", id(poll)),
            Some(&fx.admin.access),
        )
        .await
        .json();
    events["items"].as_array().cloned().unwrap_or_default()
}

// Who may do what.

#[tokio::test]
async fn every_poll_endpoint_answers_each_caller_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Everyone who could vote for an organisation is given one that is an
    // active member, so that only their role decides.
    let organisation = active_organisation(&app, &fx, "Everyone's charity").await;
    for user in [
        &fx.signed_in,
        &fx.observer,
        &fx.secretary,
        &fx.chair,
        &fx.rpd_staff,
        &fx.other_rpd_staff,
        &fx.admin,
    ] {
        link(&app, &fx, user.id, organisation).await;
    }
    let open = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Agree?"),
            json!({"results_before_close": true}),
        ),
    )
    .await;
    let upcoming = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Later"),
            json!({"opens_at": at(&app, Duration::days(1)), "closes_at": at(&app, Duration::days(8))}),
        ),
    )
    .await;
    let agree = option_ids(&open)[0].clone();
    let send = |method: Method, path: String, body: Option<Value>| {
        let (app, fx) = (&app, &fx);
        async move |caller: Caller| {
            app.request(method.clone(), &path, fx.token(caller), body.clone())
                .await
        }
    };

    check_row(
        "GET /forums/{id}/polls",
        participants_via_forum(OK),
        send(
            Method::GET,
            format!("/api/v1/forums/{}/polls", fx.forum),
            None,
        ),
    )
    .await;
    check_row(
        "POST /forums/{id}/polls",
        officers_and_admin(CREATED),
        send(
            Method::POST,
            format!("/api/v1/forums/{}/polls", fx.forum),
            Some(agreement(&app, "Another")),
        ),
    )
    .await;
    check_row(
        "GET /polls/{id}",
        participants_by_id(OK),
        send(Method::GET, format!("/api/v1/polls/{}", id(&open)), None),
    )
    .await;
    check_row(
        "PATCH /polls/{id}",
        officers_by_id(OK),
        async |caller: Caller| {
            app.request_with_headers(
                Method::PATCH,
                &format!("/api/v1/polls/{}", id(&upcoming)),
                fx.token(caller),
                &[("if-match", "*")],
                Some(json!({"question": format!("Asked by {caller:?}")})),
            )
            .await
        },
    )
    .await;
    check_row(
        "PUT /polls/{id}/vote",
        |caller| match caller {
            Caller::Public => UNAUTHORISED,
            Caller::SignedIn | Caller::OtherRegionRpdStaff | Caller::OtherForumMember => NOT_FOUND,
            Caller::Observer | Caller::RpdStaff => FORBIDDEN,
            Caller::Member | Caller::Secretary | Caller::Chair | Caller::Admin => OK,
        },
        send(
            Method::PUT,
            format!("/api/v1/polls/{}/vote", id(&open)),
            Some(json!({"option_ids": [agree]})),
        ),
    )
    .await;
    check_row(
        "GET /polls/{id}/results",
        participants_by_id(OK),
        send(
            Method::GET,
            format!("/api/v1/polls/{}/results", id(&open)),
            None,
        ),
    )
    .await;
}

// Many people at once.

/// Two people of one organisation vote for different options at the same
/// moment, again and again: each time both are answered 200 and exactly
/// one of the two votes stands, whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_of_one_organisation_voting_at_once_leave_exactly_one_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = colleague(&app, &fx).await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            single_choice(&app, "Where?", &["Maidstone", "Brighton"]),
            json!({"results_before_close": true}),
        ),
    )
    .await;
    let poll = (id(&poll), option_ids(&poll));
    let served = app.serve().await;
    let voters = [(&fx.member, &poll.1[0]), (&colleague, &poll.1[1])];

    for round in 0..25 {
        let statuses = served
            .race(2, |i, client, base| {
                let (voter, option) = voters[(i + round) % 2];
                client
                    .put(format!("{base}/api/v1/polls/{}/vote", poll.0))
                    .bearer_auth(&voter.access)
                    .json(&json!({"option_ids": [option]}))
            })
            .await;

        assert_eq!(
            count(&statuses, StatusCode::OK),
            2,
            "round {round}: {statuses:?}"
        );
        let counted = results(&app, &fx.member, &poll.0).await.json();
        assert_eq!(counted["votes_cast"], 1, "round {round}: {counted}");
        let votes: Vec<u64> = counted["options"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| o["votes"].as_u64().unwrap_or_default())
            .collect();
        assert!(
            votes == [1, 0] || votes == [0, 1],
            "round {round}: one option with the one vote, not {votes:?}"
        );
        let mine = app
            .get(
                &format!("/api/v1/polls/{}", poll.0),
                Some(&fx.member.access),
            )
            .await
            .json();
        let chosen = &mine["my_vote"]["option_ids"];
        let winner = if votes[0] == 1 {
            &poll.1[0]
        } else {
            &poll.1[1]
        };
        assert_eq!(chosen, &json!([winner]), "round {round}");
    }
}
