//! The region's page reads the accountability report's figures in three
//! statements of its own: they must be the report's, region by region.

use serde::Serialize;
use serde_json::Value;

/// As the report's JSON reads back: the same text, parsed the same way
/// (serde_json's parser may land a float one unit off its exact value).
fn to_value(value: &impl Serialize) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_string(value)?)
}

use crate::support::TestApp;

async fn same_as_the_report(app: &TestApp, code: &str) {
    let today = app.state.clock.now().date_naive();
    let record = convene::public_record::region_record(app.db(), code, today)
        .await
        .expect("the region's record");
    let report = app
        .get(&format!("/api/v1/regions/{code}/accountability"), None)
        .await
        .json();

    assert_eq!(
        to_value(&record.commitments).expect("json"),
        report["commitments"],
        "{code}: commitments"
    );
    for (name, figures) in [
        ("themes", to_value(&record.themes)),
        ("responsiveness", to_value(&record.responsiveness)),
        ("voice", to_value(&record.voice)),
        ("funding", to_value(&record.funding)),
    ] {
        assert_eq!(figures.expect("json"), report[name], "{code}: {name}");
    }
    assert_eq!(
        record.plan.map(|p| p.id.to_string()),
        report["plan"]["id"].as_str().map(String::from),
        "{code}: plan"
    );
    assert_eq!(
        record.forum.map(|f| f.0.to_string()),
        report["forum_id"].as_str().map(String::from),
        "{code}: forum"
    );
}

#[tokio::test]
async fn every_demo_region_s_page_figures_are_its_accountability_report_s() {
    let app = TestApp::spawn().await;
    convene::demo::seed(app.db(), app.state.clock.now())
        .await
        .expect("the demo data");

    for region in convene::regions::all(app.db()).await.expect("regions") {
        same_as_the_report(&app, &region.code).await;
    }
}

#[tokio::test]
async fn a_region_without_a_plan_or_a_forum_reads_as_the_report_does() {
    let app = TestApp::spawn().await;
    app.forum_fixture().await;

    same_as_the_report(&app, "kent-surrey-sussex").await;
    same_as_the_report(&app, "london").await;
}
