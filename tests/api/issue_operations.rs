//! The issues' operations called as any face calls them, without HTTP:
//! each makes its whole decision, the audit entry included.

use convene::issues::{self, IssueIn, IssueOut, ResponseIn};
use convene::kernel::access::AuthUser;
use convene::kernel::error::ApiError;
use entity::{IssueStatus, audit_event, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
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

/// The audit entries of the issue, oldest first.
async fn audited(app: &TestApp, issue_id: Uuid) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::EntityId.eq(issue_id))
        .order_by_asc(audit_event::Column::Id)
        .all(app.db())
        .await
        .expect("read the audit trail")
}

async fn raised(app: &TestApp, fx: &ForumFixture) -> IssueOut {
    let member = caller(app, &fx.member).await;
    let input: IssueIn = serde_json::from_value(json!({
        "title": "Late referrals to accommodation services",
        "body": "Referrals arrive after release day.",
        "priority": "high",
    }))
    .expect("an issue");
    issues::raise(&app.state, &member, fx.forum, input)
        .await
        .expect("a member raises an issue")
}

fn answer() -> ResponseIn {
    serde_json::from_value(json!({"body": "We are changing the referral window."}))
        .expect("a response")
}

#[tokio::test]
async fn a_member_raises_an_issue_for_their_organisation_and_it_is_audited() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let issue = raised(&app, &fx).await;

    assert_eq!(issue.status, IssueStatus::Open);
    assert_eq!(issue.raised_by, Some(fx.member.id));
    assert_eq!(
        issue.raised_by_organisation_id,
        Some(fx.member_organisation)
    );
    assert_eq!(issue.version, 1);
    let trail = audited(&app, issue.id).await;
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert_eq!(trail[0].action, "issue.raised");
    assert_eq!(trail[0].actor_id, Some(fx.member.id));
    assert_eq!(trail[0].forum_id, Some(fx.forum));
}

#[tokio::test]
async fn the_region_s_rpd_staff_answer_an_issue_which_moves_to_responded_and_is_audited() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = raised(&app, &fx).await;
    let rpd = caller(&app, &fx.rpd_staff).await;

    let response = issues::respond(&app.state, &rpd, issue.id, answer())
        .await
        .expect("the region's RPD staff answer");

    assert_eq!(response.author_id, Some(fx.rpd_staff.id));
    let now = issues::get(&app.state, &rpd, issue.id)
        .await
        .expect("the issue");
    assert_eq!(now.issue.status, IssueStatus::Responded);
    assert_eq!(now.issue.version, 2);
    assert_eq!(now.responses.len(), 1);
    let trail = audited(&app, issue.id).await;
    let answered = trail.last().expect("an audit entry");
    assert_eq!(answered.action, "issue.responded");
    assert_eq!(answered.actor_id, Some(fx.rpd_staff.id));
    assert_eq!(answered.changes["response_id"], json!(response.id));
    assert_eq!(answered.changes["first_response"], true);
}

#[tokio::test]
async fn another_region_s_rpd_staff_cannot_answer_or_even_see_the_issue() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = raised(&app, &fx).await;
    let welsh_rpd = caller(&app, &fx.other_rpd_staff).await;

    let refused = issues::respond(&app.state, &welsh_rpd, issue.id, answer()).await;

    assert!(matches!(refused, Err(ApiError::NotFound(_))), "{refused:?}");
    let trail = audited(&app, issue.id).await;
    assert_eq!(
        trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["issue.raised"],
        "the refusal wrote nothing"
    );
}
