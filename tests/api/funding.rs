//! Where the money goes: the accountability report's funding figures,
//! worked out by hand from a small set of awards.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::id;
use crate::support::{ForumFixture, TestApp, TestUser};

async fn organisation(
    app: &TestApp,
    by: &TestUser,
    name: &str,
    size: &str,
    supply_chain: bool,
    groups: &[&str],
) -> String {
    let made = app
        .post(
            "/api/v1/organisations",
            Some(&by.access),
            json!({"name": name, "size_band": size, "in_supply_chain": supply_chain,
                   "led_by_and_for": groups, "themes": ["women"],
                   "regions_served": ["kent-surrey-sussex"]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    id(&made.json())
}

async fn opportunity(
    app: &TestApp,
    fx: &ForumFixture,
    mechanism: &str,
    commitment: Uuid,
) -> String {
    let today = convene::consultations::london_today(app.state.clock.now());
    let made = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({"title": format!("{mechanism} for the plan"), "description": "",
                   "mechanism": mechanism, "commissioner": "probation",
                   "value_band": "10k-100k", "opens_on": today - Duration::days(60),
                   "closes_on": today - Duration::days(30), "localities": [],
                   "themes": ["women"], "commitment_ids": [commitment]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    id(&made.json())
}

async fn award(app: &TestApp, fx: &ForumFixture, opportunity: &str, body: Value) {
    app.post(
        &format!("/api/v1/opportunities/{opportunity}/awards"),
        Some(&fx.rpd_staff.access),
        body,
    )
    .await
    .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn the_report_shows_where_the_money_went_as_each_organisation_stood_at_its_award() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2021-22")
        .await;
    let mut commitments = Vec::new();
    for reference in ["KSS-WOM-1", "KSS-ACC-1", "KSS-ACC-2"] {
        commitments.push(
            app.commitment(&fx.rpd_staff, plan, reference, "women", "specific")
                .await,
        );
    }
    let small = organisation(
        &app,
        &fx.admin,
        "Sisters Together",
        "micro",
        false,
        &["women", "racially-minoritised-people"],
    )
    .await;
    let large = organisation(&app, &fx.admin, "Big Provider", "large", true, &[]).await;
    let grant = opportunity(&app, &fx, "grant", commitments[0]).await;
    let contract = opportunity(&app, &fx, "contract", commitments[1]).await;
    opportunity(&app, &fx, "co-commission", commitments[2]).await;
    award(
        &app,
        &fx,
        &grant,
        json!({"organisation_id": small, "amount_pence": 2_000_000}),
    )
    .await;
    award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 1_000_000}),
    )
    .await;
    award(
        &app,
        &fx,
        &contract,
        json!({"organisation_id": large, "amount_pence": 7_000_000}),
    )
    .await;
    // Grown since: the award keeps what it was.
    app.patch(
        &format!("/api/v1/organisations/{small}"),
        Some(&fx.admin.access),
        json!({"size_band": "large", "in_supply_chain": true}),
    )
    .await
    .assert_status(StatusCode::OK);

    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    let funding = &report["funding"];
    assert_eq!(funding["awards"], 3);
    assert_eq!(funding["value_pence"], 10_000_000);
    assert_eq!(
        funding["by_mechanism"],
        json!([
            {"mechanism": "grant", "awards": 2, "value_pence": 3_000_000},
            {"mechanism": "contract", "awards": 1, "value_pence": 7_000_000},
            {"mechanism": "co-commission", "awards": 0, "value_pence": 0},
            {"mechanism": "dynamic-framework", "awards": 0, "value_pence": 0},
        ])
    );
    assert_eq!(funding["small_and_micro_value_pence"], 2_000_000);
    assert_eq!(funding["small_and_micro_share"], 0.2);
    assert_eq!(funding["outside_supply_chain_value_pence"], 2_000_000);
    assert_eq!(funding["outside_supply_chain_share"], 0.2);
    let groups: Vec<(String, u64)> = funding["by_group"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|g| g["awards"].as_u64().unwrap_or(0) > 0)
        .map(|g| {
            (
                g["group"].as_str().unwrap_or_default().to_string(),
                g["value_pence"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("racially-minoritised-people".to_string(), 2_000_000),
            ("women".to_string(), 2_000_000)
        ]
    );
    assert_eq!(funding["commitments_with_funding"], 2);
    assert_eq!(funding["commitments_without_funding"], 1);

    let matrix = app.get("/api/v1/accountability/themes", None).await.json();
    let kss = matrix["regions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["region"]["code"] == "kent-surrey-sussex")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        kss["funding"],
        json!({"awards": 3, "value_pence": 10_000_000,
               "small_and_micro_share": 0.2, "outside_supply_chain_share": 0.2})
    );
    let wales = matrix["regions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["region"]["code"] == "wales")
        .cloned()
        .unwrap_or_default();
    assert_eq!(wales["funding"]["awards"], 0);
}

#[tokio::test]
async fn a_region_s_opportunities_are_an_atom_feed_newest_first_without_the_withdrawn() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2021-22")
        .await;
    let commitment = app
        .commitment(&fx.rpd_staff, plan, "KSS-WOM-1", "women", "specific")
        .await;
    let grant = opportunity(&app, &fx, "grant", commitment).await;
    let contract = opportunity(&app, &fx, "contract", commitment).await;
    let withdrawn = opportunity(&app, &fx, "co-commission", commitment).await;
    app.request_with_headers(
        axum::http::Method::PATCH,
        &format!("/api/v1/opportunities/{withdrawn}"),
        Some(&fx.rpd_staff.access),
        &[("if-match", "\"1\"")],
        Some(json!({"status": "withdrawn", "withdrawn_reason": "Budget moved"})),
    )
    .await
    .assert_status(StatusCode::OK);

    let path = "/api/v1/regions/kent-surrey-sussex/opportunities.atom";
    let response = app.get(path, None).await;
    response.assert_status(StatusCode::OK);
    let feed = feed_rs::parser::parse(response.body.as_ref()).expect("an Atom feed");
    let authors: Vec<&str> = feed.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(authors, ["Probation Service, Kent, Surrey and Sussex"]);
    let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        ids,
        [format!("urn:uuid:{contract}"), format!("urn:uuid:{grant}")]
    );
    let text = feed.entries[1]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(
        text.starts_with("Mechanism: grant\nCommissioner: probation\n"),
        "{text}"
    );
    let etag = response.header("etag").expect("an ETag").to_string();
    let again = app
        .request_with_headers(
            axum::http::Method::GET,
            path,
            None,
            &[("if-none-match", &etag)],
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    app.get("/api/v1/regions/atlantis/opportunities.atom", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}
