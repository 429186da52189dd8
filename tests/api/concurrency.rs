//! Many people at once: every decision is the database's, so of N identical
//! concurrent writes exactly one wins, on SQLite and on PostgreSQL alike.
//! Requests race through real connections to a served application, from the
//! tasks of a multi-threaded runtime.

use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use crate::support::{TestApp, count};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_editors_sending_the_same_etag_make_exactly_one_change() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let created = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map first-night accommodation"}),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    let action = created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let served = app.serve().await;

    let statuses = served
        .race(40, |i, client, base| {
            client
                .patch(format!("{base}/api/v1/actions/{action}"))
                .bearer_auth(&fx.secretary.access)
                .header("if-match", "\"1\"")
                .json(&json!({"title": format!("Edit number {i}")}))
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::PRECONDITION_FAILED),
        39,
        "{statuses:?}"
    );
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::OK)
        .unwrap_or_default();
    let now = app
        .get(
            &format!("/api/v1/actions/{action}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(now.header("etag"), Some("\"2\""));
    assert_eq!(now.json()["title"], format!("Edit number {winner}"));
}

/// A progress update that asks for the status the action already has moves
/// nothing; one that read the old status while another request moved it
/// loses (409). Either way the action moves once and the log says so once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_twenty_concurrent_progress_updates_moving_an_action_exactly_one_moves_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let created = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Write to the PCC"}),
        )
        .await;
    let action = created.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let served = app.serve().await;

    let statuses = served
        .race(20, |i, client, base| {
            client
                .post(format!("{base}/api/v1/actions/{action}/updates"))
                .bearer_auth(&fx.secretary.access)
                .json(
                    &json!({"body": format!("Started, says person {i}"), "status": "in-progress"}),
                )
        })
        .await;

    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let log = app
        .get(
            &format!("/api/v1/actions/{action}/updates?limit=200"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let entries = log["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), count(&statuses, StatusCode::CREATED));
    let moves: Vec<_> = entries
        .iter()
        .filter(|e| e["status_to"] == "in-progress")
        .collect();
    assert_eq!(moves.len(), 1, "{entries:?}");
    assert_eq!(moves[0]["status_from"], "open");
    let now = app
        .get(
            &format!("/api/v1/actions/{action}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(now.header("etag"), Some("\"2\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_ended_from_eight_devices_at_once_is_ended_once() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    // A second sign-in: the session the eight requests end.
    app.login(&sam.email, crate::support::PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    let sessions = app
        .get("/api/v1/me/sessions", Some(&sam.access))
        .await
        .json();
    let other = sessions["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["current"] == false)
        .and_then(|s| s["id"].as_str())
        .expect("the other session")
        .to_string();
    let served = app.serve().await;

    let statuses = served
        .race(8, |_, client, base| {
            client
                .delete(format!("{base}/api/v1/me/sessions/{other}"))
                .bearer_auth(&sam.access)
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::NO_CONTENT), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::NOT_FOUND), 7, "{statuses:?}");
    let ended = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Action.eq("session.ended"))
        .count(app.db())
        .await
        .expect("count the audit trail");
    assert_eq!(ended, 1, "one ending, recorded once");
}
