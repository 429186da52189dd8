//! Housekeeping: ended sessions, old refresh tokens and stale login failures
//! are deleted on time, and nothing that still counts is.

use std::time::Duration as StdDuration;

use axum::http::StatusCode;
use chrono::Duration;
use convene::jobs::housekeeping::{self, Limits, Purged};
use entity::{login_failure, refresh_token, session};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::support::{PASSWORD, TestApp, TestUser};

async fn sessions_of(app: &TestApp, user: Uuid) -> u64 {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user))
        .count(app.db())
        .await
        .expect("count sessions")
}

async fn tokens_of(app: &TestApp, session_id: Uuid) -> u64 {
    refresh_token::Entity::find()
        .filter(refresh_token::Column::SessionId.eq(session_id))
        .count(app.db())
        .await
        .expect("count refresh tokens")
}

async fn session_of(app: &TestApp, user: Uuid) -> Uuid {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user))
        .one(app.db())
        .await
        .expect("find the session")
        .expect("a session")
        .id
}

async fn failures_for(app: &TestApp, email: &str) -> u64 {
    login_failure::Entity::find()
        .filter(login_failure::Column::Email.eq(email))
        .count(app.db())
        .await
        .expect("count login failures")
}

async fn all_failures(app: &TestApp) -> u64 {
    login_failure::Entity::find()
        .count(app.db())
        .await
        .expect("count login failures")
}

/// A failed sign-in for a fresh email each time (ten for one email would
/// lock it, and a locked attempt is not recorded).
async fn fail_logins(app: &TestApp, n: usize) {
    for i in 0..n {
        app.login(&format!("nobody{i}@example.org"), "wrong").await;
    }
}

async fn purge(app: &TestApp) -> Purged {
    housekeeping::purge_all(app.db(), app.state.clock.now())
        .await
        .expect("a purge pass")
}

/// Exchanges the user's refresh token, keeping the new one.
async fn refresh(app: &TestApp, user: &mut TestUser) -> StatusCode {
    let response = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": user.refresh}),
        )
        .await;
    if response.status == StatusCode::OK {
        let tokens = response.json();
        user.access = tokens["access_token"].as_str().unwrap_or_default().into();
        user.refresh = tokens["refresh_token"].as_str().unwrap_or_default().into();
    }
    response.status
}

#[tokio::test]
async fn ended_sessions_and_their_tokens_are_kept_30_days_then_purged() {
    let app = TestApp::spawn().await;
    let mut alice = app.user("Alice").await;
    let bob = app.user("Bob").await;
    let alices = session_of(&app, alice.id).await;
    assert_eq!(refresh(&app, &mut alice).await, StatusCode::OK);
    app.post("/api/v1/auth/logout", Some(&bob.access), json!({}))
        .await
        .assert_status(StatusCode::NO_CONTENT);

    app.state.clock.advance(Duration::days(29));
    let within_retention = purge(&app).await;
    app.state.clock.advance(Duration::days(2));
    let after_bobs_retention = purge(&app).await;
    let alices_tokens_then = tokens_of(&app, alices).await;
    app.state.clock.advance(Duration::days(30));
    let after_alices_retention = purge(&app).await;

    assert!(within_retention.is_empty(), "{within_retention:?}");
    assert_eq!(after_bobs_retention.sessions, 1, "Bob's revoked session");
    assert_eq!(
        after_bobs_retention.refresh_tokens, 1,
        "Alice's token used 31 days ago"
    );
    assert_eq!(sessions_of(&app, bob.id).await, 0);
    assert_eq!(alices_tokens_then, 1, "Alice's newest token is kept");
    assert_eq!(after_alices_retention.sessions, 1);
    assert_eq!(sessions_of(&app, alice.id).await, 0);
    assert_eq!(tokens_of(&app, alices).await, 0);
}

#[tokio::test]
async fn a_session_in_use_survives_every_purge() {
    let app = TestApp::spawn().await;
    let mut alice = app.user("Alice").await;

    for _ in 0..4 {
        app.state.clock.advance(Duration::days(20));
        assert_eq!(refresh(&app, &mut alice).await, StatusCode::OK);
        purge(&app).await;
    }

    assert_eq!(refresh(&app, &mut alice).await, StatusCode::OK);
    app.get("/api/v1/me", Some(&alice.access))
        .await
        .assert_status(StatusCode::OK);
    let session = session_of(&app, alice.id).await;
    assert_eq!(
        tokens_of(&app, session).await,
        4,
        "of six tokens, the two that expired over 30 days ago are gone"
    );
}

#[tokio::test]
async fn a_reused_refresh_token_still_revokes_its_session_after_a_purge() {
    let app = TestApp::spawn().await;
    let mut alice = app.user("Alice").await;
    let stolen = alice.refresh.clone();
    assert_eq!(refresh(&app, &mut alice).await, StatusCode::OK);

    app.state.clock.advance(Duration::days(1));
    purge(&app).await;
    let replayed = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": stolen}),
        )
        .await;

    replayed.assert_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(refresh(&app, &mut alice).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_failures_go_once_they_leave_the_lockout_window_and_not_before() {
    let app = TestApp::spawn().await;
    let alice = app.user("Alice").await;
    for _ in 0..10 {
        app.login(&alice.email, "not the password").await;
    }

    app.state.clock.advance(Duration::minutes(14));
    purge(&app).await;
    let still_locked = app.login(&alice.email, PASSWORD).await;
    app.state.clock.advance(Duration::minutes(2));
    let purged = purge(&app).await;

    still_locked.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(purged.login_failures, 10);
    assert_eq!(failures_for(&app, &alice.email).await, 0);
    app.login(&alice.email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_pass_does_a_bounded_amount_and_the_next_goes_on() {
    let app = TestApp::spawn().await;
    fail_logins(&app, 7).await;
    app.state.clock.advance(Duration::hours(1));
    let small = Limits {
        batch: 2,
        batches_per_pass: 2,
    };

    let first = housekeeping::purge_pass(app.db(), app.state.clock.now(), small).await;
    let second = housekeeping::purge_pass(app.db(), app.state.clock.now(), small).await;

    let first = first.expect("first pass");
    let second = second.expect("second pass");
    assert_eq!((first.login_failures, first.more_left), (4, true));
    assert_eq!((second.login_failures, second.more_left), (3, false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn passes_running_at_once_delete_each_row_once_and_all_succeed() {
    let app = TestApp::spawn().await;
    fail_logins(&app, 40).await;
    app.state.clock.advance(Duration::hours(1));
    let now = app.state.clock.now();
    let small = Limits {
        batch: 3,
        batches_per_pass: 100,
    };

    let passes: Vec<_> = (0..4)
        .map(|_| {
            let db = app.db().clone();
            tokio::spawn(async move { housekeeping::purge_pass(&db, now, small).await })
        })
        .collect();
    let mut deleted = 0;
    for pass in passes {
        deleted += pass.await.expect("task").expect("pass").login_failures;
    }

    assert_eq!(deleted, 40);
    assert_eq!(all_failures(&app).await, 0);
}

#[tokio::test]
async fn the_server_purges_in_the_background_and_can_be_told_not_to() {
    let app = TestApp::spawn().await;
    fail_logins(&app, 3).await;
    app.state.clock.advance(Duration::hours(1));

    let off = housekeeping::spawn(&app.state, StdDuration::ZERO);
    let task =
        housekeeping::spawn(&app.state, StdDuration::from_millis(20)).expect("housekeeping is on");
    let mut left = u64::MAX;
    for _ in 0..250 {
        left = all_failures(&app).await;
        if left == 0 {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    task.abort();

    assert!(off.is_none());
    assert_eq!(left, 0);
}
