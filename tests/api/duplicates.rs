//! A duplicate is decided by the database's unique index, and its 409 says
//! which value is taken: the region of a second forum, the state of the
//! open membership an organisation already has.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn a_second_forum_of_a_region_names_the_region() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_forum(&admin, "wales", "Wales Forum").await;

    let second = app
        .post(
            "/api/v1/forums",
            Some(&admin.access),
            json!({"region": "wales", "name": "Another Wales Forum"}),
        )
        .await;

    let problem = second.assert_problem(StatusCode::CONFLICT);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("`wales`"), "{detail}");
}

#[tokio::test]
async fn a_second_application_names_the_organisation_and_its_open_membership() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, _) = app.organisation_member("Steadfast").await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);
    app.post(&path, Some(&founder.access), json!({"statement": "First"}))
        .await
        .assert_status(StatusCode::CREATED);

    let again = app
        .post(&path, Some(&founder.access), json!({"statement": "Second"}))
        .await;

    let problem = again.assert_problem(StatusCode::CONFLICT);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("Steadfast") && detail.contains("applied"),
        "{detail}"
    );
}
