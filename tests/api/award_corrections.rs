//! Awards are bounded, corrected and withdrawn: an amount no sum can
//! overflow, a typo put right with a reason (kept in the award's history
//! and the audit trail), a withdrawal that leaves every report — and the
//! region's report follows at once.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::matrix::check_row;
use crate::support::id;
use crate::support::{Caller, ForumFixture, TestApp, TestResponse};

use Caller::*;

const REPORT: &str = "/api/v1/regions/kent-surrey-sussex/accountability";

/// A grant of the Kent, Surrey and Sussex region that has closed.
async fn grant(app: &TestApp, fx: &ForumFixture) -> String {
    let today = convene::consultations::london_today(app.state.clock.now());
    let made = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({"title": "Women's centres grant", "description": "",
                   "mechanism": "grant", "commissioner": "probation",
                   "value_band": "10k-100k", "opens_on": today - Duration::days(60),
                   "closes_on": today - Duration::days(30), "localities": [],
                   "themes": ["women"]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    id(&made.json())
}

async fn award(app: &TestApp, fx: &ForumFixture, grant: &str, body: Value) -> TestResponse {
    app.post(
        &format!("/api/v1/opportunities/{grant}/awards"),
        Some(&fx.rpd_staff.access),
        body,
    )
    .await
}

async fn correct(
    app: &TestApp,
    token: Option<&str>,
    award: &str,
    if_match: Option<&str>,
    body: Value,
) -> TestResponse {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.request_with_headers(
        Method::PATCH,
        &format!("/api/v1/awards/{award}"),
        token,
        &headers,
        Some(body),
    )
    .await
}

/// A micro organisation outside the supply chain, led by and for women.
async fn micro_women_led_charity(app: &TestApp, fx: &ForumFixture) -> String {
    let made = app
        .post(
            "/api/v1/organisations",
            Some(&fx.admin.access),
            json!({"name": "Sisters Together", "size_band": "micro", "in_supply_chain": false,
                   "led_by_and_for": ["women"], "themes": ["women"],
                   "regions_served": ["kent-surrey-sussex"]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    id(&made.json())
}

async fn funding(app: &TestApp) -> Value {
    let report = app.get(REPORT, None).await;
    report.assert_status(StatusCode::OK);
    report.json()["funding"].clone()
}

#[tokio::test]
async fn an_amount_no_sum_could_hold_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;

    let huge = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": i64::MAX}),
    )
    .await;
    let just_over = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 100_000_000_001_i64}),
    )
    .await;
    let at_the_bound = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 100_000_000_000_i64}),
    )
    .await;
    let opportunity = app
        .patch(
            &format!("/api/v1/opportunities/{grant}"),
            Some(&fx.rpd_staff.access),
            json!({"amount_pence": i64::MAX}),
        )
        .await;

    assert_eq!(huge.invalid_fields(), ["amount_pence"]);
    assert_eq!(just_over.invalid_fields(), ["amount_pence"]);
    at_the_bound.assert_status(StatusCode::CREATED);
    assert_eq!(opportunity.invalid_fields(), ["amount_pence"]);
}

/// Amounts written before they were bounded (the largest a 64-bit integer
/// holds, twice) no longer break the region's report or the national
/// matrix for everyone: sums cannot overflow.
#[tokio::test]
async fn amounts_from_before_the_bound_do_not_break_the_reports() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;
    for _ in 0..2 {
        let made = award(
            &app,
            &fx,
            &grant,
            json!({"recipient_name": "Kent County Council", "amount_pence": 1000}),
        )
        .await;
        let stored = entity::award::ActiveModel {
            id: Set(id(&made.json()).parse::<Uuid>().expect("a uuid")),
            amount_pence: Set(i64::MAX),
            ..Default::default()
        };
        stored.update(app.db()).await.expect("an amount of old");
    }

    let report = app.get(REPORT, None).await;
    let matrix = app.get("/api/v1/accountability/themes", None).await;

    report.assert_status(StatusCode::OK);
    matrix.assert_status(StatusCode::OK);
    let value = report.json()["funding"]["value_pence"]
        .as_i64()
        .unwrap_or(0);
    assert_eq!(value, i64::MAX, "saturated, not wrapped or refused");
}

#[tokio::test]
async fn a_mistyped_award_is_corrected_with_a_reason_and_the_report_follows() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;
    let charity = micro_women_led_charity(&app, &fx).await;
    let council = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 1_000_000}),
    )
    .await;
    let council = id(&council.json());
    // £1,000,000 typed where £10,000 was meant.
    let typo = award(
        &app,
        &fx,
        &grant,
        json!({"organisation_id": charity, "amount_pence": 100_000_000}),
    )
    .await;
    let typo = id(&typo.json());
    let before = funding(&app).await;

    let without_reason = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &typo,
        Some("\"1\""),
        json!({"amount_pence": 1_000_000}),
    )
    .await;
    let without_if_match = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &typo,
        None,
        json!({"amount_pence": 1_000_000, "reason": "Typed in the wrong unit"}),
    )
    .await;
    let corrected = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &typo,
        Some("\"1\""),
        json!({"amount_pence": 1_000_000, "reason": "£10,000 was typed as £1,000,000"}),
    )
    .await;
    let stale = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &typo,
        Some("\"1\""),
        json!({"amount_pence": 2_000_000, "reason": "Written on an old read"}),
    )
    .await;
    let two_recipients = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &council,
        Some("\"1\""),
        json!({"organisation_id": charity, "reason": "The charity, not the council"}),
    )
    .await;
    let after = funding(&app).await;

    assert_eq!(before["value_pence"], 101_000_000);
    assert_eq!(without_reason.invalid_fields(), ["reason"]);
    without_if_match.assert_problem(StatusCode::PRECONDITION_REQUIRED);
    corrected.assert_status(StatusCode::OK);
    assert_eq!(corrected.header("etag"), Some("\"2\""));
    assert_eq!(corrected.json()["amount_pence"], 1_000_000);
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(two_recipients.invalid_fields(), ["recipient_name"]);
    assert_eq!(after["value_pence"], 2_000_000);
    assert_eq!(after["small_and_micro_value_pence"], 1_000_000);
    assert_eq!(after["small_and_micro_share"], 0.5);
    let history = app
        .get(&format!("/api/v1/awards/{typo}/revisions"), None)
        .await
        .json();
    let steps: Vec<(Value, Value, Value)> = history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["version"].clone(),
                r["amount_pence"].clone(),
                r["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            (json!(1), json!(100_000_000), json!(null)),
            (
                json!(2),
                json!(1_000_000),
                json!("£10,000 was typed as £1,000,000")
            ),
        ]
    );
    let audit = app
        .get(
            &format!("/api/v1/audit?entity=award&entity_id={typo}"),
            Some(&fx.admin.access),
        )
        .await
        .json();
    let newest = &audit["items"][0];
    assert_eq!(newest["action"], "award.corrected");
    assert_eq!(
        newest["changes"]["reason"],
        "£10,000 was typed as £1,000,000"
    );
    assert_eq!(newest["changes"]["amount_pence"]["from"], 100_000_000);
}

#[tokio::test]
async fn an_award_corrected_to_another_recipient_takes_its_standing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;
    let charity = micro_women_led_charity(&app, &fx).await;
    let made = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 1_000_000}),
    )
    .await;

    let corrected = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &id(&made.json()),
        Some("\"1\""),
        json!({"organisation_id": charity, "recipient_name": null,
               "reason": "The charity was funded, not the council"}),
    )
    .await;

    corrected.assert_status(StatusCode::OK);
    let out = corrected.json();
    assert_eq!(out["recipient_name"], json!(null));
    assert_eq!(out["size_band"], "micro");
    assert_eq!(out["in_supply_chain"], false);
    assert_eq!(out["led_by_and_for"], json!(["women"]));
    let after = funding(&app).await;
    assert_eq!(after["small_and_micro_share"], 1.0);
    let women = after["by_group"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["group"] == "women")
        .cloned()
        .unwrap_or_default();
    assert_eq!(women["value_pence"], 1_000_000);
}

#[tokio::test]
async fn a_withdrawn_award_counts_in_no_report_and_cannot_change() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;
    let made = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 1_000_000}),
    )
    .await;
    let award_id = id(&made.json());
    let awarded = app
        .get(&format!("/api/v1/opportunities/{grant}"), None)
        .await
        .json();

    let withdrawn = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &award_id,
        Some("\"1\""),
        json!({"status": "withdrawn", "reason": "Recorded under the wrong opportunity"}),
    )
    .await;
    let again = correct(
        &app,
        Some(&fx.rpd_staff.access),
        &award_id,
        Some("\"2\""),
        json!({"amount_pence": 5, "reason": "Too late"}),
    )
    .await;

    assert_eq!(awarded["status"], "awarded");
    withdrawn.assert_status(StatusCode::OK);
    assert_eq!(withdrawn.json()["status"], "withdrawn");
    assert_eq!(
        withdrawn.json()["withdrawn_reason"],
        "Recorded under the wrong opportunity"
    );
    again.assert_problem(StatusCode::CONFLICT);
    let after = funding(&app).await;
    assert_eq!(
        (after["awards"].clone(), after["value_pence"].clone()),
        (json!(0), json!(0))
    );
    // Its last standing award gone, the opportunity is no longer awarded.
    let now = app
        .get(&format!("/api/v1/opportunities/{grant}"), None)
        .await
        .json();
    assert_eq!(now["status"], "closed");
    // Still listed, marked withdrawn.
    let listed = app
        .get(&format!("/api/v1/opportunities/{grant}/awards"), None)
        .await
        .json();
    assert_eq!(listed["items"][0]["status"], "withdrawn");
}

#[tokio::test]
async fn who_may_correct_an_award() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;
    let made = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 1_000_000}),
    )
    .await;
    let award_id = id(&made.json());
    let one = format!("/api/v1/awards/{award_id}");

    check_row(
        "GET /awards/{id}",
        |_| StatusCode::OK,
        async |caller| app.get(&one, fx.token(caller)).await,
    )
    .await;
    check_row(
        "GET /awards/{id}/revisions",
        |_| StatusCode::OK,
        async |caller| app.get(&format!("{one}/revisions"), fx.token(caller)).await,
    )
    .await;
    // Another region's RPD staff (Wales) are refused like everyone but the
    // region's own and admins.
    check_row(
        "PATCH /awards/{id}",
        |caller| match caller {
            Public => StatusCode::UNAUTHORIZED,
            RpdStaff | Admin => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        },
        async |caller| {
            correct(
                &app,
                fx.token(caller),
                &award_id,
                Some("*"),
                json!({"amount_pence": 1_500_000, "reason": format!("By {caller:?}")}),
            )
            .await
        },
    )
    .await;
    app.get(&format!("/api/v1/awards/{}", Uuid::now_v7()), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

/// Two corrections from the same read: the database's conditional update
/// lets one through; the other is told the award changed (412).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_corrections_from_one_read_one_is_made() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let grant = grant(&app, &fx).await;
    let made = award(
        &app,
        &fx,
        &grant,
        json!({"recipient_name": "Kent County Council", "amount_pence": 1_000_000}),
    )
    .await;
    let award_id = id(&made.json());
    let served = app.serve().await;

    let statuses = served
        .race(8, |i, client, base| {
            client
                .patch(format!("{base}/api/v1/awards/{award_id}"))
                .bearer_auth(&fx.rpd_staff.access)
                .header("if-match", "\"1\"")
                .json(&json!({"amount_pence": 2_000_000 + i, "reason": format!("Correction {i}")}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::PRECONDITION_FAILED),
        7,
        "{statuses:?}"
    );
    let history = app
        .get(&format!("/api/v1/awards/{award_id}/revisions"), None)
        .await
        .json();
    assert_eq!(history["items"].as_array().map_or(0, Vec::len), 2);
}
