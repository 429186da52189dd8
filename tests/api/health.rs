use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn healthz_answers_while_the_process_is_up() {
    let app = TestApp::spawn().await;

    let response = app.get("/healthz", None).await;

    response.assert_status(StatusCode::OK);
    assert_eq!(response.json()["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_when_the_database_does_and_503_when_it_does_not() {
    let app = TestApp::spawn().await;
    app.get("/readyz", None).await.assert_status(StatusCode::OK);

    app.db().clone().close().await.ok();

    app.get("/readyz", None)
        .await
        .assert_problem(StatusCode::SERVICE_UNAVAILABLE);
}
