//! The meeting operations called directly, without HTTP: each makes its
//! whole decision — who may, what is valid, the conditional write — and
//! records its audit entry and outbox event in the one transaction of its
//! write.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use convene::kernel::access::AuthUser;
use convene::kernel::error::ApiError;
use convene::kernel::versioning::IfMatch;
use convene::meetings::{self, MeetingIn, MeetingOut, MeetingPatch};
use entity::{MeetingStatus, audit_event, meeting, outbox_event, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::support::{TestApp, TestUser};

/// The fixture's person as the caller of an operation.
async fn caller(app: &TestApp, person: &TestUser) -> AuthUser {
    let user = user::Entity::find_by_id(person.id)
        .one(app.db())
        .await
        .expect("read the person")
        .expect("the person exists");
    AuthUser {
        user,
        session_id: Uuid::nil(),
    }
}

fn status(result: Result<MeetingOut, ApiError>) -> StatusCode {
    let error = result.expect_err("the operation is refused");
    convene::http::problem::status(&error)
}

fn forum_meeting(starts_at: DateTime<Utc>) -> MeetingIn {
    MeetingIn {
        title: "  Spring forum  ".into(),
        description: "Plans for the year.".into(),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        location: Some("Maidstone Community Hub".into()),
        online_link: None,
    }
}

/// The audit entries and outbox events recorded of one meeting, oldest first.
async fn trail(app: &TestApp, id: Uuid) -> (Vec<audit_event::Model>, Vec<outbox_event::Model>) {
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(id))
        .all(app.db())
        .await
        .expect("read the audit trail");
    let outbox = outbox_event::Entity::find()
        .filter(outbox_event::Column::EntityId.eq(id))
        .all(app.db())
        .await
        .expect("read the outbox");
    (audit, outbox)
}

#[tokio::test]
async fn a_secretary_schedules_a_meeting_without_http() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let secretary = caller(&app, &fx.secretary).await;
    let starts_at = app.state.clock.now() + Duration::days(7);

    let out = meetings::schedule(&app.state, &secretary, fx.forum, forum_meeting(starts_at))
        .await
        .expect("the secretary schedules it");

    assert_eq!(out.title, "Spring forum", "the title is kept trimmed");
    assert_eq!(out.status, MeetingStatus::Scheduled);
    assert_eq!(out.version, 1);
    let stored = meeting::Entity::find_by_id(out.id)
        .one(app.db())
        .await
        .expect("read the meeting")
        .expect("the meeting is stored");
    assert_eq!(stored.forum_id, fx.forum);
    assert_eq!(stored.created_by, Some(fx.secretary.id));

    // The audit entry and the outbox event were written by the same write,
    // at the same moment as the meeting itself.
    let (audit, outbox) = trail(&app, out.id).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].action, "meeting.scheduled");
    assert_eq!(audit[0].actor_id, Some(fx.secretary.id));
    assert_eq!(audit[0].forum_id, Some(fx.forum));
    assert_eq!(audit[0].created_at, stored.created_at);
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0].kind, "meeting.scheduled");
    assert_eq!(outbox[0].actor_id, Some(fx.secretary.id));
    assert_eq!(outbox[0].payload["title"], "Spring forum");
    assert_eq!(outbox[0].created_at, stored.created_at);
}

#[tokio::test]
async fn a_member_may_not_schedule_a_meeting_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let member = caller(&app, &fx.member).await;
    let starts_at = app.state.clock.now() + Duration::days(7);

    let refused = meetings::schedule(&app.state, &member, fx.forum, forum_meeting(starts_at)).await;

    assert_eq!(status(refused), StatusCode::FORBIDDEN);
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(fx.forum))
        .count(app.db())
        .await
        .expect("count the meetings");
    assert_eq!(meetings, 0);
    let told = outbox_event::Entity::find()
        .filter(outbox_event::Column::Kind.eq("meeting.scheduled"))
        .count(app.db())
        .await
        .expect("count the events");
    assert_eq!(told, 0);
}

#[tokio::test]
async fn a_change_to_a_version_no_longer_current_is_refused_without_http() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let secretary = caller(&app, &fx.secretary).await;
    let chair = caller(&app, &fx.chair).await;
    let starts_at = app.state.clock.now() + Duration::days(7);
    let scheduled = meetings::schedule(&app.state, &secretary, fx.forum, forum_meeting(starts_at))
        .await
        .expect("scheduled");
    let read = IfMatch::parse(&format!("\"{}\"", scheduled.version)).expect("an entity tag");

    let retitled = MeetingPatch {
        title: Some("Spring forum (moved room)".into()),
        ..MeetingPatch::default()
    };
    let changed = meetings::change(&app.state, &chair, scheduled.id, retitled, &read)
        .await
        .expect("the chair changes the version it read");
    assert_eq!(changed.version, scheduled.version + 1);

    // The secretary still holds the first version: the write is refused.
    let moved = MeetingPatch {
        location: Some(Some("Ashford Gateway".into())),
        ..MeetingPatch::default()
    };
    let stale = meetings::change(&app.state, &secretary, scheduled.id, moved, &read).await;
    assert_eq!(status(stale), StatusCode::PRECONDITION_FAILED);
    let now = meetings::get(&app.state, &secretary, scheduled.id)
        .await
        .expect("read it again");
    assert_eq!(now.version, changed.version);
    assert_eq!(now.location.as_deref(), Some("Maidstone Community Hub"));
    let (audit, _) = trail(&app, scheduled.id).await;
    let updates = audit.iter().filter(|a| a.action == "meeting.updated");
    assert_eq!(
        updates.count(),
        1,
        "only the change that was made is audited"
    );
}

#[tokio::test]
async fn a_secretary_cancels_a_meeting_and_participants_are_told_in_the_same_write() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let secretary = caller(&app, &fx.secretary).await;
    let starts_at = app.state.clock.now() + Duration::days(7);
    let scheduled = meetings::schedule(&app.state, &secretary, fx.forum, forum_meeting(starts_at))
        .await
        .expect("scheduled");

    let cancel = MeetingPatch {
        status: Some(MeetingStatus::Cancelled),
        cancel_reason: Some(" The venue flooded ".into()),
        ..MeetingPatch::default()
    };
    let cancelled = meetings::change(
        &app.state,
        &secretary,
        scheduled.id,
        cancel,
        &IfMatch::none(),
    )
    .await
    .expect("the secretary cancels it");

    assert_eq!(cancelled.status, MeetingStatus::Cancelled);
    assert_eq!(
        cancelled.cancel_reason.as_deref(),
        Some("The venue flooded")
    );
    assert_eq!(cancelled.version, scheduled.version + 1);
    let (audit, outbox) = trail(&app, scheduled.id).await;
    let entry = audit
        .iter()
        .find(|a| a.action == "meeting.updated")
        .expect("the cancellation is audited");
    assert_eq!(
        entry.changes["status"]["to"], "cancelled",
        "{:?}",
        entry.changes
    );
    let told = outbox
        .iter()
        .find(|e| e.kind == "meeting.cancelled")
        .expect("the participants are told");
    assert_eq!(told.payload["cancel_reason"], "The venue flooded");
    assert_eq!(told.payload["version"], cancelled.version);
    assert_eq!(entry.created_at, cancelled.updated_at);
    assert_eq!(told.created_at, cancelled.updated_at);

    // Cancelled is where a meeting stays: holding it is not a move it can make.
    let hold = MeetingPatch {
        status: Some(MeetingStatus::Held),
        ..MeetingPatch::default()
    };
    let refused =
        meetings::change(&app.state, &secretary, scheduled.id, hold, &IfMatch::none()).await;
    assert_eq!(status(refused), StatusCode::CONFLICT);
}
