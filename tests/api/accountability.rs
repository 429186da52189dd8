//! The report's figures against a small dataset whose right answers are
//! worked out by hand below.

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp};

fn day(offset: i64) -> NaiveDate {
    chrono::Utc::now().date_naive() + Duration::days(offset)
}

async fn action(
    app: &TestApp,
    fx: &ForumFixture,
    title: &str,
    due: Option<i64>,
    links: &[Uuid],
    path: &[&str],
) {
    let created = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": title, "due_on": due.map(day), "commitment_ids": links}),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    let id = created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for status in path {
        app.patch(
            &format!("/api/v1/actions/{id}"),
            Some(&fx.secretary.access),
            json!({"status": status}),
        )
        .await
        .assert_status(StatusCode::OK);
    }
}

struct Dataset {
    acc1: Uuid,
    acc2: Uuid,
    wom1: Uuid,
    race1: Uuid,
}

/// KSS plan: ACC-1, ACC-2 (accommodation, specific), WOM-1 (women, general),
/// RACE-1 (race equality, mention). Actions:
/// - A1 → ACC-1, open, due 10 days ago (overdue)
/// - A2 → ACC-1 and ACC-2, done, due 20 days ago (not overdue: done)
/// - A3 → WOM-1, in progress, due in 5 days
/// - A4 → ACC-2, blocked, due yesterday (overdue)
/// - A5 → nothing
///
/// An older, superseded plan with one commitment and one action must not count.
async fn dataset(app: &TestApp, fx: &ForumFixture) -> Dataset {
    let old = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "2020-21")
        .await;
    let old_commitment = app
        .commitment(&fx.rpd_staff, old, "OLD-1", "families", "specific")
        .await;
    action(app, fx, "Old work", Some(-100), &[old_commitment], &[]).await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "2021-22")
        .await;
    let d = Dataset {
        acc1: app
            .commitment(
                &fx.rpd_staff,
                plan,
                "KSS-ACC-1",
                "accommodation",
                "specific",
            )
            .await,
        acc2: app
            .commitment(
                &fx.rpd_staff,
                plan,
                "KSS-ACC-2",
                "accommodation",
                "specific",
            )
            .await,
        wom1: app
            .commitment(&fx.rpd_staff, plan, "KSS-WOM-1", "women", "general")
            .await,
        race1: app
            .commitment(
                &fx.rpd_staff,
                plan,
                "KSS-RACE-1",
                "race-equality",
                "mention",
            )
            .await,
    };
    action(app, fx, "A1", Some(-10), &[d.acc1], &[]).await;
    action(
        app,
        fx,
        "A2",
        Some(-20),
        &[d.acc1, d.acc2],
        &["in-progress", "done"],
    )
    .await;
    action(app, fx, "A3", Some(5), &[d.wom1], &["in-progress"]).await;
    action(app, fx, "A4", Some(-1), &[d.acc2], &["blocked"]).await;
    action(app, fx, "A5", None, &[], &[]).await;
    d
}

fn line(report: &Value, id: Uuid) -> &Value {
    report["commitments"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["id"] == json!(id)))
        .unwrap_or(&Value::Null)
}

fn theme<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["themes"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["theme"] == name))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn each_commitment_shows_the_actions_behind_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let d = dataset(&app, &fx).await;

    let response = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await;

    response.assert_status(StatusCode::OK);
    let report = response.json();
    assert_eq!(report["plan"]["title"], "2021-22");
    assert_eq!(report["forum_id"], json!(fx.forum));
    assert_eq!(report["commitments"].as_array().map_or(0, Vec::len), 4);
    let counts = |id| line(&report, id)["actions"].clone();
    assert_eq!(
        counts(d.acc1),
        json!({"open": 1, "in_progress": 0, "blocked": 0, "done": 1, "cancelled": 0, "total": 2, "overdue": 1})
    );
    assert_eq!(
        counts(d.acc2),
        json!({"open": 0, "in_progress": 0, "blocked": 1, "done": 1, "cancelled": 0, "total": 2, "overdue": 1})
    );
    assert_eq!(
        counts(d.wom1),
        json!({"open": 0, "in_progress": 1, "blocked": 0, "done": 0, "cancelled": 0, "total": 1, "overdue": 0})
    );
    assert_eq!(counts(d.race1)["total"], 0);
    assert_eq!(report["commitments_without_actions"], 1);
}

#[tokio::test]
async fn themes_show_commitments_by_firmness_and_the_gaps() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    dataset(&app, &fx).await;

    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();

    assert_eq!(report["themes"].as_array().map_or(0, Vec::len), 13);
    let accommodation = theme(&report, "accommodation");
    assert_eq!(
        accommodation["commitments"],
        json!({"specific": 2, "general": 0, "mention": 0, "total": 2})
    );
    // A1, A2 and A4: A2 is linked twice but counts once.
    assert_eq!(accommodation["actions"], 3);
    assert_eq!(accommodation["commitments_without_actions"], 0);
    assert_eq!(theme(&report, "women")["actions"], 1);
    assert_eq!(theme(&report, "race-equality")["commitments"]["mention"], 1);
    assert_eq!(
        theme(&report, "race-equality")["commitments_without_actions"],
        1
    );
    // The superseded plan's families commitment does not count.
    assert_eq!(theme(&report, "families")["commitments"]["total"], 0);
    let gaps: Vec<&str> = report["themes_without_commitments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(gaps.len(), 10);
    assert!(gaps.contains(&"families") && !gaps.contains(&"women"));
}

#[tokio::test]
async fn a_region_without_a_plan_reports_every_theme_as_a_gap() {
    let app = TestApp::spawn().await;

    let report = app
        .get("/api/v1/regions/london/accountability", None)
        .await
        .json();

    assert_eq!(report["plan"], json!(null));
    assert_eq!(
        report["themes_without_commitments"]
            .as_array()
            .map_or(0, Vec::len),
        13
    );
    app.get("/api/v1/regions/atlantis/accountability", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_themes_matrix_compares_every_region() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    dataset(&app, &fx).await;
    let welsh = app.plan(&fx.admin, "wales", "Wales 2021-22").await;
    app.commitment(&fx.admin, welsh, "WAL-WOM-1", "women", "specific")
        .await;
    app.commitment(&fx.admin, welsh, "WAL-WOM-2", "women", "general")
        .await;

    let response = app.get("/api/v1/accountability/themes", None).await;

    response.assert_status(StatusCode::OK);
    let matrix = response.json();
    assert_eq!(matrix["themes"].as_array().map_or(0, Vec::len), 13);
    let rows = matrix["regions"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 12);
    let cell = |region: &str, theme: &str| -> Value {
        rows.iter()
            .find(|r| r["region"]["code"] == region)
            .and_then(|r| {
                r["cells"]
                    .as_array()
                    .and_then(|c| c.iter().find(|c| c["theme"] == theme).cloned())
            })
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        cell("kent-surrey-sussex", "accommodation")["commitments"]["specific"],
        2
    );
    assert_eq!(cell("kent-surrey-sussex", "accommodation")["actions"], 3);
    assert_eq!(
        cell("wales", "women")["commitments"],
        json!({"specific": 1, "general": 1, "mention": 0, "total": 2})
    );
    assert_eq!(cell("wales", "women")["actions"], 0);
    assert_eq!(cell("london", "women")["commitments"]["total"], 0);
    assert_eq!(
        cell("kent-surrey-sussex", "families")["commitments"]["total"],
        0,
        "superseded plans do not count"
    );
}

/// Issues raised over time (the test clock moves forward), worked by hand:
/// - I1 raised day 0, answered day 3 (due day 28): within, 3 days
/// - I2 raised day 0, answered day 40: late, 40 days
/// - I3 raised day 0, answered day 10: within, 10 days; then closed
/// - I4 raised day 0, never answered: at day 40 it is past due (day 28)
/// - I5 raised day 35, not answered: due day 63, not past due at day 40
///
/// Raised 5; answered within due 2; median of (3, 10, 40) = 10; open past due 1.
/// I1 and I4 are linked to KSS-ACC-1: I1 is responded (open), I4 open → 2 open issues;
/// I3 is linked to KSS-WOM-1 but closed → 0.
#[tokio::test]
async fn the_report_shows_how_the_rpd_team_answers() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let d = dataset(&app, &fx).await;
    let raise = async |title: &str, links: &[Uuid]| -> String {
        let issue = app
            .post(
                &format!("/api/v1/forums/{}/issues", fx.forum),
                Some(&fx.member.access),
                json!({"title": title, "body": "B", "commitment_ids": links}),
            )
            .await;
        issue.assert_status(StatusCode::CREATED);
        issue.json()["id"].as_str().unwrap_or_default().to_string()
    };
    let answer = async |issue: &str| {
        app.post(
            &format!("/api/v1/issues/{issue}/responses"),
            Some(&fx.rpd_staff.access),
            json!({"body": "Answer"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    };
    let (i1, i2, i3) = (
        raise("I1", &[d.acc1]).await,
        raise("I2", &[]).await,
        raise("I3", &[d.wom1]).await,
    );
    raise("I4", &[d.acc1]).await;
    app.state.clock.advance(Duration::days(3));
    answer(&i1).await;
    app.state.clock.advance(Duration::days(7));
    answer(&i3).await;
    app.patch(
        &format!("/api/v1/issues/{i3}"),
        Some(&fx.member.access),
        json!({"status": "closed"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.state.clock.advance(Duration::days(25));
    raise("I5", &[]).await;
    app.state.clock.advance(Duration::days(5));
    answer(&i2).await;

    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();

    assert_eq!(
        report["responsiveness"],
        json!({"issues_raised": 5, "answered_within_due_date": 2, "median_days_to_first_response": 10.0, "open_past_due": 1})
    );
    assert_eq!(line(&report, d.acc1)["open_issues"], 2);
    assert_eq!(line(&report, d.wom1)["open_issues"], 0);
}
