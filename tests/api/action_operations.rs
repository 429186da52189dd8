//! The actions' operations called as the pages will call them: without
//! HTTP, with a caller and a typed input, making the same decisions.

use convene::actions::{self, ActionIn, ActionPatch, UpdateIn};
use convene::kernel::access::AuthUser;
use convene::kernel::error::ApiError;
use convene::kernel::versioning::IfMatch;
use entity::{ActionStatus, audit_event, outbox_event};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::support::{TestApp, TestUser};

/// The caller an operation takes, for a person of the fixture.
async fn caller(app: &TestApp, person: &TestUser) -> AuthUser {
    let user = entity::user::Entity::find_by_id(person.id)
        .one(app.db())
        .await
        .expect("read the person")
        .expect("the person");
    AuthUser {
        user,
        session_id: Uuid::nil(),
    }
}

fn new_action(title: &str, owner: Option<Uuid>) -> ActionIn {
    ActionIn {
        title: title.into(),
        description: String::new(),
        meeting_id: None,
        owner_organisation_id: owner,
        owner_user_id: None,
        due_on: None,
        commitment_ids: Vec::new(),
    }
}

async fn audited(app: &TestApp, action: Uuid) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(action))
        .order_by_asc(audit_event::Column::Id)
        .all(app.db())
        .await
        .expect("the trail")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn a_member_records_an_action_for_their_organisation_without_http() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let member = caller(&app, &fx.member).await;

    let made = actions::create(
        &app.state,
        &member,
        fx.forum,
        new_action("Map move-on beds", Some(fx.member_organisation)),
    )
    .await
    .expect("recorded");

    assert_eq!(made.status, ActionStatus::Open);
    assert_eq!(made.version, 1);
    assert_eq!(audited(&app, made.id).await, ["action.created"]);
    let told = outbox_event::Entity::find()
        .filter(outbox_event::Column::EntityId.eq(made.id))
        .count(app.db())
        .await
        .expect("the outbox");
    assert_eq!(told, 1, "its owners are told, in the same write");
}

#[tokio::test]
async fn an_observer_and_another_forums_member_are_refused_as_the_table_says() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let observer = caller(&app, &fx.observer).await;
    let outsider = caller(&app, &fx.other_member).await;
    let secretary = caller(&app, &fx.secretary).await;
    let made = actions::create(&app.state, &secretary, fx.forum, new_action("Map", None))
        .await
        .expect("recorded");

    let by_observer =
        actions::create(&app.state, &observer, fx.forum, new_action("Watch", None)).await;
    let read_by_outsider = actions::get(&app.state, &outsider, made.id).await;

    assert!(
        matches!(by_observer, Err(ApiError::Forbidden(_))),
        "{by_observer:?}"
    );
    assert!(
        matches!(read_by_outsider, Err(ApiError::NotFound(_))),
        "{read_by_outsider:?}"
    );
}

#[tokio::test]
async fn a_stale_version_is_refused_and_progress_moves_the_status() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let secretary = caller(&app, &fx.secretary).await;
    let member = caller(&app, &fx.member).await;
    let made = actions::create(
        &app.state,
        &secretary,
        fx.forum,
        new_action("Map move-on beds", Some(fx.member_organisation)),
    )
    .await
    .expect("recorded");
    let renamed = actions::change(
        &app.state,
        &secretary,
        made.id,
        serde_json::from_value::<ActionPatch>(serde_json::json!({"title": "Map all beds"}))
            .expect("a patch"),
        &IfMatch::parse("\"1\"").expect("a tag"),
    )
    .await
    .expect("renamed");

    let stale = actions::change(
        &app.state,
        &secretary,
        made.id,
        serde_json::from_value::<ActionPatch>(serde_json::json!({"title": "Lost"}))
            .expect("a patch"),
        &IfMatch::parse("\"1\"").expect("a tag"),
    )
    .await;
    let (logged, _) = actions::log_progress(
        &app.state,
        &member,
        made.id,
        UpdateIn {
            body: "Met the council's housing lead".into(),
            status: Some(ActionStatus::InProgress),
        },
        &IfMatch::none(),
    )
    .await
    .expect("logged");

    assert_eq!(renamed.version, 2);
    assert!(
        matches!(stale, Err(ApiError::PreconditionFailed(_))),
        "{stale:?}"
    );
    assert_eq!(logged.status_to, Some(ActionStatus::InProgress));
    let now = actions::get(&app.state, &member, made.id)
        .await
        .expect("read");
    assert_eq!(
        (now.title.as_str(), now.status),
        ("Map all beds", ActionStatus::InProgress)
    );
    assert_eq!(
        audited(&app, made.id).await,
        ["action.created", "action.updated", "action.progress-logged"]
    );
}
