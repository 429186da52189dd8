use axum::http::StatusCode;
use serde_json::json;

use crate::support::{TestApp, organisation_body};

#[tokio::test]
async fn an_admin_creates_the_forum_of_a_region() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    let response = app
        .post(
            "/api/v1/forums",
            Some(&admin.access),
            json!({"region": "wales", "name": "Wales Forum", "description": "Third sector partners", "terms_of_reference": "## Purpose"}),
        )
        .await;

    response.assert_status(StatusCode::CREATED);
    let forum = response.json();
    assert_eq!(forum["region"], "wales");
    assert_eq!(forum["issue_response_days"], 28);
    assert_eq!(forum["terms_of_reference"], "## Purpose");
    let read = app
        .get(
            &format!(
                "/api/v1/forums/{}",
                forum["id"].as_str().unwrap_or_default()
            ),
            None,
        )
        .await;
    read.assert_status(StatusCode::OK);
    assert_eq!(read.json()["name"], "Wales Forum");
}

#[tokio::test]
async fn a_region_has_one_forum() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_forum(&admin, "london", "London Forum").await;

    let second = app
        .post(
            "/api/v1/forums",
            Some(&admin.access),
            json!({"region": "london", "name": "Another"}),
        )
        .await;

    second.assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn creating_a_forum_checks_its_fields() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    let bad = app
        .post(
            "/api/v1/forums",
            Some(&admin.access),
            json!({"region": "wales", "name": "", "issue_response_days": 91}),
        )
        .await;
    let zero = app
        .post(
            "/api/v1/forums",
            Some(&admin.access),
            json!({"region": "wales", "name": "W", "issue_response_days": 0}),
        )
        .await;
    let unknown_region = app
        .post(
            "/api/v1/forums",
            Some(&admin.access),
            json!({"region": "atlantis", "name": "A"}),
        )
        .await;

    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["issue_response_days", "name"]);
    assert_eq!(zero.invalid_fields(), ["issue_response_days"]);
    assert_eq!(unknown_region.invalid_fields(), ["region"]);
}

#[tokio::test]
async fn forums_are_listed_by_name_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (region, name) in [
        ("wales", "Cymru"),
        ("london", "Anchor"),
        ("north-east", "Beacon"),
    ] {
        app.create_forum(&admin, region, name).await;
    }

    let first = app.get("/api/v1/forums?limit=2", None).await.json();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = app
        .get(&format!("/api/v1/forums?limit=2&cursor={cursor}"), None)
        .await
        .json();

    assert_eq!(first["items"][0]["name"], "Anchor");
    assert_eq!(first["items"][1]["name"], "Beacon");
    assert_eq!(second["items"][0]["name"], "Cymru");
    assert_eq!(second["items"][0]["region"], "wales");
    assert_eq!(second["next_cursor"], json!(null));
}

#[tokio::test]
async fn an_unknown_forum_is_404() {
    let app = TestApp::spawn().await;

    app.get(&format!("/api/v1/forums/{}", uuid::Uuid::now_v7()), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_secretary_edits_the_profile_but_not_the_settings() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}", fx.forum);

    let profile = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"description": "Meets quarterly", "terms_of_reference": "## Who we are"}),
        )
        .await;
    let settings = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"description": "x", "name": "Renamed"}),
        )
        .await;

    profile.assert_status(StatusCode::OK);
    assert_eq!(profile.json()["terms_of_reference"], "## Who we are");
    settings.assert_problem(StatusCode::FORBIDDEN);
    let forum = app.get(&path, None).await.json();
    assert_eq!(forum["name"], "KSS Voluntary Sector Forum");
    assert_eq!(forum["description"], "Meets quarterly");
}

#[tokio::test]
async fn the_forum_shows_how_far_it_reaches_beyond_the_supply_chain() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Beyond the fixture's member (small, outside the supply chain, lived experience):
    for (name, band, in_chain, led_by) in [
        ("Big Provider", "major", true, json!([])),
        (
            "Women's Centre",
            "medium",
            false,
            json!(["women", "lived-experience"]),
        ),
        ("Pending", "micro", false, json!(["young-people"])),
    ] {
        let mut body = organisation_body(name);
        body["size_band"] = json!(band);
        body["in_supply_chain"] = json!(in_chain);
        body["led_by_and_for"] = led_by;
        let org = app
            .post("/api/v1/organisations", Some(&fx.admin.access), body)
            .await
            .json();
        let membership = app
            .post(
                &format!("/api/v1/forums/{}/memberships", fx.forum),
                Some(&fx.admin.access),
                json!({"organisation_id": org["id"], "statement": "Joining"}),
            )
            .await
            .json();
        if name != "Pending" {
            let id = membership["id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or_default();
            app.set_membership(&fx.admin, fx.forum, id, json!({"status": "active"}))
                .await
                .assert_status(StatusCode::OK);
        }
    }

    let summary = app
        .get(&format!("/api/v1/forums/{}", fx.forum), None)
        .await
        .json()["membership_summary"]
        .clone();

    assert_eq!(summary["active_member_organisations"], 3);
    assert_eq!(summary["outside_supply_chain"], 2);
    assert_eq!(summary["in_supply_chain"], 1);
    assert_eq!(
        summary["by_size_band"],
        json!({"large": 0, "major": 1, "medium": 1, "micro": 0, "small": 1})
    );
    assert_eq!(summary["by_led_by_and_for"]["lived-experience"], 2);
    assert_eq!(summary["by_led_by_and_for"]["women"], 1);
    assert_eq!(
        summary["by_led_by_and_for"]["young-people"], 0,
        "applications do not count"
    );
    assert_eq!(summary["by_led_by_and_for"]["lgbtq"], 0);
}

#[tokio::test]
async fn forum_changes_are_in_the_forums_audit_trail_for_its_officers() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture_through_api().await;
    app.patch(
        &format!("/api/v1/forums/{}", fx.forum),
        Some(&fx.chair.access),
        json!({"description": "New"}),
    )
    .await;

    let trail = app
        .get(
            &format!("/api/v1/audit?forum_id={}", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let elsewhere = app
        .get(
            &format!("/api/v1/audit?forum_id={}", fx.other_forum),
            Some(&fx.secretary.access),
        )
        .await;

    let actions: Vec<&str> = trail["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions.first(), Some(&"forum.updated"));
    assert!(
        actions.contains(&"membership.applied")
            && actions.contains(&"role.assigned")
            && actions.contains(&"forum.created")
    );
    assert!(
        trail["items"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| e["forum_id"] == json!(fx.forum))
    );
    elsewhere.assert_problem(StatusCode::FORBIDDEN);
}

/// A region's forum created several times at the same moment is created
/// once; the others are 409, never 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_regions_forum_created_several_times_at_once_is_created_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let served = app.serve().await;

    let statuses = served
        .race(8, |i, client, base| {
            client
                .post(format!("{base}/api/v1/forums"))
                .bearer_auth(&admin.access)
                .json(&json!({"region": "north-east", "name": format!("North East Forum {i}")}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::CREATED),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CONFLICT),
        7,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn a_forums_fields_refuse_null_and_control_characters() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}", fx.forum);

    let mut refused = Vec::new();
    for field in [
        "name",
        "description",
        "terms_of_reference",
        "issue_response_days",
    ] {
        let response = app
            .patch(&path, Some(&fx.admin.access), json!({ field: null }))
            .await;
        refused.extend(response.invalid_fields());
    }
    let name = app
        .patch(
            &path,
            Some(&fx.admin.access),
            json!({"name": "KSS\nForum", "terms_of_reference": "# Terms\n\n1. Meet\tquarterly\u{0}"}),
        )
        .await;
    let markdown = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"terms_of_reference": "# Terms\r\n\n1. Meet\tquarterly", "description": "Line one\nLine two"}),
        )
        .await;

    assert_eq!(
        refused,
        [
            "name",
            "description",
            "terms_of_reference",
            "issue_response_days"
        ]
    );
    let mut fields = name.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["name", "terms_of_reference"]);
    markdown.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_forum_patch_that_changes_nothing_writes_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}", fx.forum);
    let before = app.get(&path, None).await.json();

    let same = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"description": before["description"]}),
        )
        .await;

    same.assert_status(StatusCode::OK);
    assert_eq!(same.json()["updated_at"], before["updated_at"]);
}
