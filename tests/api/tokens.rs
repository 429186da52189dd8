//! Every way of presenting a bad access token gets 401 — on the very next
//! request, not when the token would have expired.

use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entity::user;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::support::{JWT_SECRET, TestApp, TestUser};

fn claims(user: &TestUser) -> Value {
    // The session id is read back from the genuine token.
    let payload = user.access.split('.').nth(1).unwrap_or_default();
    let genuine: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap_or_default())
            .unwrap_or_default();
    let now = Utc::now().timestamp();
    json!({
        "sub": user.id, "sid": genuine["sid"], "iat": now, "exp": now + 600,
        "iss": "convene", "aud": "convene-api"
    })
}

fn sign(claims: &Value, algorithm: Algorithm, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(algorithm),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

async fn assert_refused(app: &TestApp, token: &str) {
    app.get("/api/v1/me", Some(token))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_signed_by_the_test_with_the_right_secret_is_accepted() {
    // The control: proves the forged tokens below fail for the reason they name.
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let token = sign(&claims(&sam), Algorithm::HS256, JWT_SECRET);

    app.get("/api/v1/me", Some(&token))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn alg_none_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(&sam).to_string());

    assert_refused(&app, &format!("{header}.{payload}.")).await;
}

#[tokio::test]
async fn another_algorithm_with_the_same_secret_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    assert_refused(&app, &sign(&claims(&sam), Algorithm::HS384, JWT_SECRET)).await;
    assert_refused(&app, &sign(&claims(&sam), Algorithm::HS512, JWT_SECRET)).await;
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    assert_refused(
        &app,
        &sign(
            &claims(&sam),
            Algorithm::HS256,
            "some-other-secret-of-at-least-32-bytes",
        ),
    )
    .await;
    let mut tampered = sam.access.clone();
    tampered.pop();
    tampered.push(if sam.access.ends_with('A') { 'B' } else { 'A' });
    assert_refused(&app, &tampered).await;
}

#[tokio::test]
async fn an_expired_token_is_refused_beyond_the_leeway() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut expired = claims(&sam);
    expired["exp"] = json!(Utc::now().timestamp() - 31);

    assert_refused(&app, &sign(&expired, Algorithm::HS256, JWT_SECRET)).await;
}

#[tokio::test]
async fn exp_as_a_string_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut stringly = claims(&sam);
    stringly["exp"] = json!((Utc::now().timestamp() + 600).to_string());

    assert_refused(&app, &sign(&stringly, Algorithm::HS256, JWT_SECRET)).await;
}

#[tokio::test]
async fn a_missing_or_wrong_audience_or_issuer_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    for (claim, value) in [
        ("aud", Some("someone-else")),
        ("aud", None),
        ("iss", Some("someone-else")),
        ("iss", None),
    ] {
        let mut forged = claims(&sam);
        match value {
            Some(v) => forged[claim] = json!(v),
            None => {
                forged.as_object_mut().map(|o| o.remove(claim));
            }
        }
        assert_refused(&app, &sign(&forged, Algorithm::HS256, JWT_SECRET)).await;
    }
}

#[tokio::test]
async fn a_token_missing_any_claim_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    for claim in ["sub", "sid", "iat", "exp"] {
        let mut forged = claims(&sam);
        forged.as_object_mut().map(|o| o.remove(claim));
        assert_refused(&app, &sign(&forged, Algorithm::HS256, JWT_SECRET)).await;
    }
}

#[tokio::test]
async fn a_token_naming_an_unknown_session_is_refused() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut forged = claims(&sam);
    forged["sid"] = json!(uuid::Uuid::now_v7());

    assert_refused(&app, &sign(&forged, Algorithm::HS256, JWT_SECRET)).await;
}

#[tokio::test]
async fn garbage_and_other_schemes_are_refused() {
    let app = TestApp::spawn().await;

    assert_refused(&app, "not-a-jwt").await;
    let basic = axum::http::Request::builder()
        .uri("/api/v1/me")
        .header("authorization", "Basic c2FtOnNlY3JldA==")
        .body(axum::body::Body::empty())
        .unwrap_or_default();
    app.send(basic)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_disabled_users_token_is_refused_on_the_next_request() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::OK);

    // Disabled behind the API's back: no session is revoked, the flag alone must do it.
    let updated = user::Entity::update_many()
        .col_expr(user::Column::Disabled, Expr::value(true))
        .filter(user::Column::Id.eq(sam.id))
        .exec(app.db())
        .await
        .map(|r| r.rows_affected);

    assert_eq!(
        updated.ok(),
        Some(1),
        "the test must really have disabled the user"
    );
    assert_refused(&app, &sam.access).await;
}
