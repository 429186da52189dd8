//! Matters arising: every new agenda opens with what the forum must come
//! back to — actions still open from earlier meetings, issues answered
//! since the last meeting held, items that meeting carried over — each
//! once, however often it is refreshed; officers drop entries with a reason.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::uuid as id;
use crate::support::{ForumFixture, TestApp};

/// A held meeting with an open action and a done one agreed at it, and an
/// item it did not reach, carried over.
pub(crate) async fn last_meeting(app: &TestApp, fx: &ForumFixture) -> (Uuid, Uuid) {
    let held = app.meeting(fx, "Spring forum", -3).await;
    let item = app
        .post(
            &format!("/api/v1/meetings/{held}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Women's services review"}),
        )
        .await
        .json();
    let too_soon = app
        .patch(
            &format!("/api/v1/agenda-items/{}", id(&item)),
            Some(&fx.secretary.access),
            json!({"carried_over": true}),
        )
        .await;
    too_soon.assert_problem(StatusCode::CONFLICT);
    app.patch(
        &format!("/api/v1/meetings/{held}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.patch(
        &format!("/api/v1/agenda-items/{}", id(&item)),
        Some(&fx.secretary.access),
        json!({"carried_over": true}),
    )
    .await
    .assert_status(StatusCode::OK);
    let open = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map the housing pathway", "meeting_id": held,
                   "owner_organisation_id": fx.member_organisation, "due_on": "2027-06-30"}),
        )
        .await
        .json();
    app.post(
        &format!("/api/v1/actions/{}/updates", id(&open)),
        Some(&fx.member.access),
        json!({"body": "Met the council's housing lead"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let done = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Already done", "meeting_id": held}),
        )
        .await
        .json();
    for status in ["in-progress", "done"] {
        app.patch(
            &format!("/api/v1/actions/{}", id(&done)),
            Some(&fx.secretary.access),
            json!({"status": status}),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    (id(&open), id(&item))
}

#[tokio::test]
async fn a_new_agenda_opens_with_what_the_last_meeting_left_and_refreshes_idempotently() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (action, item) = last_meeting(&app, &fx).await;
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Housing referrals stalled", "body": "Since March."}),
        )
        .await
        .json();
    app.post(
        &format!("/api/v1/issues/{}/responses", id(&raised)),
        Some(&fx.rpd_staff.access),
        json!({"body": "We have spoken to the accommodation team."}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let next = app.schedule(&fx, "Summer forum", 48).await;
    let path = format!("/api/v1/meetings/{next}/matters-arising");
    let listed = app.get(&path, Some(&fx.member.access)).await;
    listed.assert_status(StatusCode::OK);
    let items = listed.json()["items"].clone();
    let by_kind = |kind: &str| -> Vec<Value> {
        items
            .as_array()
            .expect("items")
            .iter()
            .filter(|m| m["kind"] == kind)
            .cloned()
            .collect()
    };
    let actions = by_kind("action");
    assert_eq!(actions.len(), 1, "the done action is not a matter arising");
    assert_eq!(actions[0]["source_id"], action.to_string());
    assert_eq!(actions[0]["status"], "open");
    assert_eq!(actions[0]["due_on"], "2027-06-30");
    assert_eq!(
        actions[0]["owner_organisation_id"],
        fx.member_organisation.to_string()
    );
    assert_eq!(actions[0]["last_update"], "Met the council's housing lead");
    let issues = by_kind("issue");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["title"], "Housing referrals stalled");
    assert!(issues[0]["answered_at"].is_string());
    let carried = by_kind("agenda-item");
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0]["source_id"], item.to_string());
    assert_eq!(carried[0]["title"], "Women's services review");

    // Refreshing twice adds nothing; a dropped entry stays dropped.
    let entry = actions[0]["id"].as_str().expect("an id").to_string();
    let drop = format!("/api/v1/matters-arising/{entry}/drop");
    app.post(&drop, Some(&fx.member.access), json!({"reason": "x"}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let dropped = app
        .post(
            &drop,
            Some(&fx.secretary.access),
            json!({"reason": "Covered under item 3"}),
        )
        .await;
    dropped.assert_status(StatusCode::OK);
    app.post(
        &drop,
        Some(&fx.secretary.access),
        json!({"reason": "again"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    for _ in 0..2 {
        let refreshed = app.post(&path, Some(&fx.secretary.access), json!({})).await;
        refreshed.assert_status(StatusCode::OK);
        let again = refreshed.json()["items"].clone();
        assert_eq!(again.as_array().map(Vec::len), Some(3));
        let action = again
            .as_array()
            .and_then(|all| all.iter().find(|m| m["kind"] == "action"))
            .cloned()
            .expect("the action");
        assert_eq!(action["dropped_reason"], "Covered under item 3");
    }

    // Only officers refresh; another region's people do not see it at all.
    app.post(&path, Some(&fx.member.access), json!({}))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.get(&path, Some(&fx.other_member.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.post(
        &drop,
        Some(&fx.other_rpd_staff.access),
        json!({"reason": "x"}),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_held_meeting_s_matters_arising_are_settled() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let held = app.meeting(&fx, "Spring forum", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{held}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.post(
        &format!("/api/v1/meetings/{held}/matters-arising"),
        Some(&fx.secretary.access),
        json!({}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}
