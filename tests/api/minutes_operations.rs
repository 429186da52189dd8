//! The minutes' operations called as any face calls them, without HTTP:
//! each makes its whole decision, the audit entry included.

use axum::http::StatusCode;
use convene::kernel::access::AuthUser;
use convene::kernel::error::ApiError;
use convene::kernel::versioning::IfMatch;
use convene::minutes::{self, MinutesIn, Written};
use entity::{MinutesStatus, audit_event, outbox_event, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestUser};

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

async fn held_meeting(app: &TestApp, fx: &ForumFixture) -> Uuid {
    let meeting = app.meeting(fx, "Forum", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    meeting
}

fn text(body: &str) -> MinutesIn {
    serde_json::from_value(json!({ "body": body })).expect("minutes as one text")
}

/// The audit entries of the minutes, oldest first.
async fn audited(app: &TestApp, minutes_id: Uuid) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(minutes_id))
        .order_by_asc(audit_event::Column::Id)
        .all(app.db())
        .await
        .expect("read the audit trail")
}

#[tokio::test]
async fn the_secretary_drafts_the_first_version_and_the_draft_is_audited() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let secretary = caller(&app, &fx.secretary).await;

    let written = minutes::write(
        &app.state,
        &secretary,
        meeting,
        text("# Minutes\n\nPresent: all"),
        &IfMatch::none(),
    )
    .await
    .expect("the secretary drafts the minutes");

    let Written::First(drafted) = written else {
        panic!("the first write is the first version: {written:?}");
    };
    assert_eq!(drafted.version, 1);
    assert_eq!(drafted.status, MinutesStatus::Draft);
    assert_eq!(drafted.body, "# Minutes\n\nPresent: all");
    let trail = audited(&app, drafted.id).await;
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!(trail[0].action, "minutes.edited");
    assert_eq!(trail[0].actor_id, Some(fx.secretary.id));
    assert_eq!(trail[0].forum_id, Some(fx.forum));
    assert_eq!(trail[0].changes["version"], 1);
}

#[tokio::test]
async fn an_edit_of_a_version_someone_else_replaced_is_refused_as_stale() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let secretary = caller(&app, &fx.secretary).await;
    let first = IfMatch::parse("\"1\"").expect("a tag");
    minutes::write(
        &app.state,
        &secretary,
        meeting,
        text("First"),
        &IfMatch::none(),
    )
    .await
    .expect("first draft");
    let Written::Edited(second) =
        minutes::write(&app.state, &secretary, meeting, text("Second"), &first)
            .await
            .expect("an edit of version 1")
    else {
        panic!("a later write edits the minutes");
    };
    assert_eq!(second.version, 2);

    let stale = minutes::write(&app.state, &secretary, meeting, text("Third"), &first).await;

    assert!(
        matches!(stale, Err(ApiError::PreconditionFailed(_))),
        "{stale:?}"
    );
    let now = minutes::get(&app.state, Some(&secretary), meeting)
        .await
        .expect("the minutes");
    assert_eq!((now.version, now.body.as_str()), (2, "Second"));
    let edits: Vec<_> = audited(&app, now.id)
        .await
        .into_iter()
        .map(|e| (e.action, e.changes["version"].clone()))
        .collect();
    assert_eq!(
        edits,
        [
            ("minutes.edited".to_string(), json!(1)),
            ("minutes.edited".to_string(), json!(2)),
        ],
        "the refused edit wrote nothing"
    );
}

#[tokio::test]
async fn the_chair_approves_held_minutes_and_the_approval_is_audited_and_told() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let secretary = caller(&app, &fx.secretary).await;
    let chair = caller(&app, &fx.chair).await;
    minutes::write(
        &app.state,
        &secretary,
        meeting,
        text("Agreed"),
        &IfMatch::none(),
    )
    .await
    .expect("first draft");

    let approved = minutes::approve(&app.state, &chair, meeting, &IfMatch::none())
        .await
        .expect("the chair approves");

    assert_eq!(approved.status, MinutesStatus::Approved);
    assert_eq!(approved.approved_by, Some(fx.chair.id));
    assert_eq!(approved.version, 2);
    let trail = audited(&app, approved.id).await;
    let approval = trail.last().expect("an audit entry");
    assert_eq!(approval.action, "minutes.approved");
    assert_eq!(approval.actor_id, Some(fx.chair.id));
    assert_eq!(
        approval.changes["status"],
        json!({"from": "draft", "to": "approved"})
    );
    let told = outbox_event::Entity::find()
        .filter(outbox_event::Column::Kind.eq("minutes.approved"))
        .filter(outbox_event::Column::EntityId.eq(meeting))
        .count(app.db())
        .await
        .expect("read the outbox");
    assert_eq!(told, 1);
    let again = minutes::approve(&app.state, &chair, meeting, &IfMatch::none()).await;
    assert!(matches!(again, Err(ApiError::Conflict(_))), "{again:?}");
}
