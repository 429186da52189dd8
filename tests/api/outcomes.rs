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
