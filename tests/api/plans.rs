use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::TestApp;

fn refs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["reference"].as_str().map(String::from))
        .collect()
}

#[tokio::test]
async fn the_regions_rpd_staff_publish_a_plan_that_anyone_reads() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let response = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/plans",
            Some(&fx.rpd_staff.access),
            json!({"title": "KSS Regional Reducing Reoffending Plan 2021-22", "period": "2021-22",
                   "published_on": "2021-08-31", "source_url": "https://example.org/kss-plan.pdf"}),
        )
        .await;

    response.assert_status(StatusCode::CREATED);
    let plan = response.json();
    assert_eq!(plan["status"], "current");
    assert_eq!(plan["region"], "kent-surrey-sussex");
    let id = plan["id"].as_str().unwrap_or_default();
    app.get(&format!("/api/v1/plans/{id}"), None)
        .await
        .assert_status(StatusCode::OK);
    let list = app
        .get("/api/v1/regions/kent-surrey-sussex/plans", None)
        .await
        .json();
    assert_eq!(list["items"][0]["id"], plan["id"]);
}

#[tokio::test]
async fn publishing_a_new_plan_supersedes_the_current_one_and_keeps_its_commitments() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let old = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "2021-22 plan")
        .await;
    let kept = app
        .commitment(&fx.rpd_staff, old, "KSS-ACC-1", "accommodation", "specific")
        .await;

    let new = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "2022-23 plan")
        .await;

    assert_eq!(
        app.get(&format!("/api/v1/plans/{old}"), None).await.json()["status"],
        "superseded"
    );
    assert_eq!(
        app.get(&format!("/api/v1/plans/{new}"), None).await.json()["status"],
        "current"
    );
    app.get(&format!("/api/v1/commitments/{kept}"), None)
        .await
        .assert_status(StatusCode::OK);
    // Another region's current plan is untouched.
    let welsh = app.plan(&fx.admin, "wales", "Wales plan").await;
    app.plan(&fx.admin, "london", "London plan").await;
    assert_eq!(
        app.get(&format!("/api/v1/plans/{welsh}"), None)
            .await
            .json()["status"],
        "current"
    );
}

#[tokio::test]
async fn a_plan_is_checked_and_corrected() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let bad = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/plans",
            Some(&fx.rpd_staff.access),
            json!({"title": "", "period": "2021-22", "source_url": "ftp://x"}),
        )
        .await;
    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["source_url", "title"]);
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "Draft title")
        .await;

    let fixed = app
        .patch(
            &format!("/api/v1/plans/{plan}"),
            Some(&fx.rpd_staff.access),
            json!({"title": "Final title", "source_url": null}),
        )
        .await;

    fixed.assert_status(StatusCode::OK);
    assert_eq!(fixed.json()["title"], "Final title");
    app.get("/api/v1/regions/atlantis/plans", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn commitments_are_listed_by_reference_and_filtered() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    for (reference, theme, firmness) in [
        ("KSS-WOM-1", "women", "general"),
        ("KSS-ACC-2", "accommodation", "specific"),
        ("KSS-ACC-1", "accommodation", "specific"),
        ("KSS-RACE-1", "race-equality", "mention"),
    ] {
        app.commitment(&fx.rpd_staff, plan, reference, theme, firmness)
            .await;
    }
    let path = format!("/api/v1/plans/{plan}/commitments");

    let first = app.get(&format!("{path}?limit=3"), None).await.json();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = app
        .get(&format!("{path}?limit=3&cursor={cursor}"), None)
        .await
        .json();
    let accommodation = app
        .get(&format!("{path}?theme=accommodation"), None)
        .await
        .json();
    let mentions = app
        .get(&format!("{path}?firmness=mention"), None)
        .await
        .json();
    let started = app
        .get(&format!("{path}?status=in-progress"), None)
        .await
        .json();

    assert_eq!(refs(&first), ["KSS-ACC-1", "KSS-ACC-2", "KSS-RACE-1"]);
    assert_eq!(refs(&second), ["KSS-WOM-1"]);
    assert_eq!(refs(&accommodation), ["KSS-ACC-1", "KSS-ACC-2"]);
    assert_eq!(refs(&mentions), ["KSS-RACE-1"]);
    assert!(refs(&started).is_empty());
}

#[tokio::test]
async fn a_reference_is_unique_within_its_plan() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let other = app.plan(&fx.admin, "wales", "Welsh plan").await;
    app.commitment(
        &fx.rpd_staff,
        plan,
        "KSS-ACC-1",
        "accommodation",
        "specific",
    )
    .await;
    let second = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-2",
            "accommodation",
            "specific",
        )
        .await;

    let duplicate = app
        .post(
            &format!("/api/v1/plans/{plan}/commitments"),
            Some(&fx.rpd_staff.access),
            json!({"reference": "KSS-ACC-1", "theme": "women", "firmness": "general", "text": "x"}),
        )
        .await;
    let renamed_onto = app
        .patch(
            &format!("/api/v1/commitments/{second}"),
            Some(&fx.rpd_staff.access),
            json!({"reference": "KSS-ACC-1"}),
        )
        .await;

    duplicate.assert_problem(StatusCode::CONFLICT);
    renamed_onto.assert_problem(StatusCode::CONFLICT);
    app.commitment(&fx.admin, other, "KSS-ACC-1", "accommodation", "specific")
        .await;
}

#[tokio::test]
async fn a_status_change_needs_a_note_and_is_kept_in_the_history() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let c = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    let path = format!("/api/v1/commitments/{c}");

    let silent = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "in-progress"}),
        )
        .await;
    let noted = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "in-progress", "status_note": "CAS3 beds commissioned"}),
        )
        .await;
    let done = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "partly-achieved", "status_note": "82% housed on first night"}),
        )
        .await;

    assert_eq!(silent.invalid_fields(), ["status_note"]);
    noted.assert_status(StatusCode::OK);
    assert_eq!(done.json()["status"], "partly-achieved");
    assert_eq!(done.header("etag"), Some("\"3\""));
    let history = app.get(&format!("{path}/history"), None).await.json();
    let steps: Vec<(Value, Value, Value)> = history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            (
                h["from_status"].clone(),
                h["to_status"].clone(),
                h["note"].clone(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            (
                json!(null),
                json!("not-started"),
                json!("added to the plan")
            ),
            (
                json!("not-started"),
                json!("in-progress"),
                json!("CAS3 beds commissioned")
            ),
            (
                json!("in-progress"),
                json!("partly-achieved"),
                json!("82% housed on first night")
            ),
        ]
    );
}

#[tokio::test]
async fn a_stale_if_match_on_a_commitment_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let c = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    app.patch(
        &format!("/api/v1/commitments/{c}"),
        Some(&fx.rpd_staff.access),
        json!({"target": "90% on first night"}),
    )
    .await;
    let stale = app
        .request_with_headers(
            Method::PATCH,
            &format!("/api/v1/commitments/{c}"),
            Some(&fx.admin.access),
            &[("if-match", "\"1\"")],
            Some(json!({"target": "overwritten"})),
        )
        .await;

    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        app.get(&format!("/api/v1/commitments/{c}"), None)
            .await
            .json()["target"],
        "90% on first night"
    );
}

#[tokio::test]
async fn bad_commitments_are_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;

    let response = app
        .post(
            &format!("/api/v1/plans/{plan}/commitments"),
            Some(&fx.rpd_staff.access),
            json!({"reference": "", "theme": "space", "firmness": "general", "text": "x"}),
        )
        .await;

    assert_eq!(response.invalid_fields(), ["theme"]);
    let response = app
        .post(
            &format!("/api/v1/plans/{plan}/commitments"),
            Some(&fx.rpd_staff.access),
            json!({"reference": "", "theme": "women", "firmness": "general", "text": ""}),
        )
        .await;
    let mut fields = response.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["reference", "text"]);
}

#[tokio::test]
async fn commitments_answer_csv_for_a_spreadsheet() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    for (reference, theme) in [
        ("KSS-ACC-1", "accommodation"),
        ("KSS-WOM-1", "women"),
        ("KSS-ACC-2", "accommodation"),
    ] {
        app.commitment(&fx.rpd_staff, plan, reference, theme, "specific")
            .await;
    }
    let response = app
        .get_csv(
            &format!("/api/v1/plans/{plan}/commitments?theme=accommodation&limit=1"),
            None,
        )
        .await;

    response.assert_status(StatusCode::OK);
    let mut reader = csv::Reader::from_reader(response.body.as_ref());
    let headers = reader.headers().cloned().unwrap_or_default();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap_or(usize::MAX);
    let rows: Vec<(String, String)> = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| {
            (
                r.get(at("reference")).unwrap_or_default().into(),
                r.get(at("theme")).unwrap_or_default().into(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("KSS-ACC-1".into(), "accommodation".into()),
            ("KSS-ACC-2".into(), "accommodation".into())
        ]
    );
}

async fn commitment_in_kss(app: &TestApp) -> (crate::support::ForumFixture, String) {
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let c = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    (fx, format!("/api/v1/commitments/{c}"))
}

#[tokio::test]
async fn a_commitment_patch_that_changes_nothing_keeps_its_etag_and_history() {
    let app = TestApp::spawn().await;
    let (fx, path) = commitment_in_kss(&app).await;

    let same = app
        .request_with_headers(
            Method::PATCH,
            &path,
            Some(&fx.rpd_staff.access),
            &[("if-match", "\"1\"")],
            Some(json!({"reference": "KSS-ACC-1", "status": "not-started", "theme": "accommodation"})),
        )
        .await;
    let empty = app
        .patch(&path, Some(&fx.rpd_staff.access), json!({}))
        .await;

    same.assert_status(StatusCode::OK);
    assert_eq!(same.header("etag"), Some("\"1\""));
    assert_eq!(empty.header("etag"), Some("\"1\""));
    assert_eq!(app.get(&path, None).await.header("etag"), Some("\"1\""));
    let history = app.get(&format!("{path}/history"), None).await.json();
    assert_eq!(history["items"].as_array().map_or(0, Vec::len), 1);
}

/// A note sent without a move of status (alone, or with the status the
/// commitment already has) is kept in the history as a step from the status
/// to itself, never dropped; it raises the version like any other change.
#[tokio::test]
async fn a_note_without_a_status_change_is_kept_in_the_history() {
    let app = TestApp::spawn().await;
    let (fx, path) = commitment_in_kss(&app).await;

    let alone = app
        .request_with_headers(
            Method::PATCH,
            &path,
            Some(&fx.rpd_staff.access),
            &[("if-match", "\"1\"")],
            Some(json!({"status_note": "Commissioning starts in March"})),
        )
        .await;
    let with_same_status = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "not-started", "status_note": "Funding agreed in principle"}),
        )
        .await;
    let stale = app
        .request_with_headers(
            Method::PATCH,
            &path,
            Some(&fx.rpd_staff.access),
            &[("if-match", "\"1\"")],
            Some(json!({"status_note": "Written on an old read"})),
        )
        .await;

    alone.assert_status(StatusCode::OK);
    assert_eq!(alone.header("etag"), Some("\"2\""));
    assert_eq!(with_same_status.json()["status"], "not-started");
    assert_eq!(with_same_status.header("etag"), Some("\"3\""));
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    let history = app.get(&format!("{path}/history"), None).await.json();
    let steps: Vec<(Value, Value, Value)> = history["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            (
                h["from_status"].clone(),
                h["to_status"].clone(),
                h["note"].clone(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            (
                json!(null),
                json!("not-started"),
                json!("added to the plan")
            ),
            (
                json!("not-started"),
                json!("not-started"),
                json!("Commissioning starts in March")
            ),
            (
                json!("not-started"),
                json!("not-started"),
                json!("Funding agreed in principle")
            ),
        ]
    );
    let feed = app
        .get(
            "/api/v1/regions/kent-surrey-sussex/accountability.atom",
            None,
        )
        .await;
    let xml = String::from_utf8_lossy(&feed.body);
    assert!(xml.contains("still not-started"), "{xml}");
    assert!(xml.contains("Funding agreed in principle"));
}

#[tokio::test]
async fn a_commitment_refuses_null_for_what_cannot_be_cleared_and_clears_the_rest() {
    let app = TestApp::spawn().await;
    let (fx, path) = commitment_in_kss(&app).await;
    app.patch(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"target": "90% housed on the first night", "due_on": "2026-03-31"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let mut refused = Vec::new();
    for field in [
        "reference",
        "theme",
        "text",
        "firmness",
        "status",
        "status_note",
    ] {
        let response = app
            .patch(&path, Some(&fx.rpd_staff.access), json!({ field: null }))
            .await;
        refused.extend(response.invalid_fields());
    }
    let cleared = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"target": null, "due_on": null}),
        )
        .await;

    assert_eq!(
        refused,
        [
            "reference",
            "theme",
            "text",
            "firmness",
            "status",
            "status_note"
        ]
    );
    cleared.assert_status(StatusCode::OK);
    assert_eq!(cleared.json()["target"], json!(null));
    assert_eq!(cleared.json()["due_on"], json!(null));
    assert_eq!(cleared.header("etag"), Some("\"3\""));
}

#[tokio::test]
async fn one_line_fields_of_plans_and_commitments_refuse_control_characters() {
    let app = TestApp::spawn().await;
    let (fx, path) = commitment_in_kss(&app).await;

    let plan = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/plans",
            Some(&fx.rpd_staff.access),
            json!({"title": "Plan\r\nInjected: yes", "period": "2021\u{0}22",
                   "source_url": "https://example.org/\nplan.pdf"}),
        )
        .await;
    let commitment = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"reference": "KSS\tACC", "target": "90%\u{1b}[31m", "text": "Two\nlines are fine"}),
        )
        .await;
    let note = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"status": "in-progress", "status_note": "Begun\u{0}"}),
        )
        .await;

    let mut fields = plan.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["period", "source_url", "title"]);
    let mut fields = commitment.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["reference", "target"]);
    assert_eq!(note.invalid_fields(), ["status_note"]);
}

#[tokio::test]
async fn a_plan_refuses_null_for_its_title_and_period_and_clears_its_source() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let path = format!("/api/v1/plans/{plan}");

    let title = app
        .patch(&path, Some(&fx.rpd_staff.access), json!({"title": null}))
        .await;
    let period = app
        .patch(&path, Some(&fx.rpd_staff.access), json!({"period": null}))
        .await;
    let cleared = app
        .patch(
            &path,
            Some(&fx.rpd_staff.access),
            json!({"published_on": null, "source_url": null}),
        )
        .await;

    assert_eq!(title.invalid_fields(), ["title"]);
    assert_eq!(period.invalid_fields(), ["period"]);
    cleared.assert_status(StatusCode::OK);
    assert_eq!(cleared.json()["published_on"], json!(null));
    assert_eq!(cleared.json()["title"], "Plan");
}

#[tokio::test]
async fn a_stale_status_change_is_refused_and_leaves_no_history() {
    let app = TestApp::spawn().await;
    let (fx, path) = commitment_in_kss(&app).await;
    app.patch(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"target": "More beds"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let stale = app
        .request_with_headers(
            Method::PATCH,
            &path,
            Some(&fx.rpd_staff.access),
            &[("if-match", "\"1\"")],
            Some(json!({"status": "achieved", "status_note": "Done"})),
        )
        .await;
    let weak = app
        .request_with_headers(
            Method::PATCH,
            &path,
            Some(&fx.rpd_staff.access),
            &[("if-match", "W/\"2\"")],
            Some(json!({"status": "achieved", "status_note": "Done"})),
        )
        .await;

    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    weak.assert_problem(StatusCode::PRECONDITION_FAILED);
    let now = app.get(&path, None).await;
    assert_eq!(now.json()["status"], "not-started");
    assert_eq!(now.header("etag"), Some("\"2\""));
    let history = app.get(&format!("{path}/history"), None).await.json();
    assert_eq!(history["items"].as_array().map_or(0, Vec::len), 1);
}

#[tokio::test]
async fn the_commitments_csv_shows_formula_like_text_as_text() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    app.post(
        &format!("/api/v1/plans/{plan}/commitments"),
        Some(&fx.rpd_staff.access),
        json!({"reference": "=HYPERLINK(\"http://x.example\",\"x\")", "theme": "women",
               "firmness": "general", "text": "+44 20 7946 0000", "target": "@SUM(A1:A9)"}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let response = app
        .get_csv(&format!("/api/v1/plans/{plan}/commitments"), None)
        .await;

    response.assert_status(StatusCode::OK);
    let mut reader = csv::Reader::from_reader(response.body.as_ref());
    let headers = reader.headers().cloned().expect("a header row");
    let row = reader
        .records()
        .next()
        .expect("one row")
        .expect("a readable row");
    let cell = |name: &str| {
        let at = headers.iter().position(|h| h == name).expect(name);
        row.get(at).unwrap_or_default().to_string()
    };
    assert_eq!(cell("reference"), "'=HYPERLINK(\"http://x.example\",\"x\")");
    assert_eq!(cell("text"), "'+44 20 7946 0000");
    assert_eq!(cell("target"), "'@SUM(A1:A9)");
}

/// Publishing supersedes the region's current plan; of plans published at
/// the same moment, each is either published or refused with 409 (never a
/// 500), and the region is left with exactly one current plan.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn plans_published_at_the_same_moment_leave_one_current_plan() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.plan(&fx.rpd_staff, "kent-surrey-sussex", "2021-22 plan")
        .await;
    let served = app.serve().await;

    let statuses = served
        .race(10, |i, client, base| {
            client
                .post(format!("{base}/api/v1/regions/kent-surrey-sussex/plans"))
                .bearer_auth(&fx.rpd_staff.access)
                .json(&json!({"title": format!("Refresh {i}"), "period": "2022-23"}))
        })
        .await;

    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let published = crate::support::count(&statuses, StatusCode::CREATED);
    assert!(published >= 1, "{statuses:?}");
    let plans = app
        .get("/api/v1/regions/kent-surrey-sussex/plans?limit=200", None)
        .await
        .json();
    let items = plans["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1 + published);
    let current = items.iter().filter(|p| p["status"] == "current").count();
    assert_eq!(current, 1, "{items:?}");
}

/// Ten editors move a commitment's status from the version they all read:
/// one move is made and kept in the history once; the others are 412.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_status_changes_one_is_made_and_kept_once() {
    let app = TestApp::spawn().await;
    let (fx, path) = commitment_in_kss(&app).await;
    let served = app.serve().await;

    let statuses = served
        .race(10, |i, client, base| {
            client
                .patch(format!("{base}{path}"))
                .bearer_auth(&fx.rpd_staff.access)
                .header("if-match", "\"1\"")
                .json(&json!({"status": "in-progress", "status_note": format!("Begun, says {i}")}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::PRECONDITION_FAILED),
        9,
        "{statuses:?}"
    );
    assert_eq!(app.get(&path, None).await.header("etag"), Some("\"2\""));
    let history = app.get(&format!("{path}/history"), None).await.json();
    assert_eq!(history["items"].as_array().map_or(0, Vec::len), 2);
}

/// Writing a plan needs a token before anything else: without one the
/// answer is 401 whatever the body holds, so clients are told to sign in
/// rather than to fix fields they may not write at all.
#[tokio::test]
async fn plan_writes_without_a_token_are_401_before_the_body_is_read() {
    let app = TestApp::spawn().await;

    let create = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/plans",
            None,
            json!({"title": null}),
        )
        .await;
    let patch = app
        .patch(
            "/api/v1/plans/01a20a6d-2180-737d-a353-011b1775e0a4",
            None,
            json!({"period": null}),
        )
        .await;

    create.assert_problem(StatusCode::UNAUTHORIZED);
    patch.assert_problem(StatusCode::UNAUTHORIZED);
}
