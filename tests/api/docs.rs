//! The API reference page at `/docs`, served by the binary itself.

use axum::http::StatusCode;

use crate::support::TestApp;

fn text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

#[tokio::test]
async fn the_reference_page_and_every_file_it_loads_are_served() {
    let app = TestApp::spawn().await;

    let page = app.get("/docs/", None).await;

    page.assert_status(StatusCode::OK);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    let html = text(&page.body);
    for asset in [
        "swagger-ui.css",
        "index.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-initializer.js",
    ] {
        assert!(html.contains(asset), "the page loads {asset}");
        let served = app.get(&format!("/docs/{asset}"), None).await;
        served.assert_status(StatusCode::OK);
        let content_type = served.header("content-type").unwrap_or_default();
        assert!(
            content_type.contains("css") || content_type.contains("javascript"),
            "{asset} is served as {content_type}, which browsers refuse under nosniff"
        );
    }
}

#[tokio::test]
async fn the_page_reads_the_served_spec_and_nothing_from_elsewhere() {
    let app = TestApp::spawn().await;

    let initializer = text(
        &app.get("/docs/swagger-initializer.js", None)
            .await
            .assert_status(StatusCode::OK)
            .body,
    );
    let spec = app.get("/openapi.json", None).await;
    let policy = app
        .get("/docs/", None)
        .await
        .header("content-security-policy")
        .map(str::to_string)
        .unwrap_or_default();

    assert!(
        initializer.contains(r#""url": "/openapi.json""#),
        "{initializer}"
    );
    assert!(
        initializer.contains(r#""validatorUrl": "none""#),
        "no spec address is sent to an outside validator"
    );
    assert!(!initializer.contains("petstore"), "{initializer}");
    spec.assert_status(StatusCode::OK);
    assert!(spec.json()["openapi"].as_str().is_some());
    assert!(spec.json()["paths"]["/api/v1/auth/login"].is_object());
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("http"), "only this server: {policy}");
}

#[tokio::test]
async fn docs_without_a_slash_redirects_to_the_page_and_unknown_files_are_problems() {
    let app = TestApp::spawn().await;

    let bare = app.get("/docs", None).await;
    let missing = app.get("/docs/no-such-file.js", None).await;

    assert!(bare.status.is_redirection(), "{}", bare.status);
    assert_eq!(bare.header("location"), Some("/docs/"));
    missing.assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn api_answers_keep_their_own_headers() {
    let app = TestApp::spawn().await;

    let regions = app.get("/api/v1/regions", None).await;

    assert_eq!(
        regions.header("content-security-policy"),
        Some("frame-ancestors 'none'")
    );
    assert_eq!(regions.header("cache-control"), Some("no-store"));
}
