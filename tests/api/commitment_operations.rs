//! The commitments' operations called as any face calls them, without HTTP.

use convene::kernel::access::AuthUser;
use convene::kernel::error::ApiError;
use convene::kernel::versioning::IfMatch;
use convene::plans::{self, CommitmentPatch};
use entity::{audit_event, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::support::{TestApp, TestUser};

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

#[tokio::test]
async fn renaming_a_commitment_onto_a_reference_the_plan_has_is_refused_naming_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    app.commitment(
        &fx.rpd_staff,
        plan,
        "KSS-ACC-1",
        "accommodation",
        "specific",
    )
    .await;
    let second = app
        .commitment(&fx.rpd_staff, plan, "KSS-ACC-2", "accommodation", "general")
        .await;
    let rpd = caller(&app, &fx.rpd_staff).await;
    let patch: CommitmentPatch =
        serde_json::from_value(json!({"reference": " KSS-ACC-1 ", "text": "Renamed"}))
            .expect("a patch");

    let refused = plans::change_commitment(&app.state, &rpd, second, patch, &IfMatch::none()).await;

    match refused {
        Err(ApiError::Conflict(detail)) => {
            assert_eq!(detail, "this plan already has a commitment KSS-ACC-1");
        }
        other => panic!("expected 409: {other:?}"),
    }
    let kept = plans::commitment(&app.state, second)
        .await
        .expect("the commitment");
    assert_eq!((kept.reference.as_str(), kept.version), ("KSS-ACC-2", 1));
    let updated = audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(second))
        .filter(audit_event::Column::Action.eq("commitment.updated"))
        .count(app.db())
        .await
        .expect("read the audit trail");
    assert_eq!(updated, 0, "the refused change wrote nothing");
}
