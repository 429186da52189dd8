//! Delivery: retries with backoff, failed messages resent by admins, a dead sender's messages sent once, several workers each message once, files without SMTP, and purging what was sent.

use super::*;

#[tokio::test]
async fn a_refused_message_is_tried_again_after_a_wait_and_then_delivered() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    schedule(&app, &fx).await;
    smtp.refuse_next(4);
    let worker = smtp_worker(&app, &smtp);

    let first = worker.run_once().await.expect("a pass");
    assert_eq!((first.sent, first.retrying), (0, 4));
    let waiting = delivery::Entity::find().all(app.db()).await.expect("query");
    assert!(waiting.iter().all(|d| d.status == DeliveryStatus::Queued
        && d.attempts == 1
        && d.last_error.as_deref().is_some_and(|e| e.contains("451"))));

    // Not before the wait is over.
    let early = worker.run_once().await.expect("a pass");
    assert_eq!((early.sent, early.retrying), (0, 0));
    app.state.clock.advance(chrono::Duration::seconds(31));
    let later = worker.run_once().await.expect("a pass");
    assert_eq!(later.sent, 4);
    assert_eq!(recipients(&smtp.received()).len(), 4);
}

#[tokio::test]
async fn after_its_last_attempt_a_message_is_failed_and_only_an_admin_sends_it_again() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Call the council", "owner_user_id": fx.member.id}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    smtp.refuse_next(2);
    let worker = worker(
        &app,
        Mailer::smtp(&smtp.url()).expect("a mailer"),
        Settings {
            max_attempts: 2,
            ..Settings::default()
        },
    );
    worker.run_once().await.expect("a pass");
    app.state.clock.advance(chrono::Duration::minutes(5));
    let last = worker.run_once().await.expect("a pass");
    assert_eq!(last.failed, 1);

    let failed = app
        .get(
            "/api/v1/admin/deliveries?status=failed",
            Some(&fx.admin.access),
        )
        .await;
    failed.assert_status(StatusCode::OK);
    let items = failed.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["attempts"], 2);
    assert_eq!(items[0]["address"], fx.member.email.as_str());
    let id = items[0]["id"].as_str().expect("an id").to_string();
    let retry = format!("/api/v1/admin/deliveries/{id}/retry");

    for (token, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(&fx.secretary.access), StatusCode::FORBIDDEN),
        (Some(&fx.member.access), StatusCode::FORBIDDEN),
    ] {
        app.get("/api/v1/admin/deliveries", token.map(String::as_str))
            .await
            .assert_status(status);
        app.post(&retry, token.map(String::as_str), json!({}))
            .await
            .assert_status(status);
    }
    let retried = app.post(&retry, Some(&fx.admin.access), json!({})).await;
    retried.assert_status(StatusCode::OK);
    assert_eq!(retried.json()["status"], "queued");
    assert_eq!(retried.json()["attempts"], 0);
    app.post(&retry, Some(&fx.admin.access), json!({}))
        .await
        .assert_status(StatusCode::CONFLICT);
    app.post(
        &format!("/api/v1/admin/deliveries/{}/retry", Uuid::now_v7()),
        Some(&fx.admin.access),
        json!({}),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);

    assert_eq!(worker.run_once().await.expect("a pass").sent, 1);
    assert_eq!(recipients(&smtp.received()), emails([&fx.member]));
}

#[tokio::test]
async fn a_message_whose_sender_died_is_sent_again_once_with_the_same_message_id() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Call the council", "owner_user_id": fx.member.id}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // Queued by one pass whose messages are then claimed by a worker that
    // dies before it records anything: its lease is left behind.
    smtp.refuse_next(1);
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("a pass");
    let queued = delivery::Entity::find()
        .one(app.db())
        .await
        .expect("query")
        .expect("one");
    let mut claimed = queued.clone().into_active_model();
    claimed.next_attempt_at = Set(app.state.clock.now());
    claimed.lease_until = Set(Some(app.state.clock.now() + chrono::Duration::minutes(5)));
    claimed
        .update(app.db())
        .await
        .expect("a dead worker's claim");

    assert_eq!(worker.run_once().await.expect("a pass").sent, 0, "leased");
    app.state.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(worker.run_once().await.expect("a pass").sent, 1);
    assert_eq!(worker.run_once().await.expect("a pass").sent, 0);

    let received = smtp.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].header("Message-ID"),
        Some(format!("<{}@convene.example.org>", queued.id))
    );
}

#[tokio::test]
async fn two_workers_deliver_two_hundred_messages_each_exactly_once() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    // 50 meetings, each told to 4 participants.
    for n in 0..50 {
        app.schedule(&fx, &format!("Meeting {n}"), 24 + n).await;
    }
    let settings = Settings {
        batch: 10,
        ..Settings::default()
    };
    let workers: Vec<Worker> = (0..2)
        .map(|_| {
            worker(
                &app,
                Mailer::smtp(&smtp.url()).expect("a mailer"),
                settings.clone(),
            )
        })
        .collect();

    let runs = workers.into_iter().map(|w| {
        tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let pass = w.run_once().await.expect("a pass");
                sent += pass.sent;
                if pass.dispatched + pass.sent + pass.retrying == 0 {
                    return sent;
                }
            }
        })
    });
    let mut total = 0;
    for run in runs.collect::<Vec<_>>() {
        total += run.await.expect("a worker");
    }

    let received = smtp.received();
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for message in &received {
        *per_id
            .entry(message.header("Message-ID").expect("an id"))
            .or_default() += 1;
    }
    assert_eq!(total, 200);
    assert_eq!(received.len(), 200);
    assert!(per_id.values().all(|n| *n == 1), "a message was sent twice");
    let sent = delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Sent))
        .count(app.db())
        .await
        .expect("count");
    assert_eq!(sent, 200);
}

#[tokio::test]
async fn without_an_smtp_server_messages_are_written_as_eml_files() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let dir = tempfile::tempdir().expect("a directory");
    schedule(&app, &fx).await;

    let pass = worker(&app, Mailer::files(dir.path()), Settings::default())
        .run_once()
        .await
        .expect("a pass");

    assert_eq!(pass.sent, 4);
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the directory")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 4);
    for file in files {
        assert_eq!(file.extension().and_then(|e| e.to_str()), Some("eml"));
        let text = std::fs::read_to_string(&file).expect("a message");
        assert!(text.contains("Subject: Meeting scheduled"), "{text}");
    }
    let undispatched = outbox_event::Entity::find()
        .filter(outbox_event::Column::DispatchedAt.is_null())
        .count(app.db())
        .await
        .expect("count");
    assert_eq!(undispatched, 0);
}
