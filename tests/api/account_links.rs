//! Links sent to a person's own address: a password reset that works once
//! within half an hour and ends every session, and the verification that
//! an address is theirs before Convene sends it anything else.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::mail::*;
use crate::support::smtp::{Received, SmtpServer};
use crate::support::{PASSWORD, TestApp, count};

const NEW_PASSWORD: &str = "a brand new passphrase";

/// The code an account email carries.
fn code(message: &Received) -> String {
    let text = message.text();
    text.lines()
        .find_map(|line| line.strip_prefix("Code: "))
        .unwrap_or_else(|| panic!("no code in {text}"))
        .trim()
        .to_string()
}

async fn reset(app: &TestApp, email: &str) {
    app.post(
        "/api/v1/auth/password-reset",
        None,
        json!({ "email": email }),
    )
    .await
    .assert_status(StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_reset_code_sets_a_new_password_once_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);

    reset(&app, &sam.email.to_uppercase()).await;
    worker.run_once().await.expect("a pass");

    let received = smtp.received();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!(message.to, std::slice::from_ref(&sam.email));
    assert_eq!(
        message.header("Subject").as_deref(),
        Some("Reset your Convene password")
    );
    assert!(
        message.header("List-Unsubscribe").is_none(),
        "account links cannot be turned off"
    );
    let token = code(message);
    assert!(message.html().contains(&token));

    let confirm = |password: &str, token: &str| json!({"token": token, "new_password": password});
    let short = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            confirm("short", &token),
        )
        .await;
    assert_eq!(short.invalid_fields(), ["new_password"]);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        confirm(NEW_PASSWORD, &token),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    // Every session ended; only the new password signs in.
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.login(&sam.email, NEW_PASSWORD)
        .await
        .assert_status(StatusCode::OK);

    // The code works once.
    let again = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            confirm("yet another passphrase", &token),
        )
        .await;
    assert_eq!(again.invalid_fields(), ["token"]);
    app.login(&sam.email, NEW_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_reset_code_expires_after_thirty_minutes_and_is_sent_at_most_every_two() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    reset(&app, &sam.email).await;
    reset(&app, &sam.email).await;
    worker.run_once().await.expect("a pass");
    assert_eq!(smtp.received().len(), 1, "the second ask was too soon");
    let token = code(&smtp.received()[0]);

    app.state.clock.advance(chrono::Duration::minutes(31));
    let late = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": token, "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(late.invalid_fields(), ["token"]);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);

    reset(&app, &sam.email).await;
    worker.run_once().await.expect("a pass");
    assert_eq!(smtp.received().len(), 2, "long enough since the last");
}

#[tokio::test]
async fn asking_to_reset_an_address_with_no_account_looks_the_same_and_sends_nothing() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start();
    for email in ["nobody@example.org", "not an address", ""] {
        reset(&app, email).await;
    }
    let forged = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            json!({"token": "made-up", "new_password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(forged.invalid_fields(), ["token"]);
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    assert!(smtp.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_reset_code_used_twice_at_once_sets_one_password() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    reset(&app, &sam.email).await;
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    let token = code(&smtp.received()[0]);
    let served = app.serve().await;

    let statuses = served
        .race(6, |i, client, base| {
            client
                .post(format!("{base}/api/v1/auth/password-reset/confirm"))
                .json(&json!({"token": token, "new_password": format!("{NEW_PASSWORD} {i}")}))
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::NO_CONTENT), 1, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
        5,
        "{statuses:?}"
    );
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::NO_CONTENT)
        .expect("a winner");
    app.login(&sam.email, &format!("{NEW_PASSWORD} {winner}"))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_new_account_is_sent_only_its_verification_until_it_confirms_its_address() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let email = "newcomer@example.org";
    app.register(email, "Newcomer")
        .await
        .assert_status(StatusCode::ACCEPTED);
    let newcomer = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(email))
        .one(app.db())
        .await
        .expect("read")
        .expect("the account");
    // An officer's invitation into the forum reaches an address not yet verified.
    app.put_role(&fx.admin, fx.forum, newcomer.id, "observer")
        .await
        .assert_status(StatusCode::CREATED);
    app.schedule(&fx, "Quarterly forum", 48).await;
    worker.run_once().await.expect("a pass");

    let to_newcomer: Vec<Received> = smtp
        .received()
        .into_iter()
        .filter(|m| m.to == [email.to_string()])
        .collect();
    let mut subjects: Vec<String> = to_newcomer
        .iter()
        .filter_map(|m| m.header("Subject"))
        .collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "Confirm your email address for Convene",
            "Your role in a forum: KSS Voluntary Sector Forum"
        ],
        "no meeting invitation before the address is verified"
    );
    let verification = to_newcomer
        .iter()
        .find(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Confirm"))
        })
        .expect("the verification");

    app.post(
        "/api/v1/auth/email-verification/confirm",
        None,
        json!({"token": code(verification)}),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let signed_in = app.sign_in(email).await;
    let me = app.get("/api/v1/me", Some(&signed_in.access)).await.json();
    assert!(me["email_verified_at"].is_string());
    let used = app
        .post(
            "/api/v1/auth/email-verification/confirm",
            None,
            json!({"token": code(verification)}),
        )
        .await;
    assert_eq!(used.invalid_fields(), ["token"]);

    let before = smtp.received().len();
    app.schedule(&fx, "Extra forum", 72).await;
    worker.run_once().await.expect("a pass");
    assert!(
        recipients(&smtp.received()[before..]).contains(email),
        "verified: now told"
    );
}

#[tokio::test]
async fn verification_is_resent_at_most_every_ten_minutes_and_never_once_verified() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let newcomer = app.unconfirmed_signed_in("Newcomer").await;
    let path = "/api/v1/me/email-verification";

    let too_soon = app.post(path, Some(&newcomer.access), json!({})).await;
    too_soon.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(
        too_soon
            .header("retry-after")
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|secs| secs > 0 && secs <= 600)
    );
    app.post(path, None, json!({}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    app.state.clock.advance(chrono::Duration::minutes(11));
    app.post(path, Some(&newcomer.access), json!({}))
        .await
        .assert_status(StatusCode::ACCEPTED);
    worker.run_once().await.expect("a pass");
    let sent = smtp.received();
    assert_eq!(sent.len(), 2, "at registration, and the resend");
    // Either code works; the newest is used here.
    app.post(
        "/api/v1/auth/email-verification/confirm",
        None,
        json!({"token": code(&sent[1])}),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.post(path, Some(&newcomer.access), json!({}))
        .await
        .assert_problem(StatusCode::CONFLICT);
}
