use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn the_public_can_list_the_twelve_regions_with_their_codes() {
    let app = TestApp::spawn().await;

    let response = app.get("/api/v1/regions", None).await;

    response.assert_status(StatusCode::OK);
    let regions = response.json();
    let items = regions["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 12);
    let mut codes: Vec<&str> = items.iter().filter_map(|r| r["code"].as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "east-midlands",
            "east-of-england",
            "greater-manchester",
            "kent-surrey-sussex",
            "london",
            "north-east",
            "north-west",
            "south-central",
            "south-west",
            "wales",
            "west-midlands",
            "yorkshire-humber"
        ]
    );
    let wales: Vec<_> = items.iter().filter(|r| r["nation"] == "wales").collect();
    assert_eq!(wales.len(), 1);
    assert_eq!(wales[0]["code"], "wales");
}

#[tokio::test]
async fn a_region_is_read_by_its_code() {
    let app = TestApp::spawn().await;

    let response = app.get("/api/v1/regions/kent-surrey-sussex", None).await;

    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["name"], "Kent, Surrey and Sussex");
    assert_eq!(response.json()["nation"], "england");
}

#[tokio::test]
async fn an_unknown_region_code_is_404() {
    let app = TestApp::spawn().await;

    app.get("/api/v1/regions/atlantis", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}
