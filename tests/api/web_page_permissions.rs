//! Every page of a forum that is not public, opened by everyone a forum
//! can have — the public, someone signed in of no part in it, a member, an
//! observer, its secretary and chair, RPD staff, an admin, and the
//! secretary of another region's forum — each answered as the page's row
//! of the permission table says (`docs/page-permissions.md`, generated
//! from the same rules): the page, the 403 page, or the way to sign in;
//! and for a page of one of the forum's records, to whoever may not read
//! the forum's records, the 404 page.

use axum::http::StatusCode;
use convene::kernel::access::{ForumAccess, ForumAction};
use convene::web::permissions::{PageRule, page_rules};
use entity::ForumRole;
use sea_orm::EntityTrait;

use crate::support::pages::PageClient;
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders, id};

/// The records a page's address may name: a meeting of the forum with an
/// item on its agenda, a poll put to the forum, an action of it, and an
/// issue it raised.
struct Records {
    meeting: String,
    item: String,
    poll: String,
    action: String,
    issue: String,
}

impl Records {
    async fn of(app: &TestApp, fx: &ForumFixture) -> Self {
        let meeting = app.schedule(fx, "Spring forum", 24 * 7).await;
        let item = app
            .post(
                &format!("/api/v1/meetings/{meeting}/agenda-items"),
                Some(&fx.secretary.access),
                serde_json::json!({"title": "Venue for the summer forum"}),
            )
            .await;
        item.assert_status(StatusCode::CREATED);
        let closes_at = app.state.clock.now() + chrono::Duration::days(7);
        let poll = app
            .post(
                &format!("/api/v1/forums/{}/polls", fx.forum),
                Some(&fx.secretary.access),
                serde_json::json!({"question": "Do we meet in Maidstone?",
                    "kind": "agree-disagree-abstain", "closes_at": closes_at}),
            )
            .await;
        poll.assert_status(StatusCode::CREATED);
        let action = builders::action(
            app.db(),
            fx.forum,
            "Map supported housing",
            "",
            app.state.clock.now(),
        )
        .await;
        let issue = app
            .post(
                &format!("/api/v1/forums/{}/issues", fx.forum),
                Some(&fx.member.access),
                serde_json::json!({"title": "Hostel places", "body": "Too few beds."}),
            )
            .await;
        issue.assert_status(StatusCode::CREATED);
        Self {
            meeting: meeting.to_string(),
            item: id(&item.json()),
            poll: id(&poll.json()),
            action: action.to_string(),
            issue: id(&issue.json()),
        }
    }

    fn address(&self, fx: &ForumFixture, rule: &PageRule) -> String {
        rule.address
            .replace("{forum}", &fx.forum.to_string())
            .replace("{meeting}", &self.meeting)
            .replace("{item}", &self.item)
            .replace("{poll}", &self.poll)
            .replace("{action}", &self.action)
            .replace("{issue}", &self.issue)
    }
}

#[tokio::test]
async fn every_forum_page_opens_for_whom_the_permission_table_allows_and_no_one_else() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let welsh_secretary = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        welsh_secretary.id,
        ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    let people: Vec<(&str, &TestUser)> = vec![
        ("signed in, no role", &fx.signed_in),
        ("member", &fx.member),
        ("observer", &fx.observer),
        ("secretary", &fx.secretary),
        ("chair", &fx.chair),
        ("rpd-staff", &fx.rpd_staff),
        ("admin", &fx.admin),
        ("another region's secretary", &welsh_secretary),
    ];
    let records = Records::of(&app, &fx).await;
    let mut failures = Vec::new();
    let mut public = PageClient::new(&app);
    for rule in page_rules() {
        let address = records.address(&fx, &rule);
        let answer = public.get(&address).await;
        if answer.status != StatusCode::SEE_OTHER {
            failures.push(format!("public {address}: {}", answer.status));
        }
    }
    for (who, person) in people {
        let model = entity::user::Entity::find_by_id(person.id)
            .one(app.db())
            .await
            .expect("a read")
            .expect("the person");
        let access = ForumAccess::load_for(app.db(), fx.forum, Some(&model))
            .await
            .expect("their access");
        let mut browser = PageClient::new(&app);
        browser
            .sign_in(&person.email, PASSWORD)
            .await
            .assert_status(StatusCode::SEE_OTHER);
        for rule in page_rules() {
            let address = records.address(&fx, &rule);
            let expected = if access.allows(rule.action) {
                StatusCode::OK
            } else if rule.names_a_record() && !access.allows(ForumAction::ReadParticipantRecords) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            let answer = browser.get(&address).await;
            if answer.status != expected {
                failures.push(format!(
                    "{who} {address}: {} where the table says {expected}",
                    answer.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
