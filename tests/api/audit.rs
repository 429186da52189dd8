use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestApp, organisation_body};

fn actions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str().map(String::from))
        .collect()
}

#[tokio::test]
async fn each_write_records_who_did_what_to_which_record() {
    let app = TestApp::spawn().await;
    let sam = app.registered_user("Sam").await;
    let org = app
        .post(
            "/api/v1/organisations",
            Some(&sam.access),
            organisation_body("Sam's charity"),
        )
        .await
        .json()["id"]
        .clone();
    let org = org.as_str().unwrap_or_default();
    app.patch(
        &format!("/api/v1/organisations/{org}"),
        Some(&sam.access),
        json!({"size_band": "medium"}),
    )
    .await;
    let admin = app.admin().await;

    let page = app
        .get(
            &format!("/api/v1/audit?actor_id={}", sam.id),
            Some(&admin.access),
        )
        .await;

    page.assert_status(StatusCode::OK);
    let page = page.json();
    // Newest first.
    assert_eq!(
        actions(&page),
        [
            "organisation.updated",
            "organisation.created",
            "session.started",
            "user.email-verified",
            "user.registered"
        ]
    );
    let update = &page["items"][0];
    assert_eq!(update["entity"], "organisation");
    assert_eq!(update["entity_id"], json!(org));
    assert_eq!(
        update["changes"]["size_band"],
        json!({"from": "small", "to": "medium"})
    );
    assert!(
        update["changes"].get("name").is_none(),
        "only changed fields are recorded"
    );
}

#[tokio::test]
async fn the_audit_trail_filters_by_entity_and_record() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, org) = app.organisation_member("Sam").await;

    let organisations = app
        .get("/api/v1/audit?entity=organisation", Some(&admin.access))
        .await
        .json();
    let this_one = app
        .get(
            &format!("/api/v1/audit?entity_id={org}"),
            Some(&admin.access),
        )
        .await
        .json();

    assert_eq!(actions(&organisations), ["organisation.created"]);
    assert_eq!(actions(&this_one), ["organisation.created"]);
}

#[tokio::test]
async fn events_stored_under_an_old_snake_case_name_are_found_under_the_new_one() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let item = uuid::Uuid::now_v7();
    entity::audit_event::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        actor_id: Set(None),
        action: Set("agenda_item.proposed".into()),
        entity: Set("agenda_item".into()),
        entity_id: Set(item),
        forum_id: Set(None),
        changes: Set(json!({})),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(app.db())
    .await
    .expect("an old event");

    app.replay_migrations_from("m20261207_000027_audit_entity_names")
        .await;
    let found = app
        .get("/api/v1/audit?entity=agenda-item", Some(&admin.access))
        .await
        .json();

    assert_eq!(actions(&found), ["agenda_item.proposed"]);
    assert_eq!(found["items"][0]["entity"], "agenda-item");
    assert_eq!(found["items"][0]["entity_id"], item.to_string());
}

#[tokio::test]
async fn the_audit_trail_pages_without_overlap() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["A", "B", "C", "D"] {
        app.registered_user(name).await;
    }
    let all = actions(
        &app.get("/api/v1/audit?limit=200", Some(&admin.access))
            .await
            .json(),
    );

    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit?limit=2&cursor={c}"),
            None => "/api/v1/audit?limit=2".to_string(),
        };
        let page = app.get(&path, Some(&admin.access)).await.json();
        paged.extend(actions(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }

    assert!(all.len() >= 8);
    assert_eq!(paged, all);
}

#[tokio::test]
async fn a_refused_write_records_no_audit_event() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_forum(&admin, "wales", "Wales Third Sector Forum")
        .await;
    // A region has one forum: the unique key refuses the second, in the
    // write's own transaction.
    app.post(
        "/api/v1/forums",
        Some(&admin.access),
        json!({"region": "wales", "name": "A second Welsh forum"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);

    let page = app
        .get("/api/v1/audit?entity=forum", Some(&admin.access))
        .await
        .json();

    let created = actions(&page)
        .iter()
        .filter(|a| *a == "forum.created")
        .count();
    assert_eq!(created, 1, "the first forum, not the refused second");
}

#[tokio::test]
async fn only_admins_read_the_whole_audit_trail() {
    let app = TestApp::spawn().await;
    let (sam, _) = app.organisation_member("Sam").await;

    app.get("/api/v1/audit", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/audit", Some(&sam.access))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_in_events_are_audited() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    app.login(&sam.email, "a wrong password").await;
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": sam.refresh}),
    )
    .await;
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": sam.refresh}),
    )
    .await;
    let admin = app.admin().await;

    let page = app
        .get("/api/v1/audit?entity=session", Some(&admin.access))
        .await
        .json();
    let failures = app
        .get(
            &format!("/api/v1/audit?entity_id={}", sam.id),
            Some(&admin.access),
        )
        .await
        .json();

    let session_actions = actions(&page);
    assert!(session_actions.contains(&"session.refreshed".to_string()));
    assert!(session_actions.contains(&"session.revoked".to_string()));
    assert!(actions(&failures).contains(&"user.login-failed".to_string()));
}
