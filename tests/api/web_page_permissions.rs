//! Every page of a forum that is not public, opened by everyone a forum
//! can have — the public, someone signed in of no part in it, a member, an
//! observer, its secretary and chair, RPD staff, an admin, and the
//! secretary of another region's forum — each answered as the page's row
//! of the permission table says (`docs/page-permissions.md`, generated
//! from the same rules): the page, the 403 page, or the way to sign in.

use axum::http::StatusCode;
use convene::kernel::access::ForumAccess;
use convene::web::permissions::page_rules;
use entity::ForumRole;
use sea_orm::EntityTrait;

use crate::support::pages::PageClient;
use crate::support::{PASSWORD, TestApp, TestUser, builders};

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
    let mut failures = Vec::new();
    let mut public = PageClient::new(&app);
    for rule in page_rules() {
        let address = rule.address.replace("{forum}", &fx.forum.to_string());
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
            let address = rule.address.replace("{forum}", &fx.forum.to_string());
            let expected = if access.allows(rule.action) {
                StatusCode::OK
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
