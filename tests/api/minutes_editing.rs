//! What an editor of the minutes is shown, as any face asks for it: only
//! the forum's officers may edit; the next steps offered are those the
//! operations would allow (drafting from the agenda once the meeting is
//! held, approving for the chair or else the secretary); and who made the
//! last change, and when, from the audit trail.

use axum::http::{Method, StatusCode};
use convene::audit_trail::last_change;
use convene::kernel::access::AuthUser;
use convene::kernel::audit::EntityKind;
use convene::kernel::error::ApiError;
use convene::kernel::versioning::IfMatch;
use convene::minutes::{self, MinutesIn};
use entity::user;
use sea_orm::EntityTrait;
use serde_json::json;
use uuid::Uuid;

use crate::support::{TestApp, TestUser};
use crate::web_minutes_editor::held_meeting_with_agenda;

async fn caller(app: &TestApp, person: &TestUser) -> AuthUser {
    let user = user::Entity::find_by_id(person.id)
        .one(app.db())
        .await
        .expect("read the user")
        .expect("the user exists");
    AuthUser {
        user,
        session_id: Uuid::nil(),
    }
}

fn text(body: &str) -> MinutesIn {
    serde_json::from_value(json!({ "body": body })).expect("minutes as one text")
}

#[tokio::test]
async fn only_officers_edit_and_only_what_the_operations_allow_is_offered() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let secretary = caller(&app, &fx.secretary).await;
    let chair = caller(&app, &fx.chair).await;

    for (who, refused) in [
        (&fx.member, "forbidden"),
        (&fx.observer, "forbidden"),
        (&fx.rpd_staff, "forbidden"),
        (&fx.other_rpd_staff, "not found"),
    ] {
        let outcome = minutes::editing(&app.state, &caller(&app, who).await, meeting).await;
        match (outcome, refused) {
            (Err(ApiError::Forbidden(_)), "forbidden")
            | (Err(ApiError::NotFound(_)), "not found") => {}
            (other, _) => panic!("{refused} expected, got {other:?}"),
        }
    }
    let before = minutes::editing(&app.state, &secretary, meeting)
        .await
        .expect("the secretary edits");
    assert!(before.minutes.is_none());
    assert!(before.may_draft_from_agenda);
    assert!(!before.may_approve, "nothing to approve yet");
    assert_eq!(before.agenda.len(), 2);

    minutes::write(
        &app.state,
        &secretary,
        meeting,
        text("Draft"),
        &IfMatch::none(),
    )
    .await
    .expect("a first draft");
    let drafted = minutes::editing(&app.state, &secretary, meeting)
        .await
        .expect("the secretary edits");
    assert!(!drafted.may_draft_from_agenda);
    assert!(!drafted.may_approve, "the forum has a chair");
    let for_chair = minutes::editing(&app.state, &chair, meeting)
        .await
        .expect("the chair edits");
    assert!(for_chair.may_approve);

    app.request(
        Method::DELETE,
        &format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.chair.id),
        Some(&fx.admin.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let chairless = minutes::editing(&app.state, &secretary, meeting)
        .await
        .expect("the secretary edits");
    assert!(
        chairless.may_approve,
        "where there is no chair, the secretary approves"
    );
}

#[tokio::test]
async fn the_last_change_of_a_record_names_who_made_it_and_when() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let secretary = caller(&app, &fx.secretary).await;
    let chair = caller(&app, &fx.chair).await;
    let first = minutes::write(
        &app.state,
        &secretary,
        meeting,
        text("One"),
        &IfMatch::none(),
    )
    .await
    .expect("a first draft");
    let id = match first {
        minutes::Written::First(out) | minutes::Written::Edited(out) => out.id,
    };
    assert_eq!(
        last_change(app.db(), EntityKind::Minutes, id)
            .await
            .expect("read the trail")
            .and_then(|c| c.by),
        Some("Secretary".to_string())
    );
    minutes::write(
        &app.state,
        &chair,
        meeting,
        text("Two"),
        &IfMatch::parse("\"1\"").expect("a tag"),
    )
    .await
    .expect("an edit");
    let last = last_change(app.db(), EntityKind::Minutes, id)
        .await
        .expect("read the trail")
        .expect("a change");
    assert_eq!(last.by.as_deref(), Some("Chair"));
    assert!(
        last_change(app.db(), EntityKind::Minutes, Uuid::now_v7())
            .await
            .expect("read the trail")
            .is_none()
    );
}
