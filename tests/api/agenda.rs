use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, TestUser};

async fn add(app: &TestApp, by: &TestUser, meeting: Uuid, title: &str, minutes: i32) -> Value {
    let response = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&by.access),
            json!({"title": title, "presenter": "Sam", "minutes_allotted": minutes}),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

fn titles(agenda: &Value) -> Vec<(String, String)> {
    agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["title"].as_str().unwrap_or_default().to_string(),
                i["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn members_propose_and_the_secretary_accepts_or_declines() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;

    let welcome = add(&app, &fx.secretary, meeting, "Welcome", 10).await;
    let housing = add(&app, &fx.member, meeting, "Housing on release", 30).await;
    let probation = add(&app, &fx.rpd_staff, meeting, "Probation update", 20).await;
    assert_eq!(welcome["status"], "accepted");
    assert_eq!(housing["status"], "proposed");
    assert_eq!(housing["position"], json!(null));

    let accepted = app
        .patch(
            &format!(
                "/api/v1/agenda-items/{}",
                housing["id"].as_str().unwrap_or_default()
            ),
            Some(&fx.chair.access),
            json!({"status": "accepted"}),
        )
        .await;
    let declined = app
        .patch(
            &format!(
                "/api/v1/agenda-items/{}",
                probation["id"].as_str().unwrap_or_default()
            ),
            Some(&fx.secretary.access),
            json!({"status": "declined"}),
        )
        .await;
    let again = app
        .patch(
            &format!(
                "/api/v1/agenda-items/{}",
                probation["id"].as_str().unwrap_or_default()
            ),
            Some(&fx.secretary.access),
            json!({"status": "accepted"}),
        )
        .await;

    accepted.assert_status(StatusCode::OK);
    assert_eq!(accepted.json()["position"], 2);
    declined.assert_status(StatusCode::OK);
    again.assert_problem(StatusCode::CONFLICT);
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.observer.access),
        )
        .await
        .json();
    assert_eq!(
        titles(&agenda),
        [
            ("Welcome".to_string(), "accepted".to_string()),
            ("Housing on release".to_string(), "accepted".to_string()),
            ("Probation update".to_string(), "declined".to_string())
        ]
    );
    assert_eq!(agenda["total_minutes_allotted"], 40);
    assert_eq!(agenda["meeting_minutes"], 120);
    assert_eq!(agenda["minutes_over"], 0);
}

#[tokio::test]
async fn the_agenda_shows_when_it_runs_over_the_meeting() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    add(&app, &fx.secretary, meeting, "Long item", 100).await;
    add(&app, &fx.secretary, meeting, "Another", 45).await;

    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
        )
        .await
        .json();

    assert_eq!(agenda["total_minutes_allotted"], 145);
    assert_eq!(agenda["minutes_over"], 25);
}

#[tokio::test]
async fn the_order_must_name_exactly_the_accepted_items() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let a = add(&app, &fx.secretary, meeting, "A", 5).await["id"].clone();
    let b = add(&app, &fx.secretary, meeting, "B", 5).await["id"].clone();
    let c = add(&app, &fx.secretary, meeting, "C", 5).await["id"].clone();
    let proposal = add(&app, &fx.member, meeting, "Proposal", 5).await["id"].clone();
    let path = format!("/api/v1/meetings/{meeting}/agenda-order");
    let order = |ids: Value| {
        app.request(
            Method::PUT,
            &path,
            Some(&fx.secretary.access),
            Some(json!({"item_ids": ids})),
        )
    };

    let missing = order(json!([a, b])).await;
    let twice = order(json!([a, b, c, c])).await;
    let with_proposal = order(json!([a, b, c, proposal])).await;
    let good = order(json!([c, a, b])).await;

    assert_eq!(missing.invalid_fields(), ["item_ids"]);
    assert_eq!(twice.invalid_fields(), ["item_ids"]);
    assert_eq!(with_proposal.invalid_fields(), ["item_ids"]);
    good.assert_status(StatusCode::OK);
    let names: Vec<String> = titles(&good.json()).into_iter().map(|(t, _)| t).collect();
    assert_eq!(names, ["C", "A", "B", "Proposal"]);
}

#[tokio::test]
async fn bad_agenda_items_are_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;

    let response = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
            json!({"title": "", "minutes_allotted": 0}),
        )
        .await;

    let mut fields = response.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["minutes_allotted", "title"]);
}

#[tokio::test]
async fn once_held_only_the_secretary_changes_the_agenda() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -1).await;
    let item = add(&app, &fx.secretary, meeting, "Item", 10).await;
    let item_path = format!(
        "/api/v1/agenda-items/{}",
        item["id"].as_str().unwrap_or_default()
    );
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let proposal = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
            json!({"title": "Late"}),
        )
        .await;
    let chair_edit = app
        .patch(
            &item_path,
            Some(&fx.chair.access),
            json!({"title": "Edited"}),
        )
        .await;
    let secretary_edit = app
        .patch(
            &item_path,
            Some(&fx.secretary.access),
            json!({"title": "Corrected"}),
        )
        .await;

    proposal.assert_problem(StatusCode::CONFLICT);
    chair_edit.assert_problem(StatusCode::CONFLICT);
    secretary_edit.assert_status(StatusCode::OK);
    app.request(Method::DELETE, &item_path, Some(&fx.secretary.access), None)
        .await
        .assert_status(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_cancelled_meetings_agenda_is_closed() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Snow"}),
    )
    .await;

    app.post(
        &format!("/api/v1/meetings/{meeting}/agenda-items"),
        Some(&fx.secretary.access),
        json!({"title": "Too late"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn agenda_items_link_commitments_of_their_own_region() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let ours = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    let welsh_plan = app.plan(&fx.admin, "wales", "Welsh plan").await;
    let theirs = app
        .commitment(&fx.admin, welsh_plan, "WAL-WOM-1", "women", "specific")
        .await;
    let path = format!("/api/v1/meetings/{meeting}/agenda-items");

    let linked = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Housing", "commitment_ids": [ours]}),
        )
        .await;
    let cross = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Wales", "commitment_ids": [theirs]}),
        )
        .await;

    linked.assert_status(StatusCode::CREATED);
    assert_eq!(linked.json()["commitment_ids"], json!([ours]));
    assert_eq!(cross.invalid_fields(), ["commitment_ids[0]"]);
    let item = linked.json()["id"].as_str().unwrap_or_default().to_string();
    let cleared = app
        .patch(
            &format!("/api/v1/agenda-items/{item}"),
            Some(&fx.secretary.access),
            json!({"commitment_ids": []}),
        )
        .await;
    assert_eq!(cleared.json()["commitment_ids"], json!([]));
    let agenda = app.get(&path, Some(&fx.member.access)).await.json();
    assert_eq!(agenda["items"][0]["commitment_ids"], json!([]));
}
