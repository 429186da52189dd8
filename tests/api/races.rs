//! The writes of the officers' pages, raced: many saves made from the same
//! read, sent at once through real connections to a served application.
//! Each is decided by the database (a locked meeting, a conditional
//! `UPDATE … WHERE version = …`), so exactly one wins, and what is stored
//! afterwards is the winner's alone — on SQLite and on PostgreSQL
//! (`TEST_DATABASE_URL`).

use axum::http::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, count, uuid};

const RACERS: usize = 8;

/// The one request of the race that succeeded, after checking there is
/// exactly one and that every other lost with `lost`.
fn the_winner(statuses: &[StatusCode], won: StatusCode, lost: StatusCode) -> usize {
    assert_eq!(count(statuses, won), 1, "{statuses:?}");
    assert_eq!(count(statuses, lost), statuses.len() - 1, "{statuses:?}");
    statuses.iter().position(|s| *s == won).expect("one winner")
}

async fn audited(app: &TestApp, action: &str, entity_id: Uuid) -> u64 {
    entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Action.eq(action))
        .filter(entity::audit_event::Column::EntityId.eq(entity_id))
        .count(app.db())
        .await
        .expect("count the audit trail")
}

async fn add_item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, title: &str) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": title}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    uuid(&made.json())
}

/// Officers alternate: the secretary, then the chair.
fn officer(fx: &ForumFixture, i: usize) -> &str {
    if i.is_multiple_of(2) {
        &fx.secretary.access
    } else {
        &fx.chair.access
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn officers_reordering_from_the_same_read_leave_the_agenda_in_one_order_theirs() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Autumn forum", 48).await;
    let mut read = Vec::new();
    for title in ["Housing", "Employment", "Health", "Families"] {
        read.push(add_item(&app, &fx, meeting, title).await);
    }
    // Each officer's own new order of the agenda as read: every one moves
    // something, and no two are the same.
    let moves = [
        [1, 0, 2, 3],
        [2, 1, 0, 3],
        [3, 1, 2, 0],
        [0, 2, 1, 3],
        [0, 3, 2, 1],
        [0, 1, 3, 2],
        [1, 2, 3, 0],
        [3, 2, 1, 0],
    ];
    let orders: Vec<Vec<Uuid>> = moves
        .iter()
        .map(|places| places.iter().map(|p| read[*p]).collect())
        .collect();
    let distinct: std::collections::HashSet<_> = orders.iter().collect();
    assert_eq!(distinct.len(), RACERS);
    assert!(!orders.contains(&read));
    let served = app.serve().await;

    let statuses = served
        .race(RACERS, |i, client, base| {
            client
                .put(format!("{base}/api/v1/meetings/{meeting}/agenda-order"))
                .bearer_auth(officer(&fx, i))
                .json(&json!({"item_ids": orders[i], "read_order": read}))
        })
        .await;

    let winner = the_winner(&statuses, StatusCode::OK, StatusCode::CONFLICT);
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let now: Vec<Uuid> = agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(uuid)
        .collect();
    assert_eq!(now, orders[winner], "the winner's order, whole");
    assert_eq!(audited(&app, "agenda.reordered", meeting).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn attendance_saved_from_the_same_etag_is_one_list_the_winner_s() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    let etag = read.header("etag").expect("the meeting's ETag").to_string();
    // Eight different lists: four people, each there or sending apologies.
    let people = [fx.member.id, fx.secretary.id, fx.chair.id, fx.observer.id];
    let list = |i: usize| {
        let attendance = if i < people.len() {
            "attended"
        } else {
            "apologies"
        };
        (people[i % people.len()], attendance)
    };
    let served = app.serve().await;

    let statuses = served
        .race(RACERS, |i, client, base| {
            let (person, attendance) = list(i);
            client
                .put(format!("{base}/api/v1/meetings/{meeting}/attendance"))
                .bearer_auth(officer(&fx, i))
                .header("if-match", &etag)
                .json(&json!({"entries": [{"user_id": person, "attendance": attendance}]}))
        })
        .await;

    let winner = the_winner(&statuses, StatusCode::OK, StatusCode::PRECONDITION_FAILED);
    let (person, attendance) = list(winner);
    let recorded = entity::meeting_attendance::Entity::find()
        .filter(entity::meeting_attendance::Column::MeetingId.eq(meeting))
        .all(app.db())
        .await
        .expect("read the attendance");
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(recorded[0].user_id, person);
    assert_eq!(recorded[0].attendance.as_str(), attendance);
    let after = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    let before: i64 = etag.trim_matches('"').parse().expect("a version");
    assert_eq!(
        after.header("etag"),
        Some(format!("\"{}\"", before + 1).as_str()),
        "one change, one new version"
    );
    assert_eq!(
        audited(&app, "meeting.attendance-recorded", meeting).await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_joint_answer_revised_from_the_same_version_keeps_the_winner_s_text() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let today = convene::consultations::london_today(app.state.clock.now());
    let registered = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": "Strengthening probation, building confidence",
                "consulting_body": "Ministry of Justice",
                "closes_on": today + chrono::Duration::days(30),
                "internal_deadline": today + chrono::Duration::days(14),
                "questions": [{"text": "How should the voluntary sector be commissioned?"}],
            }),
        )
        .await;
    registered.assert_status(StatusCode::CREATED);
    let consultation = registered.json();
    let question = uuid(&consultation["questions"][0]);
    let path = format!(
        "/api/v1/consultations/{}/questions/{question}/answer",
        consultation["id"].as_str().unwrap_or_default()
    );
    app.request(
        Method::PUT,
        &path,
        Some(&fx.secretary.access),
        Some(json!({"body": "The forum's first words."})),
    )
    .await
    .assert_status(StatusCode::OK);
    let served = app.serve().await;

    let statuses = served
        .race(RACERS, |i, client, base| {
            client
                .put(format!("{base}{path}"))
                .bearer_auth(officer(&fx, i))
                .header("if-match", "\"1\"")
                .json(&json!({"body": format!("Revision by officer {i}.")}))
        })
        .await;

    let winner = the_winner(&statuses, StatusCode::OK, StatusCode::PRECONDITION_FAILED);
    let answer = entity::consultation_answer::Entity::find()
        .filter(entity::consultation_answer::Column::QuestionId.eq(question))
        .one(app.db())
        .await
        .expect("read the answer")
        .expect("an answer");
    assert_eq!(answer.body, format!("Revision by officer {winner}."));
    assert_eq!(answer.version, 2);
    let revisions = app
        .get(&format!("{path}/revisions"), Some(&fx.member.access))
        .await
        .json();
    assert_eq!(revisions.as_array().map(Vec::len), Some(2), "{revisions}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn outcomes_saved_with_their_actions_from_the_same_etag_leave_only_the_winner_s() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let housing = add_item(&app, &fx, meeting, "Housing on release").await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let served = app.serve().await;

    let statuses = served
        .race(RACERS, |i, client, base| {
            client
                .put(format!("{base}/api/v1/agenda-items/{housing}/outcome"))
                .bearer_auth(officer(&fx, i))
                .header("if-match", "\"1\"")
                .json(&json!({
                    "decision": format!("Decision {i}."),
                    "actions": [
                        {"title": format!("Action {i}, first"),
                         "owner_organisation_id": fx.member_organisation},
                        {"title": format!("Action {i}, second"),
                         "owner_user_id": fx.secretary.id},
                    ],
                }))
        })
        .await;

    let winner = the_winner(&statuses, StatusCode::OK, StatusCode::PRECONDITION_FAILED);
    let item = entity::agenda_item::Entity::find_by_id(housing)
        .one(app.db())
        .await
        .expect("read the item")
        .expect("the item");
    assert_eq!(item.outcome, Some(format!("Decision {winner}.")));
    assert_eq!(item.version, 2);
    let mut titles: Vec<String> = entity::action_item::Entity::find()
        .filter(entity::action_item::Column::AgendaItemId.eq(housing))
        .all(app.db())
        .await
        .expect("read the actions")
        .into_iter()
        .map(|a| a.title)
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            format!("Action {winner}, first"),
            format!("Action {winner}, second")
        ],
        "the losers wrote no action"
    );
    assert_eq!(
        audited(&app, "agenda-item.outcome-recorded", housing).await,
        1
    );
    let created = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Action.eq("action.created"))
        .count(app.db())
        .await
        .expect("count the audit trail");
    assert_eq!(created, 2);
}

#[tokio::test]
async fn an_action_agreed_twice_from_one_reading_is_made_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let housing = add_item(&app, &fx, meeting, "Housing on release").await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.request_with_headers(
        axum::http::Method::PUT,
        &format!("/api/v1/agenda-items/{housing}/outcome"),
        Some(&fx.secretary.access),
        &[("if-match", "\"1\"")],
        Some(json!({"decision": "Agreed to write to the housing team."})),
    )
    .await
    .assert_status(StatusCode::OK);
    let served = app.serve().await;

    // The same form sent again and again (a double click without scripts):
    // the decision as it stands, and the action it agrees.
    let statuses = served
        .race(RACERS, |_, client, base| {
            client
                .put(format!("{base}/api/v1/agenda-items/{housing}/outcome"))
                .bearer_auth(&fx.secretary.access)
                .header("if-match", "\"2\"")
                .json(&json!({
                    "decision": "Agreed to write to the housing team.",
                    "actions": [{"title": "Write to the housing team",
                                 "owner_organisation_id": fx.member_organisation}],
                }))
        })
        .await;

    the_winner(&statuses, StatusCode::OK, StatusCode::PRECONDITION_FAILED);
    let made = entity::action_item::Entity::find()
        .filter(entity::action_item::Column::AgendaItemId.eq(housing))
        .count(app.db())
        .await
        .expect("count the actions");
    assert_eq!(made, 1);
}
