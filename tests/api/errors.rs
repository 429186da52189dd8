//! Every error, whoever raises it, is an RFC 9457 problem document, and every
//! response carries the security headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::support::{TestApp, short_timeout};

fn raw(
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder.body(body.into()).unwrap_or_default()
}

#[tokio::test]
async fn an_unknown_route_is_a_404_problem() {
    let app = TestApp::spawn().await;

    app.get("/api/v1/no-such-thing", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.get("/elsewhere", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_that_names_the_allowed_ones() {
    let app = TestApp::spawn().await;

    let response = app
        .request(Method::DELETE, "/api/v1/regions", None, None)
        .await;

    response.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        response
            .header("allow")
            .is_some_and(|allow| allow.contains("GET"))
    );
}

#[tokio::test]
async fn malformed_json_is_a_400_problem() {
    let app = TestApp::spawn().await;

    let truncated = app
        .send(raw(
            Method::POST,
            "/api/v1/auth/register",
            Some("application/json"),
            r#"{"email": "#,
        ))
        .await;
    let trailing = app
        .send(raw(
            Method::POST,
            "/api/v1/auth/login",
            Some("application/json"),
            r#"{"email":"a","password":"b"} x"#,
        ))
        .await;

    truncated.assert_problem(StatusCode::BAD_REQUEST);
    trailing.assert_problem(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415_problem() {
    let app = TestApp::spawn().await;

    let form = app
        .send(raw(
            Method::POST,
            "/api/v1/auth/login",
            Some("application/x-www-form-urlencoded"),
            "email=a",
        ))
        .await;
    let missing = app
        .send(raw(
            Method::POST,
            "/api/v1/auth/login",
            None,
            r#"{"email":"a","password":"b"}"#,
        ))
        .await;

    form.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    missing.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn json_with_a_charset_parameter_is_accepted() {
    let app = TestApp::spawn().await;
    let body = json!({"email": "sam@example.org", "display_name": "Sam", "password": crate::support::PASSWORD}).to_string();

    let response = app
        .send(raw(
            Method::POST,
            "/api/v1/auth/register",
            Some("application/json; charset=utf-8"),
            body,
        ))
        .await;

    response.assert_status(StatusCode::ACCEPTED);
}

#[tokio::test]
async fn unknown_fields_are_a_422_naming_the_field() {
    let app = TestApp::spawn().await;

    let response = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "a@example.org", "password": "x", "remember_me": true}),
        )
        .await;

    assert_eq!(response.invalid_fields(), ["remember_me"]);
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_a_422_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let person = app.user("Ada").await;

    for body in [json!([]), json!(["Someone else"]), json!("Ada"), json!(3)] {
        let response = app
            .patch("/api/v1/me", Some(&person.access), body.clone())
            .await;

        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(response.invalid_fields(), [""], "{body}");
    }
    let me = app.get("/api/v1/me", Some(&person.access)).await;
    assert_eq!(me.json()["display_name"], "Ada");
}

#[tokio::test]
async fn missing_and_mistyped_fields_are_a_422_naming_the_field() {
    let app = TestApp::spawn().await;

    let missing = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": "a@example.org"}),
        )
        .await;
    let mistyped = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"email": 42, "password": "x"}),
        )
        .await;

    assert_eq!(missing.invalid_fields(), ["password"]);
    assert_eq!(mistyped.invalid_fields(), ["email"]);
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_a_413_problem() {
    let app = TestApp::spawn().await;
    let huge = format!(
        r#"{{"email":"a@example.org","password":"{}"}}"#,
        "x".repeat(1024 * 1024)
    );

    let response = app
        .send(raw(
            Method::POST,
            "/api/v1/auth/login",
            Some("application/json"),
            huge,
        ))
        .await;

    response.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_request_that_runs_too_long_is_a_408_problem() {
    // Signing in hashes a password, which takes far longer than 1 ms.
    let app = TestApp::spawn_with(short_timeout()).await;

    let response = app.login("sam@example.org", "whatever password").await;

    response.assert_problem(StatusCode::REQUEST_TIMEOUT);
}

#[tokio::test]
async fn an_internal_failure_is_a_500_problem_without_internals() {
    let app = TestApp::spawn().await;
    // Break the database under the application: every write needs the audit table.
    app.db()
        .execute_unprepared("DROP TABLE audit_events")
        .await
        .ok();

    let response = app.register("sam@example.org", "Sam").await;

    let problem = response.assert_problem(StatusCode::INTERNAL_SERVER_ERROR);
    let body = String::from_utf8_lossy(&response.body).to_lowercase();
    assert!(
        !body.contains("audit_events") && !body.contains("sql"),
        "leaked internals: {problem}"
    );
}

#[tokio::test]
async fn a_failed_write_leaves_nothing_half_written() {
    let app = TestApp::spawn().await;
    app.db()
        .execute_unprepared("DROP TABLE audit_events")
        .await
        .ok();

    app.register("sam@example.org", "Sam")
        .await
        .assert_problem(StatusCode::INTERNAL_SERVER_ERROR);

    // The user row was inserted before the audit insert failed; it must have been rolled back.
    let users = entity::user::Entity::find()
        .all(app.db())
        .await
        .map(|u| u.len());
    assert_eq!(users.ok(), Some(0));
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_a_request_id() {
    let app = TestApp::spawn().await;

    for response in [
        app.get("/api/v1/regions", None).await,
        app.get("/nowhere", None).await,
    ] {
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(
            response.header("content-security-policy"),
            Some("frame-ancestors 'none'")
        );
        assert_eq!(response.header("cache-control"), Some("no-store"));
        assert!(
            response
                .header("x-request-id")
                .is_some_and(|id| id.len() >= 32)
        );
    }
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_is_echoed() {
    let app = TestApp::spawn().await;
    let request = Request::builder()
        .uri("/healthz")
        .header("x-request-id", "trace-me-123")
        .body(Body::empty())
        .unwrap_or_default();

    let response = app.send(request).await;

    assert_eq!(response.header("x-request-id"), Some("trace-me-123"));
}

#[tokio::test]
async fn a_malformed_id_in_a_path_is_a_404_problem() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    app.get("/api/v1/organisations/not-a-uuid", Some(&sam.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_bad_query_parameter_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    let bad_limit = app
        .get("/api/v1/users?limit=many", Some(&admin.access))
        .await;
    let too_big = app
        .get("/api/v1/users?limit=201", Some(&admin.access))
        .await;
    let bad_cursor = app
        .get("/api/v1/users?cursor=%%%", Some(&admin.access))
        .await;
    let unknown = app
        .get("/api/v1/users?sort=name", Some(&admin.access))
        .await;

    assert_eq!(bad_limit.invalid_fields(), ["limit"]);
    assert_eq!(too_big.invalid_fields(), ["limit"]);
    assert_eq!(bad_cursor.invalid_fields(), ["cursor"]);
    assert_eq!(unknown.invalid_fields(), ["sort"]);
}

use sea_orm::EntityTrait;

/// A date or time that does not parse is answered with what the field
/// expects, never the parser's own words ("premature end of input").
#[tokio::test]
async fn a_date_or_time_that_does_not_parse_says_what_is_expected() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meetings = format!("/api/v1/forums/{}/meetings", fx.forum);
    let meeting = |starts_at: &str| {
        json!({"title": "Forum", "location": "Hall", "starts_at": starts_at,
               "ends_at": "2027-01-10T11:00:00Z"})
    };

    let mut messages = Vec::new();
    for starts_at in [
        "2027-01-10",
        "2027-01-10T09:00:00Z and more",
        "10/01/2027 09:00",
        "2027-02-30T09:00:00Z",
    ] {
        let refused = app
            .post(&meetings, Some(&fx.secretary.access), meeting(starts_at))
            .await;
        let problem = refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], "starts_at", "{starts_at}");
        messages.push(problem["errors"][0]["message"].clone());
    }
    let typed = app
        .post(
            &meetings,
            Some(&fx.secretary.access),
            json!({"title": "Forum", "location": "Hall", "starts_at": 1_800_000_000,
                   "ends_at": "2027-01-10T11:00:00Z"}),
        )
        .await;
    let action = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map beds", "due_on": "2027-01-10T09:00:00Z"}),
        )
        .await;
    let query = app
        .get(
            &format!("/api/v1/forums/{}/actions?due_before=31/01/2027", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;

    let date_time =
        "must be a date-time such as 2027-01-10T09:00:00Z (RFC 3339, with Z or an offset)";
    let date = "must be a date such as 2027-01-10 (YYYY-MM-DD)";
    assert!(messages.iter().all(|m| m == date_time), "{messages:?}");
    let typed = typed.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(typed["errors"][0]["message"], date_time);
    let action = action.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        action["errors"][0],
        json!({"field": "due_on", "message": date})
    );
    let query = query.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        query["errors"][0],
        json!({"field": "due_before", "message": date})
    );
}
