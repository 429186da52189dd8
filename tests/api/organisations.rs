use axum::http::StatusCode;
use serde_json::json;

use crate::support::{TestApp, organisation_body};

#[tokio::test]
async fn a_user_without_an_organisation_registers_one_and_is_linked_to_it() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let response = app
        .post(
            "/api/v1/organisations",
            Some(&sam.access),
            organisation_body("Second Chances"),
        )
        .await;

    response.assert_status(StatusCode::CREATED);
    let org = response.json();
    assert_eq!(org["name"], "Second Chances");
    assert_eq!(org["size_band"], "small");
    assert_eq!(org["led_by_and_for"], json!(["lived-experience"]));
    assert_eq!(org["themes"], json!(["women", "accommodation"]));
    assert_eq!(org["regions_served"], json!(["wales"]));
    assert_eq!(org["in_supply_chain"], false);
    let me = app.get("/api/v1/me", Some(&sam.access)).await.json();
    assert_eq!(me["organisation_id"], org["id"]);
}

#[tokio::test]
async fn a_user_who_already_has_an_organisation_cannot_register_another() {
    let app = TestApp::spawn().await;
    let (sam, _) = app.organisation_member("Sam").await;

    let response = app
        .post(
            "/api/v1/organisations",
            Some(&sam.access),
            organisation_body("Another"),
        )
        .await;

    response.assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_admin_registers_organisations_without_being_linked() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    app.post(
        "/api/v1/organisations",
        Some(&admin.access),
        organisation_body("One"),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.post(
        "/api/v1/organisations",
        Some(&admin.access),
        organisation_body("Two"),
    )
    .await
    .assert_status(StatusCode::CREATED);

    assert_eq!(
        app.get("/api/v1/me", Some(&admin.access)).await.json()["organisation_id"],
        json!(null)
    );
}

#[tokio::test]
async fn registering_an_organisation_checks_every_field() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut body = organisation_body("");
    body["website"] = json!("javascript:alert(1)");
    body["regions_served"] = json!(["wales", "atlantis"]);

    let response = app
        .post("/api/v1/organisations", Some(&sam.access), body)
        .await;
    let bad_band = app
        .post("/api/v1/organisations", Some(&sam.access), {
            let mut b = organisation_body("Fine");
            b["size_band"] = json!("enormous");
            b
        })
        .await;

    let mut fields = response.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["name", "website"]);
    assert_eq!(bad_band.invalid_fields(), ["size_band"]);
    // Region codes are checked against the database once the fields are well-formed.
    let unknown_region = app
        .post("/api/v1/organisations", Some(&sam.access), {
            let mut b = organisation_body("Fine");
            b["regions_served"] = json!(["wales", "atlantis"]);
            b
        })
        .await;
    assert_eq!(unknown_region.invalid_fields(), ["regions_served[1]"]);
    assert_eq!(
        app.get("/api/v1/me", Some(&sam.access)).await.json()["organisation_id"],
        json!(null)
    );
}

#[tokio::test]
async fn a_charity_number_belongs_to_one_organisation() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut body = organisation_body("First");
    body["charity_number"] = json!("1234567");
    app.post("/api/v1/organisations", Some(&admin.access), body.clone())
        .await
        .assert_status(StatusCode::CREATED);
    body["name"] = json!("Copycat");

    app.post("/api/v1/organisations", Some(&admin.access), body)
        .await
        .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn organisations_are_for_signed_in_users() {
    let app = TestApp::spawn().await;
    let (_, org) = app.organisation_member("Sam").await;

    app.get("/api/v1/organisations", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get(&format!("/api/v1/organisations/{org}"), None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.post("/api/v1/organisations", None, organisation_body("X"))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.patch(
        &format!("/api/v1/organisations/{org}"),
        None,
        json!({"name": "X"}),
    )
    .await
    .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn any_signed_in_user_reads_an_organisation() {
    let app = TestApp::spawn().await;
    let (_, org) = app.organisation_member("Sam").await;
    let other = app.user("Other").await;

    let response = app
        .get(&format!("/api/v1/organisations/{org}"), Some(&other.access))
        .await;

    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["name"], "Sam's charity");
    app.get(
        &format!("/api/v1/organisations/{}", uuid::Uuid::now_v7()),
        Some(&other.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_organisations_own_people_edit_it() {
    let app = TestApp::spawn().await;
    let (sam, org) = app.organisation_member("Sam").await;

    let response = app
        .patch(
            &format!("/api/v1/organisations/{org}"),
            Some(&sam.access),
            json!({"size_band": "micro", "themes": ["finance-debt"], "website": null, "in_supply_chain": true}),
        )
        .await;

    response.assert_status(StatusCode::OK);
    let updated = response.json();
    assert_eq!(updated["size_band"], "micro");
    assert_eq!(updated["themes"], json!(["finance-debt"]));
    assert_eq!(updated["website"], json!(null));
    assert_eq!(updated["in_supply_chain"], true);
    // Untouched fields stay as they were.
    assert_eq!(updated["led_by_and_for"], json!(["lived-experience"]));
    assert_eq!(updated["regions_served"], json!(["wales"]));
    assert_eq!(updated["name"], "Sam's charity");
}

#[tokio::test]
async fn another_organisations_user_cannot_edit_it_but_an_admin_can() {
    let app = TestApp::spawn().await;
    let (_, org) = app.organisation_member("Sam").await;
    let (outsider, _) = app.organisation_member("Outsider").await;
    let loner = app.user("Loner").await;
    let admin = app.admin().await;
    let path = format!("/api/v1/organisations/{org}");

    app.patch(&path, Some(&outsider.access), json!({"name": "Hijacked"}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.patch(&path, Some(&loner.access), json!({"name": "Hijacked"}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.patch(&path, Some(&admin.access), json!({"name": "Renamed"}))
        .await
        .assert_status(StatusCode::OK);

    assert_eq!(
        app.get(&path, Some(&loner.access)).await.json()["name"],
        "Renamed"
    );
}

#[tokio::test]
async fn patching_an_unknown_organisation_is_404() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    app.patch(
        &format!("/api/v1/organisations/{}", uuid::Uuid::now_v7()),
        Some(&admin.access),
        json!({"name": "X"}),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn organisations_are_listed_by_name_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for name in ["Cedar", "Aspen", "Birch", "Aspen"] {
        app.post(
            "/api/v1/organisations",
            Some(&admin.access),
            organisation_body(name),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }

    let first = app
        .get("/api/v1/organisations?limit=3", Some(&admin.access))
        .await
        .json();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = app
        .get(
            &format!("/api/v1/organisations?limit=3&cursor={cursor}"),
            Some(&admin.access),
        )
        .await
        .json();

    let names = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["name"].as_str().map(String::from))
            .collect()
    };
    assert_eq!(names(&first), ["Aspen", "Aspen", "Birch"]);
    assert_eq!(names(&second), ["Cedar"]);
    assert_eq!(second["next_cursor"], json!(null));
}

#[tokio::test]
async fn organisations_can_be_filtered_by_region_served() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut london = organisation_body("London Lifeline");
    london["regions_served"] = json!(["london"]);
    app.post("/api/v1/organisations", Some(&admin.access), london)
        .await;
    app.post(
        "/api/v1/organisations",
        Some(&admin.access),
        organisation_body("Cymru Cares"),
    )
    .await;

    let page = app
        .get("/api/v1/organisations?region=london", Some(&admin.access))
        .await
        .json();
    let unknown = app
        .get("/api/v1/organisations?region=atlantis", Some(&admin.access))
        .await;

    let items = page["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "London Lifeline");
    // A filter is a parameter, not a path: an unknown code is invalid input.
    unknown.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
}

/// One charity number registered several times at the same moment belongs
/// to one organisation; the others are 409, never 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_charity_number_registered_several_times_at_once_belongs_to_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let served = app.serve().await;

    let statuses = served
        .race(8, |i, client, base| {
            let mut body = organisation_body(&format!("Claimant {i}"));
            body["charity_number"] = json!("7654321");
            client
                .post(format!("{base}/api/v1/organisations"))
                .bearer_auth(&admin.access)
                .json(&body)
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

/// A person registering organisations in several tabs at once is linked to
/// one of them, and the others are not created.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_person_registering_organisations_at_once_is_linked_to_one() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let admin = app.admin().await;
    let served = app.serve().await;

    let statuses = served
        .race(6, |i, client, base| {
            client
                .post(format!("{base}/api/v1/organisations"))
                .bearer_auth(&sam.access)
                .json(&organisation_body(&format!("Sam's charity {i}")))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::CREATED),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CONFLICT),
        5,
        "{statuses:?}"
    );
    let all = app
        .get("/api/v1/organisations?limit=200", Some(&admin.access))
        .await
        .json();
    let mine: Vec<_> = all["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["name"].as_str().is_some_and(|n| n.starts_with("Sam's")))
        .collect();
    assert_eq!(mine.len(), 1);
    let me = app.get("/api/v1/me", Some(&sam.access)).await.json();
    assert_eq!(me["organisation_id"], mine[0]["id"]);
}

#[tokio::test]
async fn an_organisations_fields_refuse_null_where_they_cannot_be_cleared() {
    let app = TestApp::spawn().await;
    let (sam, org) = app.organisation_member("Sam").await;
    let path = format!("/api/v1/organisations/{org}");

    let mut refused = Vec::new();
    for field in [
        "name",
        "description",
        "size_band",
        "led_by_and_for",
        "themes",
        "in_supply_chain",
        "regions_served",
    ] {
        let response = app
            .patch(&path, Some(&sam.access), json!({ field: null }))
            .await;
        refused.extend(response.invalid_fields());
    }
    let cleared = app
        .patch(
            &path,
            Some(&sam.access),
            json!({"website": null, "charity_number": null, "themes": []}),
        )
        .await;
    let control = app
        .patch(
            &path,
            Some(&sam.access),
            json!({"name": "Sam's\u{0}charity", "charity_number": "12\n34", "website": "https://x.example/\u{0}"}),
        )
        .await;

    assert_eq!(
        refused,
        [
            "name",
            "description",
            "size_band",
            "led_by_and_for",
            "themes",
            "in_supply_chain",
            "regions_served"
        ]
    );
    cleared.assert_status(StatusCode::OK);
    assert_eq!(cleared.json()["website"], json!(null));
    assert_eq!(cleared.json()["themes"], json!([]));
    let mut fields = control.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["charity_number", "name", "website"]);
}
