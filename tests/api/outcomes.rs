//! Outcomes per agenda item, and minutes drafted from them: once a meeting
//! is held its officers record each item's decision and the votes of the
//! member organisations present; the first draft of the minutes is composed
//! from that record, telling only public business.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::uuid as id;
use crate::support::{ForumFixture, TestApp};

async fn item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, body: Value) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    id(&made.json())
}

fn outcome_path(item: Uuid) -> String {
    format!("/api/v1/agenda-items/{item}/outcome")
}

#[tokio::test]
async fn a_held_meeting_s_outcomes_make_the_first_draft_of_its_minutes() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let housing = item(&app, &fx, meeting, json!({"title": "Housing on release"})).await;
    let dispute = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Provider contract dispute", "visibility": "officers",
               "visibility_reason": "legal advice"}),
    )
    .await;
    let early = app
        .request(
            Method::PUT,
            &outcome_path(housing),
            Some(&fx.secretary.access),
            Some(json!({"decision": "Agreed a task group."})),
        )
        .await;
    early.assert_problem(StatusCode::CONFLICT);

    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/attendance"),
        Some(&fx.secretary.access),
        Some(json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}]})),
    )
    .await
    .assert_status(StatusCode::OK);
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);

    // One organisation was represented: two votes are one too many.
    let too_many = app
        .request(
            Method::PUT,
            &outcome_path(housing),
            Some(&fx.secretary.access),
            Some(json!({"decision": "Agreed a task group.",
                        "votes": {"for": 2, "against": 0, "abstain": 0}})),
        )
        .await;
    assert_eq!(too_many.invalid_fields(), ["votes"]);
    app.request(
        Method::PUT,
        &outcome_path(housing),
        Some(&fx.member.access),
        Some(json!({"decision": "Mine"})),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    let recorded = app
        .request(
            Method::PUT,
            &outcome_path(housing),
            Some(&fx.secretary.access),
            Some(json!({"decision": "Agreed a housing task group.",
                        "votes": {"for": 1, "against": 0, "abstain": 0}})),
        )
        .await;
    recorded.assert_status(StatusCode::OK);
    assert_eq!(recorded.json()["outcome"]["votes"]["for"], 1);
    app.request(
        Method::PUT,
        &outcome_path(dispute),
        Some(&fx.chair.access),
        Some(json!({"decision": "Refer to the solicitors."})),
    )
    .await
    .assert_status(StatusCode::OK);
    // Participants who may not read the item do not read its outcome either.
    let seen = app
        .get(
            &format!("/api/v1/agenda-items/{dispute}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert!(seen["outcome"].is_null());

    let draft = format!("/api/v1/meetings/{meeting}/minutes/draft-from-agenda");
    app.post(&draft, Some(&fx.member.access), json!({}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let drafted = app
        .post(&draft, Some(&fx.secretary.access), json!({}))
        .await;
    drafted.assert_status(StatusCode::CREATED);
    let minutes = drafted.json();
    let body = minutes["body"].as_str().unwrap_or_default().to_string();
    assert!(body.contains("## Present\n\n- Member's charity"), "{body}");
    assert!(body.contains("## 1. Housing on release"), "{body}");
    assert!(body.contains("Agreed a housing task group."), "{body}");
    assert!(
        body.contains("Votes: 1 for, 0 against, 0 abstaining."),
        "{body}"
    );
    // The confidential item is minuted in a section as confidential as it:
    // its officers read it, the forum's members see only that it is withheld.
    let dispute_section = minutes["sections"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|s| s["agenda_item_id"] == dispute.to_string().as_str())
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(dispute_section["visibility"], "officers");
    assert!(
        body.contains("## 2. Provider contract dispute\n\nRefer to the solicitors."),
        "{body}"
    );
    let as_member = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let member_body = as_member["body"].as_str().unwrap_or_default();
    assert!(
        member_body.contains("## Withheld: legal advice"),
        "{member_body}"
    );
    assert!(
        !member_body.contains("Provider contract dispute") && !member_body.contains("solicitors"),
        "{member_body}"
    );
    // The draft is the minutes' first version; a second is refused.
    app.post(&draft, Some(&fx.secretary.access), json!({}))
        .await
        .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn minutes_are_drafted_from_the_agenda_only_once_the_meeting_is_held() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Summer forum", 48).await;
    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/draft-from-agenda"),
        Some(&fx.secretary.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/draft-from-agenda"),
        Some(&fx.other_rpd_staff.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_action_agreed_on_an_item_belongs_to_its_meeting_and_names_the_item() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let housing = item(&app, &fx, meeting, json!({"title": "Housing on release"})).await;
    let path = format!("/api/v1/agenda-items/{housing}/actions");
    let body = json!({"title": "Map the housing pathway",
                      "owner_organisation_id": fx.member_organisation});
    app.post(&path, Some(&fx.secretary.access), body.clone())
        .await
        .assert_problem(StatusCode::CONFLICT);
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);

    app.post(&path, Some(&fx.member.access), body.clone())
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.post(&path, Some(&fx.other_rpd_staff.access), body.clone())
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let elsewhere = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "x", "owner_organisation_id": fx.other_member_organisation}),
        )
        .await;
    elsewhere.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let made = app.post(&path, Some(&fx.secretary.access), body).await;
    made.assert_status(StatusCode::CREATED);
    let action = made.json();
    assert_eq!(action["meeting_id"], meeting.to_string());
    assert_eq!(action["agenda_item_id"], housing.to_string());
    assert_eq!(
        action["owner_organisation_id"],
        fx.member_organisation.to_string()
    );
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(
        listed.json()["items"][0]["agenda_item_id"],
        housing.to_string()
    );
}

#[tokio::test]
async fn an_action_agreed_on_an_item_without_an_owner_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let housing = item(&app, &fx, meeting, json!({"title": "Housing on release"})).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let refused = app
        .post(
            &format!("/api/v1/agenda-items/{housing}/actions"),
            Some(&fx.secretary.access),
            json!({"title": "Map the housing pathway"}),
        )
        .await;

    refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.invalid_fields(), vec!["owner_organisation_id"]);
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(listed.json()["items"], json!([]));
}

/// A held meeting with one item, at which the member's organisation was
/// represented (so one vote may be cast).
async fn held_with_item(app: &TestApp, fx: &ForumFixture) -> (Uuid, Uuid) {
    let meeting = app.meeting(fx, "Spring forum", -3).await;
    let housing = item(app, fx, meeting, json!({"title": "Housing on release"})).await;
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/attendance"),
        Some(&fx.secretary.access),
        Some(json!({"entries": [{"user_id": fx.member.id, "attendance": "attended"}]})),
    )
    .await
    .assert_status(StatusCode::OK);
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    (meeting, housing)
}

/// How many audit entries of this kind the record has.
async fn audited(app: &TestApp, action: &str, entity_id: Uuid) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Action.eq(action))
        .filter(entity::audit_event::Column::EntityId.eq(entity_id))
        .count(app.db())
        .await
        .expect("count the audit trail")
}

async fn forum_actions(app: &TestApp, fx: &ForumFixture) -> Vec<Value> {
    app.get(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
    )
    .await
    .json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn put_outcome(
    app: &TestApp,
    who: &crate::support::TestUser,
    item: Uuid,
    etag: &str,
    body: Value,
) -> crate::support::TestResponse {
    app.request_with_headers(
        Method::PUT,
        &outcome_path(item),
        Some(&who.access),
        &[("if-match", etag)],
        Some(body),
    )
    .await
}

#[tokio::test]
async fn an_outcome_and_the_actions_agreed_on_it_are_written_together_each_audited() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_with_item(&app, &fx).await;

    let saved = put_outcome(
        &app,
        &fx.secretary,
        housing,
        "\"1\"",
        json!({
            "decision": "The forum asks the RPD for a housing pathway.",
            "votes": {"for": 1, "against": 0, "abstain": 0},
            "carried_over": true,
            "actions": [
                {"title": "Map the housing pathway",
                 "owner_organisation_id": fx.member_organisation, "due_on": "2031-03-27"},
                {"title": "Write to the council", "owner_user_id": fx.secretary.id},
            ],
        }),
    )
    .await;

    saved.assert_status(StatusCode::OK);
    assert_eq!(
        saved.header("etag"),
        Some("\"2\""),
        "one write, one version"
    );
    let body = saved.json();
    assert_eq!(
        body["outcome"]["decision"],
        "The forum asks the RPD for a housing pathway."
    );
    assert_eq!(body["carried_over"], true);
    let made = body["actions"].as_array().cloned().unwrap_or_default();
    assert_eq!(made.len(), 2, "{body}");
    for action in &made {
        assert_eq!(action["agenda_item_id"], housing.to_string());
        assert_eq!(action["meeting_id"], meeting.to_string());
        assert_eq!(audited(&app, "action.created", id(action)).await, 1);
    }
    assert_eq!(forum_actions(&app, &fx).await.len(), 2);
    assert_eq!(
        audited(&app, "agenda-item.outcome-recorded", housing).await,
        1
    );
    assert_eq!(audited(&app, "agenda-item.updated", housing).await, 1);
    // The owners are told, as of any action given an owner.
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let told = entity::outbox_event::Entity::find()
        .filter(entity::outbox_event::Column::EntityId.is_in(made.iter().map(id)))
        .count(app.db())
        .await
        .expect("count the outbox");
    assert_eq!(told, 2);
}

#[tokio::test]
async fn a_refused_action_leaves_no_outcome_written_and_every_refused_field_is_named() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, housing) = held_with_item(&app, &fx).await;

    let refused = put_outcome(
        &app,
        &fx.secretary,
        housing,
        "\"1\"",
        json!({
            "decision": "Agreed a task group.",
            "votes": {"for": 2, "against": 0, "abstain": 0},
            "actions": [
                {"title": "Fine", "owner_organisation_id": fx.member_organisation},
                // Wales's organisation is no member of this forum.
                {"title": "Theirs", "owner_organisation_id": fx.other_member_organisation},
                // The meeting was three hours ago: 2020 is before it.
                {"title": "Late", "owner_user_id": fx.secretary.id, "due_on": "2020-01-31"},
                {"title": ""},
            ],
        }),
    )
    .await;

    refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = refused.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        [
            "actions[1].owner_organisation_id",
            "actions[2].due_on",
            "actions[3].owner_organisation_id",
            "actions[3].title",
            "votes",
        ]
    );
    let now = app
        .get(
            &format!("/api/v1/agenda-items/{housing}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(now.header("etag"), Some("\"1\""), "the item is as it was");
    assert_eq!(now.json()["outcome"], Value::Null);
    assert_eq!(
        audited(&app, "agenda-item.outcome-recorded", housing).await,
        0
    );
    assert_eq!(forum_actions(&app, &fx).await, Vec::<Value>::new());

    // With only the action wrong, the valid outcome is not written either.
    let one_wrong = put_outcome(
        &app,
        &fx.secretary,
        housing,
        "\"1\"",
        json!({"decision": "Agreed a task group.",
               "actions": [{"title": "Theirs",
                            "owner_organisation_id": fx.other_member_organisation}]}),
    )
    .await;
    assert_eq!(
        one_wrong.invalid_fields(),
        ["actions[0].owner_organisation_id"]
    );
    let now = app
        .get(
            &format!("/api/v1/agenda-items/{housing}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(now.header("etag"), Some("\"1\""));
    assert_eq!(
        audited(&app, "agenda-item.outcome-recorded", housing).await,
        0
    );
    assert_eq!(forum_actions(&app, &fx).await, Vec::<Value>::new());
}

#[tokio::test]
async fn an_outcome_with_actions_is_the_officers_and_only_this_forum_s() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, housing) = held_with_item(&app, &fx).await;
    let welsh = app.user("Welsh Secretary").await;
    crate::support::builders::role(
        app.db(),
        fx.other_forum,
        welsh.id,
        entity::ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    let body = json!({"decision": "Agreed.",
                      "actions": [{"title": "Map beds",
                                   "owner_organisation_id": fx.member_organisation}]});

    for (who, status) in [
        (&fx.member, StatusCode::FORBIDDEN),
        (&fx.observer, StatusCode::FORBIDDEN),
        (&fx.rpd_staff, StatusCode::FORBIDDEN),
        (&fx.other_rpd_staff, StatusCode::NOT_FOUND),
        (&welsh, StatusCode::NOT_FOUND),
    ] {
        put_outcome(&app, who, housing, "\"1\"", body.clone())
            .await
            .assert_problem(status);
    }
    app.request(
        Method::PUT,
        &outcome_path(housing),
        None,
        Some(body.clone()),
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    // Carrying a held meeting's item over is the secretary's change to its
    // agenda: the chair records the outcome, but not that.
    let mut carried = body.clone();
    carried["carried_over"] = json!(true);
    put_outcome(&app, &fx.chair, housing, "\"1\"", carried)
        .await
        .assert_problem(StatusCode::CONFLICT);
    assert_eq!(forum_actions(&app, &fx).await, Vec::<Value>::new());
    put_outcome(&app, &fx.chair, housing, "\"1\"", body)
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(forum_actions(&app, &fx).await.len(), 1);
}

#[tokio::test]
async fn a_stale_outcome_writes_nothing_its_actions_neither() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, housing) = held_with_item(&app, &fx).await;
    put_outcome(
        &app,
        &fx.chair,
        housing,
        "\"1\"",
        json!({"decision": "The chair's words."}),
    )
    .await
    .assert_status(StatusCode::OK);

    let stale = put_outcome(
        &app,
        &fx.secretary,
        housing,
        "\"1\"",
        json!({"decision": "Mine.",
               "actions": [{"title": "Map beds",
                            "owner_organisation_id": fx.member_organisation}]}),
    )
    .await;

    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(forum_actions(&app, &fx).await, Vec::<Value>::new());
}

#[tokio::test]
async fn an_action_agreed_alone_is_not_due_before_its_meeting() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, housing) = held_with_item(&app, &fx).await;

    let refused = app
        .post(
            &format!("/api/v1/agenda-items/{housing}/actions"),
            Some(&fx.secretary.access),
            json!({"title": "Map beds", "due_on": "2020-01-31"}),
        )
        .await;

    refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields = refused.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["due_on", "owner_organisation_id"], "both at once");
    assert_eq!(forum_actions(&app, &fx).await, Vec::<Value>::new());
}
