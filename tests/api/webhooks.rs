//! Webhooks: officers register an integration's URL and the kinds of event
//! it wants; the worker sends each event, signed as Standard Webhooks says,
//! logs every delivery, retries, and switches off a webhook that keeps
//! failing (telling the officers). URLs that are not https, or that point
//! inside the server's network, are refused.

use axum::http::{Method, StatusCode};
use convene::jobs::pacing::Settings;
use convene::kernel::outbound::Policy;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::support::mail::*;
use crate::support::receiver::Receiver;
use crate::support::smtp::SmtpServer;
use crate::support::{ForumFixture, TestApp, TestResponse};

async fn register(app: &TestApp, fx: &ForumFixture, url: &str, events: &[&str]) -> TestResponse {
    app.post(
        &format!("/api/v1/forums/{}/webhooks", fx.forum),
        Some(&fx.secretary.access),
        json!({"url": url, "events": events, "description": "Our CRM"}),
    )
    .await
}

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_receiver_gets_the_events_it_chose_signed_so_it_can_verify_them() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let receiver = Receiver::start().await;
    let created = register(
        &app,
        &fx,
        &receiver.url,
        &["meeting.scheduled", "issue.raised"],
    )
    .await;
    created.assert_status(StatusCode::CREATED);
    let hook = created.json();
    let (id, secret) = (text(&hook, "id"), text(&hook, "secret"));
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/webhooks/{id}").as_str())
    );
    assert_eq!(created.header("etag"), Some("\"1\""));
    let shown = app
        .get(
            &format!("/api/v1/webhooks/{id}"),
            Some(&fx.secretary.access),
        )
        .await;
    shown.assert_status(StatusCode::OK);
    assert!(
        shown.json().get("secret").is_none(),
        "the secret is shown once"
    );

    let meeting = app.schedule(&fx, "Quarterly forum", 48).await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Not wanted by the receiver", "owner_organisation_id": fx.member_organisation}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let pass = smtp_worker(&app, &SmtpServer::start())
        .run_once()
        .await
        .expect("a pass");

    assert_eq!(pass.webhooks.sent, 1);
    let received = receiver.received();
    assert_eq!(received.len(), 1, "only the kinds it chose");
    let request = &received[0];
    assert!(
        request.verifies_with(&secret),
        "a receiver verifies the signature"
    );
    let stranger = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    assert!(!request.verifies_with(stranger));
    let body = request.json();
    assert_eq!(body["type"], "meeting.scheduled");
    assert_eq!(body["data"]["entity"], "meeting");
    assert_eq!(body["data"]["entity_id"], meeting.to_string());
    assert_eq!(body["data"]["record"]["title"], "Quarterly forum");
    assert_eq!(body["data"]["record"]["status"], "scheduled");
    assert_eq!(
        request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );

    let log = app
        .get(
            &format!("/api/v1/webhooks/{id}/deliveries"),
            Some(&fx.secretary.access),
        )
        .await;
    log.assert_status(StatusCode::OK);
    let items = log.json()["items"].clone();
    assert_eq!(items.as_array().map(Vec::len), Some(1));
    assert_eq!(items[0]["status"], "sent");
    assert_eq!(items[0]["response_status"], 200);
    assert_eq!(items[0]["kind"], "meeting.scheduled");
    assert_eq!(
        request
            .headers
            .get("webhook-id")
            .and_then(|v| v.to_str().ok()),
        items[0]["id"].as_str(),
        "the log names each request by its webhook-id"
    );
}

#[tokio::test]
async fn bad_urls_unknown_events_and_internal_addresses_are_refused() {
    let app = TestApp::spawn_with(|state| state.webhooks = Policy::default()).await;
    let fx = fixture(&app).await;
    for (url, events, field) in [
        (
            "http://hooks.example.org/convene",
            vec!["meeting.scheduled"],
            "url",
        ),
        ("ftp://hooks.example.org/", vec!["meeting.scheduled"], "url"),
        ("https://10.0.0.8/hook", vec!["meeting.scheduled"], "url"),
        (
            "https://169.254.169.254/latest",
            vec!["meeting.scheduled"],
            "url",
        ),
        ("https://localhost/hook", vec!["meeting.scheduled"], "url"),
        ("https://[::1]/hook", vec!["meeting.scheduled"], "url"),
        // IPv6 forms that carry an internal IPv4 address.
        (
            "https://[::127.0.0.1]/hook",
            vec!["meeting.scheduled"],
            "url",
        ),
        (
            "https://[::a9fe:a9fe]/latest",
            vec!["meeting.scheduled"],
            "url",
        ),
        (
            "https://[2002:7f00:1::]/hook",
            vec!["meeting.scheduled"],
            "url",
        ),
        ("http://127.0.0.1:9/hook", vec!["meeting.scheduled"], "url"),
        (
            "https://hooks.example.org/convene",
            vec!["meeting.held"],
            "events[0]",
        ),
        (
            "https://hooks.example.org/convene",
            vec!["account.password-reset"],
            "events[0]",
        ),
        ("https://hooks.example.org/convene", vec![], "events"),
    ] {
        let refused = register(&app, &fx, url, &events).await;
        assert_eq!(refused.invalid_fields(), [field], "{url} {events:?}");
    }
    register(
        &app,
        &fx,
        "https://hooks.example.org/convene",
        &["meeting.scheduled"],
    )
    .await
    .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_webhook_that_now_points_inside_is_not_sent_to() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let receiver = Receiver::start().await;
    register(&app, &fx, &receiver.url, &["meeting.scheduled"])
        .await
        .assert_status(StatusCode::CREATED);
    app.schedule(&fx, "Quarterly forum", 48).await;
    // A worker that allows no loopback: the address is checked at send time.
    let mut strict = smtp_worker(&app, &SmtpServer::start());
    strict.webhooks = std::sync::Arc::new(
        convene::jobs::webhooks::Sender::new(Policy::default()).expect("an HTTP client"),
    );

    let pass = strict.run_once().await.expect("a pass");

    assert_eq!(pass.webhooks.retrying, 1);
    assert!(receiver.received().is_empty());
    let delivery = entity::webhook_delivery::Entity::find()
        .one(app.db())
        .await
        .expect("a query")
        .expect("a delivery");
    assert!(
        delivery
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("internal")),
        "{:?}",
        delivery.last_error
    );
}

#[tokio::test]
async fn a_webhook_that_keeps_failing_is_switched_off_and_its_officers_told() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let receiver = Receiver::start().await;
    receiver.answer(500);
    let smtp = SmtpServer::start();
    let created = register(&app, &fx, &receiver.url, &["meeting.scheduled"]).await;
    let id = text(&created.json(), "id");
    app.schedule(&fx, "Quarterly forum", 48).await;
    // No wait between attempts, and more of them than it takes to switch off.
    let mut worker = smtp_worker(&app, &smtp);
    worker.settings = Settings {
        first_retry: std::time::Duration::ZERO,
        max_attempts: 20,
        ..Settings::default()
    };

    let mut disabled = 0;
    for _ in 0..16 {
        disabled += worker.run_once().await.expect("a pass").webhooks.disabled;
    }

    assert_eq!(disabled, 1);
    assert_eq!(
        receiver.received().len(),
        15,
        "no request once switched off"
    );
    let hook = app
        .get(
            &format!("/api/v1/webhooks/{id}"),
            Some(&fx.secretary.access),
        )
        .await;
    let shown = hook.json();
    assert_eq!(shown["active"], false);
    assert!(text(&shown, "disabled_reason").contains("500"), "{shown}");
    let officers_told: Vec<_> = smtp
        .received()
        .into_iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Webhook switched off"))
        })
        .flat_map(|m| m.to)
        .collect();
    assert_eq!(
        officers_told
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>(),
        emails([&fx.secretary, &fx.chair])
    );

    // Switched on again (with the version read), it sends what waited.
    receiver.answer(204);
    let etag = hook.header("etag").expect("an ETag").to_string();
    let stale = app
        .request_with_headers(
            Method::PATCH,
            &format!("/api/v1/webhooks/{id}"),
            Some(&fx.secretary.access),
            &[("if-match", "\"1\"")],
            Some(json!({"active": true})),
        )
        .await;
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    let on = app
        .request_with_headers(
            Method::PATCH,
            &format!("/api/v1/webhooks/{id}"),
            Some(&fx.secretary.access),
            &[("if-match", etag.as_str())],
            Some(json!({"active": true})),
        )
        .await;
    on.assert_status(StatusCode::OK);
    assert_eq!(on.json()["failure_streak"], 0);
    let pass = worker.run_once().await.expect("a pass");
    assert_eq!(pass.webhooks.sent, 1);
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let receiver = Receiver::start().await;
    let created = register(&app, &fx, &receiver.url, &["meeting.scheduled"]).await;
    let (id, old) = (text(&created.json(), "id"), text(&created.json(), "secret"));
    let rotated = app
        .post(
            &format!("/api/v1/webhooks/{id}/secret"),
            Some(&fx.chair.access),
            json!({}),
        )
        .await;
    rotated.assert_status(StatusCode::OK);
    let new = text(&rotated.json(), "secret");
    assert_ne!(old, new);
    app.schedule(&fx, "Quarterly forum", 48).await;
    let worker = smtp_worker(&app, &SmtpServer::start());
    worker.run_once().await.expect("a pass");

    let request = &receiver.received()[0];
    assert!(request.verifies_with(&new) && request.verifies_with(&old));

    app.state.clock.advance(chrono::Duration::hours(25));
    app.schedule(&fx, "Next forum", 48).await;
    worker.run_once().await.expect("a pass");
    let later = &receiver.received()[1];
    let signatures = later
        .headers
        .get("webhook-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(
        signatures.split(' ').count(),
        1,
        "the old secret has retired"
    );
}

#[tokio::test]
async fn only_the_forum_s_officers_and_admins_manage_its_webhooks() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let created = register(
        &app,
        &fx,
        "https://hooks.example.org/convene",
        &["issue.raised"],
    )
    .await;
    created.assert_status(StatusCode::CREATED);
    let id = text(&created.json(), "id");
    let list = format!("/api/v1/forums/{}/webhooks", fx.forum);
    let one = format!("/api/v1/webhooks/{id}");
    let body = json!({"url": "https://hooks.example.org/other", "events": ["issue.raised"]});

    for who in [
        &fx.member,
        &fx.observer,
        &fx.rpd_staff,
        &fx.signed_in,
        &fx.other_member,
        &fx.other_rpd_staff,
    ] {
        app.post(&list, Some(&who.access), body.clone())
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        app.get(&list, Some(&who.access))
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        for (method, path) in [
            (Method::GET, one.clone()),
            (Method::PATCH, one.clone()),
            (Method::DELETE, one.clone()),
            (Method::POST, format!("{one}/secret")),
            (Method::GET, format!("{one}/deliveries")),
        ] {
            let body = (method == Method::PATCH).then(|| json!({"description": "mine now"}));
            app.request(method.clone(), &path, Some(&who.access), body)
                .await
                .assert_problem(StatusCode::NOT_FOUND);
        }
    }
    app.get(&list, None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get(&one, None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);

    for officer in [&fx.chair, &fx.admin] {
        let listed = app.get(&list, Some(&officer.access)).await;
        listed.assert_status(StatusCode::OK);
        assert_eq!(listed.json()["items"].as_array().map(Vec::len), Some(1));
    }
    app.request(Method::DELETE, &one, Some(&fx.chair.access), None)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get(&one, Some(&fx.chair.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_undelivered_webhook_request_keeps_its_event_past_the_purge() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let receiver = Receiver::start().await;
    receiver.answer(503);
    register(&app, &fx, &receiver.url, &["meeting.scheduled"])
        .await
        .assert_status(StatusCode::CREATED);
    app.schedule(&fx, "Quarterly forum", 48).await;
    let mut worker = smtp_worker(&app, &SmtpServer::start());
    worker.settings.max_attempts = 1;
    assert_eq!(worker.run_once().await.expect("a pass").webhooks.failed, 1);

    app.state.clock.advance(chrono::Duration::days(31));
    convene::jobs::housekeeping::purge_all(app.db(), app.state.clock.now())
        .await
        .expect("purge");

    let kept = entity::webhook_delivery::Entity::find()
        .all(app.db())
        .await
        .expect("a query");
    assert_eq!(kept.len(), 1, "the failed request stays in the log");
    assert_eq!(kept[0].response_status, Some(503));
}
