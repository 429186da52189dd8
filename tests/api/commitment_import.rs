//! Commitments imported from a spreadsheet: matched on reference, every row
//! checked before anything is written, all or nothing, a dry run that
//! writes nothing, and an export that imports back unchanged.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use entity::{commitment, commitment_status_change};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::matrix::{FORBIDDEN, OK, UNAUTHORISED, check_row};
use crate::support::{Caller, ForumFixture, TestApp, TestResponse};

use Caller::*;

const HEADER: &str = "reference,theme,firmness,status,target,due_on,text\n";

async fn import(
    app: &TestApp,
    token: Option<&str>,
    plan: Uuid,
    body: impl Into<Body>,
    dry_run: bool,
) -> TestResponse {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(format!(
            "/api/v1/plans/{plan}/commitments/import?dry_run={dry_run}"
        ))
        .header(header::CONTENT_TYPE, "text/csv");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    app.send(request.body(body.into()).expect("a request"))
        .await
}

async fn kss_plan(app: &TestApp, fx: &ForumFixture) -> Uuid {
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2021-22")
        .await;
    for (reference, theme, firmness) in [
        ("KSS-ACC-1", "accommodation", "specific"),
        ("KSS-ACC-2", "accommodation", "general"),
        ("KSS-WOM-1", "women", "general"),
    ] {
        app.commitment(&fx.rpd_staff, plan, reference, theme, firmness)
            .await;
    }
    plan
}

async fn commitments(app: &TestApp, plan: Uuid) -> Vec<Value> {
    app.get(&format!("/api/v1/plans/{plan}/commitments?limit=200"), None)
        .await
        .json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn errors(response: &TestResponse) -> Vec<(u64, Option<String>)> {
    let problem = response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["row"].as_u64().unwrap_or(0),
                e["column"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_exported_plan_imports_back_without_changing_anything() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = kss_plan(&app, &fx).await;
    let before = commitments(&app, plan).await;
    let history = commitment_status_change::Entity::find()
        .count(app.db())
        .await
        .expect("history");

    let exported = app
        .get_csv(&format!("/api/v1/plans/{plan}/commitments"), None)
        .await;
    exported.assert_status(StatusCode::OK);
    let imported = import(
        &app,
        Some(&fx.rpd_staff.access),
        plan,
        exported.body.clone(),
        false,
    )
    .await;

    imported.assert_status(StatusCode::OK);
    let out = imported.json();
    assert_eq!(
        (&out["created"], &out["updated"], &out["unchanged"]),
        (&json!(0), &json!(0), &json!(3))
    );
    assert_eq!(commitments(&app, plan).await, before, "versions and all");
    assert_eq!(
        commitment_status_change::Entity::find()
            .count(app.db())
            .await
            .expect("history"),
        history
    );
}

#[tokio::test]
async fn rows_are_matched_on_reference_and_a_dry_run_writes_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = kss_plan(&app, &fx).await;
    let csv = format!(
        "{HEADER}\
         KSS-ACC-1,accommodation,specific,in-progress,90% housed on release,2022-03-31,Commitment KSS-ACC-1\n\
         KSS-ACC-2,accommodation,general,,,,Commitment KSS-ACC-2\n\
         KSS-RACE-1,race-equality,mention,,,,\"Refers to people with protected characteristics, \"\"in general\"\".\"\n"
    );

    let dry = import(&app, Some(&fx.rpd_staff.access), plan, csv.clone(), true).await;
    dry.assert_status(StatusCode::OK);
    let dry = dry.json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(
        (
            &dry["created"],
            &dry["updated"],
            &dry["unchanged"],
            &dry["status_changes"]
        ),
        (&json!(1), &json!(1), &json!(1), &json!(1))
    );
    assert_eq!(
        dry["rows"],
        json!([
            {"row": 2, "reference": "KSS-ACC-1", "action": "updated",
             "changed": ["target", "due_on", "status"]},
            {"row": 4, "reference": "KSS-RACE-1", "action": "created", "changed": []},
        ])
    );
    assert_eq!(commitments(&app, plan).await.len(), 3, "nothing written");

    let done = import(&app, Some(&fx.rpd_staff.access), plan, csv, false).await;
    done.assert_status(StatusCode::OK);
    let after = commitments(&app, plan).await;
    assert_eq!(after.len(), 4);
    let acc1 = after
        .iter()
        .find(|c| c["reference"] == "KSS-ACC-1")
        .expect("KSS-ACC-1");
    assert_eq!(
        (
            &acc1["status"],
            &acc1["target"],
            &acc1["due_on"],
            &acc1["version"]
        ),
        (
            &json!("in-progress"),
            &json!("90% housed on release"),
            &json!("2022-03-31"),
            &json!(2)
        )
    );
    let race = after
        .iter()
        .find(|c| c["reference"] == "KSS-RACE-1")
        .expect("KSS-RACE-1");
    assert_eq!(
        race["text"],
        "Refers to people with protected characteristics, \"in general\"."
    );
    // The status change is in the commitment's history, the import its note.
    let history = app
        .get(
            &format!(
                "/api/v1/commitments/{}/history",
                acc1["id"].as_str().unwrap_or("")
            ),
            None,
        )
        .await
        .json();
    let last = history["items"]
        .as_array()
        .and_then(|items| items.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["to_status"], "in-progress");
    assert!(
        last["note"]
            .as_str()
            .unwrap_or_default()
            .starts_with("imported from a spreadsheet on "),
        "{last}"
    );
    // The report counts what the import added.
    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    let race_equality = report["themes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["theme"] == "race-equality")
        .cloned()
        .unwrap_or_default();
    assert_eq!(race_equality["commitments"]["mention"], 1);
}

#[tokio::test]
async fn every_bad_row_is_named_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = kss_plan(&app, &fx).await;
    let token = Some(fx.rpd_staff.access.as_str());

    let bad = format!(
        "{HEADER}\
         KSS-NEW-1,accommodation,specific,,,,A good row\n\
         KSS-NEW-2,housing,specific,,,,An unknown theme\n\
         KSS-NEW-3,women,firm,done,,31/03/2022,Bad firmness status and date\n\
         KSS-NEW-1,women,general,,,,The same reference again\n\
         KSS-NEW-4,women,general\n\
         ,women,general,,,,\n"
    );
    let refused = import(&app, token, plan, bad, false).await;
    assert_eq!(
        errors(&refused),
        [
            (3, Some("theme".into())),
            (4, Some("firmness".into())),
            (4, Some("status".into())),
            (4, Some("due_on".into())),
            (5, Some("reference".into())),
            (6, None),
            (7, Some("reference".into())),
            (7, Some("text".into())),
        ]
    );
    assert_eq!(
        commitments(&app, plan).await.len(),
        3,
        "not even the good row"
    );

    // No header: the first row is data.
    let headless = "KSS-NEW-1,accommodation,specific,,,,A row\n";
    let missing = errors(&import(&app, token, plan, headless, false).await);
    assert!(
        missing.iter().all(|(row, _)| *row == 1) && missing.len() >= 4,
        "{missing:?}"
    );
    // Not UTF-8 (a spreadsheet saved as Latin-1).
    let mut latin1 = format!("{HEADER}KSS-NEW-1,women,general,,,,Caf").into_bytes();
    latin1.extend_from_slice(b"\xe9 partnerships\n");
    assert_eq!(
        errors(&import(&app, token, plan, latin1, false).await),
        [(2, None)]
    );
    // A spreadsheet's byte-order mark is not part of the first column's name.
    let bom = format!("\u{feff}{HEADER}KSS-NEW-1,women,general,,,,With a BOM\n");
    import(&app, token, plan, bom, true)
        .await
        .assert_status(StatusCode::OK);
    // Only CSV.
    let json_body = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/plans/{plan}/commitments/import"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", fx.rpd_staff.access),
        )
        .body(Body::from("[]"))
        .expect("a request");
    app.send(json_body)
        .await
        .assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_superseded_plan_takes_no_import_and_only_the_region_s_rpd_staff_import() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let old = kss_plan(&app, &fx).await;
    let current = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2022-23")
        .await;
    let row = format!("{HEADER}KSS-ACC-9,accommodation,specific,,,,Another\n");
    import(&app, Some(&fx.rpd_staff.access), old, row.clone(), false)
        .await
        .assert_problem(StatusCode::CONFLICT);

    check_row(
        "POST /plans/{id}/commitments/import",
        |caller| match caller {
            Public => UNAUTHORISED,
            RpdStaff | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| import(&app, fx.token(caller), current, row.clone(), true).await,
    )
    .await;
}

#[tokio::test]
async fn ten_thousand_rows_are_imported_in_one_transaction() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2021-22")
        .await;
    let themes = ["accommodation", "women", "families", "commissioning"];
    let mut csv = HEADER.to_string();
    for n in 0..10_000 {
        csv.push_str(&format!(
            "KSS-{n:05},{},general,,,,\"Commitment number {n} of the plan: work with the \
             voluntary sector on it, and report on it to the forum every quarter\"\n",
            themes[n % themes.len()]
        ));
    }

    assert!(csv.len() > 1024 * 1024, "larger than a JSON body may be");
    let done = import(&app, Some(&fx.rpd_staff.access), plan, csv, false).await;

    done.assert_status(StatusCode::OK);
    assert_eq!(done.json()["created"], 10_000);
    let stored = commitment::Entity::find()
        .count(app.db())
        .await
        .expect("commitments");
    assert_eq!(stored, 10_000);
}

/// A file with every cell wrong is answered with the first 100 bad cells,
/// in order, and how many there are in all — not a document of megabytes.
#[tokio::test]
async fn a_file_of_bad_cells_lists_the_first_hundred_and_counts_the_rest() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = kss_plan(&app, &fx).await;
    let mut csv = HEADER.to_string();
    for n in 0..5_000 {
        csv.push_str(&format!("KSS-{n:05},housing,firm,done,,31/03/2022,Text\n"));
    }

    let refused = import(&app, Some(&fx.rpd_staff.access), plan, csv, false).await;

    let listed = errors(&refused);
    let problem = refused.json();
    assert_eq!(listed.len(), 100);
    assert_eq!(listed[0], (2, Some("theme".into())));
    assert!(
        listed.windows(2).all(|pair| pair[0].0 <= pair[1].0),
        "in row order"
    );
    assert_eq!(problem["errors_total"], 20_000);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("20000") && d.contains("first 100")),
        "{problem}"
    );
    assert!(
        refused.body.len() < 32 * 1024,
        "{} bytes",
        refused.body.len()
    );
}

/// A file over the import's own limit is told that limit, not a JSON
/// body's.
#[tokio::test]
async fn a_file_over_sixteen_mebibytes_is_refused_with_that_limit() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = kss_plan(&app, &fx).await;
    let row = "KSS-00001,women,general,,,,\"A long commitment\"\n";
    let csv = format!("{HEADER}{}", row.repeat(17 * 1024 * 1024 / row.len()));

    let refused = import(&app, Some(&fx.rpd_staff.access), plan, csv, false).await;

    let problem = refused.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("16 MiB") && !detail.contains("1 MiB,"),
        "{detail}"
    );
}
