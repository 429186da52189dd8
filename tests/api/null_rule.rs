//! One patch rule everywhere: `null` clears a field that may be empty and is
//! refused (422, naming the field) for one that may not — never silently
//! taken for "leave it".

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn an_action_refuses_null_for_its_title_and_status_and_clears_its_due_date() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let due = (chrono::Utc::now() + Duration::days(10)).date_naive();
    let made = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map move-on beds", "description": "Across Kent", "due_on": due}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    let path = format!(
        "/api/v1/actions/{}",
        made.json()["id"].as_str().unwrap_or_default()
    );

    let title = app
        .patch(&path, Some(&fx.secretary.access), json!({"title": null}))
        .await;
    let status = app
        .patch(&path, Some(&fx.secretary.access), json!({"status": null}))
        .await;
    let description = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"description": null}),
        )
        .await;
    let due_on = app
        .patch(&path, Some(&fx.secretary.access), json!({"due_on": null}))
        .await;

    assert_eq!(title.invalid_fields(), ["title"]);
    assert_eq!(status.invalid_fields(), ["status"]);
    assert_eq!(description.invalid_fields(), ["description"]);
    due_on.assert_status(StatusCode::OK);
    let now = app.get(&path, Some(&fx.secretary.access)).await.json();
    assert_eq!(now["title"], "Map move-on beds");
    assert_eq!(now["description"], "Across Kent");
    assert_eq!(now["due_on"], json!(null));
}

#[tokio::test]
async fn a_consultation_refuses_null_for_its_title_and_clears_its_source() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let today = convene::consultations::london_today(app.state.clock.now());
    let made = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": "Strengthening probation",
                "consulting_body": "Ministry of Justice",
                "source_url": "https://www.gov.uk/consultations/probation",
                "closes_on": today + Duration::days(30),
                "internal_deadline": today + Duration::days(14),
                "questions": [{"text": "Do you agree?"}],
            }),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    let path = format!(
        "/api/v1/consultations/{}",
        made.json()["id"].as_str().unwrap_or_default()
    );

    let mut refused = Vec::new();
    for field in [
        "title",
        "consulting_body",
        "description",
        "closes_on",
        "status",
    ] {
        let answer = app
            .patch(&path, Some(&fx.secretary.access), json!({ field: null }))
            .await;
        refused.extend(answer.invalid_fields());
    }
    let source = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"source_url": null}),
        )
        .await;

    assert_eq!(
        refused,
        [
            "title",
            "consulting_body",
            "description",
            "closes_on",
            "status"
        ]
    );
    source.assert_status(StatusCode::OK);
    assert_eq!(source.json()["source_url"], json!(null));
    assert_eq!(source.json()["title"], "Strengthening probation");
}
