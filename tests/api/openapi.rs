//! The committed `openapi.yaml` is what the code generates: change a route or
//! a type and this fails until `convene openapi > openapi.yaml` is run.

use axum::http::StatusCode;

use crate::support::TestApp;

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = convene::openapi::to_yaml(&convene::openapi::document());
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .unwrap_or_default();

    assert!(
        generated == committed,
        "openapi.yaml is out of date: run `cargo run -- openapi > openapi.yaml`"
    );
}

#[tokio::test]
async fn the_served_spec_is_the_generated_one() {
    let app = TestApp::spawn().await;

    let response = app.get("/openapi.json", None).await;

    response.assert_status(StatusCode::OK);
    let served = response.json();
    let generated = serde_json::to_value(convene::openapi::document()).unwrap_or_default();
    assert_eq!(served, generated);
}

#[test]
fn every_operation_documents_its_errors() {
    let doc = serde_json::to_value(convene::openapi::document()).unwrap_or_default();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.contains_key("/api/v1/auth/login") && paths.contains_key("/healthz"));
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let responses = operation["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            assert!(
                responses.keys().any(|code| code.starts_with('2')),
                "{method} {path} has no success response"
            );
            assert!(
                responses.contains_key("500"),
                "{method} {path} does not document 500"
            );
            if operation.get("security").is_some() {
                assert!(
                    responses.contains_key("401"),
                    "{method} {path} does not document 401"
                );
            }
            if operation.get("requestBody").is_some() {
                assert!(
                    responses.contains_key("422"),
                    "{method} {path} does not document 422"
                );
            }
        }
    }
}
