use axum::http::StatusCode;
use serde_json::json;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn only_admins_manage_users() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let path = format!("/api/v1/users/{}", sam.id);

    app.get("/api/v1/users", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/users", Some(&sam.access))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.get(&path, Some(&sam.access))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.patch(&path, Some(&sam.access), json!({"is_admin": true}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/me", Some(&sam.access)).await.json()["is_admin"],
        false
    );
}

#[tokio::test]
async fn an_admin_lists_users_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["Ann", "Bob", "Cat"] {
        app.user(name).await;
    }

    let first = app.get("/api/v1/users?limit=2", Some(&admin.access)).await;
    first.assert_status(StatusCode::OK);
    let first = first.json();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = app
        .get(
            &format!("/api/v1/users?limit=2&cursor={cursor}"),
            Some(&admin.access),
        )
        .await
        .json();

    let count = |page: &serde_json::Value| page["items"].as_array().map_or(0, Vec::len);
    assert_eq!(count(&first) + count(&second), 4);
    assert_eq!(second["next_cursor"], json!(null));
    let ids: std::collections::HashSet<_> = first["items"]
        .as_array()
        .into_iter()
        .chain(second["items"].as_array())
        .flatten()
        .map(|u| u["id"].clone())
        .collect();
    assert_eq!(ids.len(), 4, "pages must not overlap");
}

#[tokio::test]
async fn an_admin_links_a_user_to_an_organisation_and_makes_them_admin() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (_, org) = app.organisation_member("Founder").await;
    let sam = app.user("Sam").await;
    let path = format!("/api/v1/users/{}", sam.id);

    let response = app
        .patch(
            &path,
            Some(&admin.access),
            json!({"organisation_id": org, "is_admin": true}),
        )
        .await;

    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["organisation_id"], json!(org));
    assert_eq!(response.json()["is_admin"], true);
    let unlinked = app
        .patch(&path, Some(&admin.access), json!({"organisation_id": null}))
        .await
        .json();
    assert_eq!(unlinked["organisation_id"], json!(null));
    let filtered = app
        .get(
            &format!("/api/v1/users?organisation_id={org}"),
            Some(&admin.access),
        )
        .await
        .json();
    assert_eq!(filtered["items"].as_array().map_or(0, Vec::len), 1);
}

#[tokio::test]
async fn linking_to_an_unknown_organisation_is_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sam = app.user("Sam").await;

    let response = app
        .patch(
            &format!("/api/v1/users/{}", sam.id),
            Some(&admin.access),
            json!({"organisation_id": uuid::Uuid::now_v7()}),
        )
        .await;

    assert_eq!(response.invalid_fields(), ["organisation_id"]);
}

#[tokio::test]
async fn an_admin_cannot_disable_or_demote_themselves() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let path = format!("/api/v1/users/{}", admin.id);

    assert_eq!(
        app.patch(&path, Some(&admin.access), json!({"disabled": true}))
            .await
            .invalid_fields(),
        ["disabled"]
    );
    assert_eq!(
        app.patch(&path, Some(&admin.access), json!({"is_admin": false}))
            .await
            .invalid_fields(),
        ["is_admin"]
    );
}

#[tokio::test]
async fn disabling_and_re_enabling_a_user() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sam = app.user("Sam").await;
    let path = format!("/api/v1/users/{}", sam.id);

    app.patch(&path, Some(&admin.access), json!({"disabled": true}))
        .await
        .assert_status(StatusCode::OK);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    let disabled = app
        .get("/api/v1/users?disabled=true", Some(&admin.access))
        .await
        .json();
    assert_eq!(disabled["items"].as_array().map_or(0, Vec::len), 1);

    app.patch(&path, Some(&admin.access), json!({"disabled": false}))
        .await
        .assert_status(StatusCode::OK);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_user_is_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let path = format!("/api/v1/users/{}", uuid::Uuid::now_v7());

    app.get(&path, Some(&admin.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.patch(&path, Some(&admin.access), json!({"disabled": true}))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_cannot_null_or_break_a_users_name() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sam = app.user("Sam").await;
    let path = format!("/api/v1/users/{}", sam.id);

    let mut refused = Vec::new();
    for field in ["display_name", "is_admin", "disabled"] {
        let response = app
            .patch(&path, Some(&admin.access), json!({ field: null }))
            .await;
        refused.extend(response.invalid_fields());
    }
    let broken = app
        .patch(
            &path,
            Some(&admin.access),
            json!({"display_name": "Sam\r\nAdmin"}),
        )
        .await;
    let unchanged = app
        .patch(
            &path,
            Some(&admin.access),
            json!({"display_name": "Sam", "disabled": false}),
        )
        .await;

    assert_eq!(refused, ["display_name", "is_admin", "disabled"]);
    assert_eq!(broken.invalid_fields(), ["display_name"]);
    unchanged.assert_status(StatusCode::OK);
    let before = app.get(&path, Some(&admin.access)).await.json();
    assert_eq!(unchanged.json()["updated_at"], before["updated_at"]);
}
