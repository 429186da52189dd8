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
use crate::support::id;
use crate::support::{Caller, ForumFixture, TestApp, TestResponse, TestUser, count};

mod votes;

mod changes;

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

// Changing and cancelling.

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
