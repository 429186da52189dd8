//! A forum's members, applications and roles as a browser receives them:
//! the officers' decisions made from the pages, the same operations'
//! refusals shown on the fields, and nothing offered or shown that the
//! permission table keeps from the reader.

use axum::http::StatusCode;
use entity::{ForumRole, MembershipStatus, Theme};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders};

/// An organisation that has applied to the forum of `fx`, working on
/// commissioning only, with a person of its own.
async fn applicant(app: &TestApp, fx: &ForumFixture) -> (Uuid, Uuid, TestUser) {
    let now = app.state.clock.now();
    let organisation = builders::organisation(app.db(), "Medway Commissioning Circle", now).await;
    entity::organisation_theme::ActiveModel {
        organisation_id: Set(organisation),
        theme: Set(Theme::Commissioning),
    }
    .insert(app.db())
    .await
    .expect("its theme");
    let membership = builders::membership(
        app.db(),
        fx.forum,
        organisation,
        MembershipStatus::Applied,
        now,
    )
    .await;
    let person = app.user("Applicant").await;
    builders::works_for(app.db(), person.id, organisation).await;
    (organisation, membership, person)
}

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

async fn status_of(app: &TestApp, membership: Uuid) -> MembershipStatus {
    entity::forum_membership::Entity::find_by_id(membership)
        .one(app.db())
        .await
        .expect("a read")
        .expect("the membership")
        .status
}

#[tokio::test]
async fn a_secretary_filters_the_members_by_theme_and_status() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    applicant(&app, &fx).await;
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let members = format!("/forums/{}/members", fx.forum);

    let all = text(&secretary.get(&members).await);
    let commissioning = text(
        &secretary
            .get(&format!("{members}?theme=commissioning"))
            .await,
    );
    let active = text(&secretary.get(&format!("{members}?status=active")).await);
    let stale = secretary
        .get(&format!("{members}?theme=no-such-theme"))
        .await;

    assert!(all.contains("Member&#39;s charity") && all.contains("Medway Commissioning Circle"));
    assert!(commissioning.contains("Medway Commissioning Circle"));
    assert!(!commissioning.contains("Member&#39;s charity"));
    assert!(active.contains("Member&#39;s charity"));
    assert!(!active.contains("Medway Commissioning Circle"));
    assert!(
        active.contains(r#"<option value="active" selected>"#),
        "the filter chosen stays chosen"
    );
    stale.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_secretary_approves_an_application_from_the_queue() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, membership, _) = applicant(&app, &fx).await;
    let mut secretary = signed_in(&app, &fx.secretary).await;

    let queue = text(
        &secretary
            .get(&format!("/forums/{}/members/applications", fx.forum))
            .await,
    );
    assert!(queue.contains("Medway Commissioning Circle"));
    let page = format!("/forums/{}/members/{membership}", fx.forum);
    assert!(queue.contains(&page));
    let shown = text(&secretary.get(&page).await);
    assert!(shown.contains("Approve the application"));
    assert!(shown.contains("Decline the application"));
    assert!(!shown.contains("Suspend"), "only the moves from applied");

    let approved = secretary
        .submit(&page, &page, &[("status", "active"), ("reason", "")])
        .await;

    approved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, membership).await, MembershipStatus::Active);
    let after = text(&secretary.get(&format!("{page}?done=decided")).await);
    assert!(after.contains("The decision is saved."));
    assert!(after.contains("Suspend the membership"));
}

#[tokio::test]
async fn suspending_without_a_reason_is_refused_on_the_reason_field_and_the_choice_is_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut chair = signed_in(&app, &fx.chair).await;
    let page = format!("/forums/{}/members/{}", fx.forum, fx.member_membership);

    let refused = chair
        .submit(&page, &page, &[("status", "suspended"), ("reason", "  ")])
        .await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(html.contains(r##"href="#reason""##));
    assert!(
        html.contains("Reason is required to suspend a membership"),
        "{html}"
    );
    assert!(html.contains(r#"value="suspended" checked"#));
    assert_eq!(
        status_of(&app, fx.member_membership).await,
        MembershipStatus::Active
    );
}

#[tokio::test]
async fn members_observers_and_rpd_staff_read_the_members_but_decide_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, membership, _) = applicant(&app, &fx).await;
    let page = format!("/forums/{}/members/{membership}", fx.forum);
    for who in [&fx.member, &fx.observer, &fx.rpd_staff] {
        let mut browser = signed_in(&app, who).await;
        let members = browser.get(&format!("/forums/{}/members", fx.forum)).await;
        members.assert_status(StatusCode::OK);
        assert!(!text(&members).contains("Applications to join"));
        browser
            .get(&format!("/forums/{}/members/applications", fx.forum))
            .await
            .assert_status(StatusCode::FORBIDDEN);
        let shown = text(&browser.get(&page).await);
        assert!(!shown.contains("Your decision"), "no decision offered");
        let refused = browser
            .submit(&page, &page, &[("status", "active"), ("reason", "")])
            .await;
        refused.assert_status(StatusCode::FORBIDDEN);
    }
    assert_eq!(status_of(&app, membership).await, MembershipStatus::Applied);
}

#[tokio::test]
async fn another_region_s_secretary_reaches_nothing_of_this_forum_by_its_ids() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, membership, _) = applicant(&app, &fx).await;
    let welsh = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        welsh.id,
        ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    let mut browser = signed_in(&app, &welsh).await;

    let members = browser.get(&format!("/forums/{}/members", fx.forum)).await;
    let queue = browser
        .get(&format!("/forums/{}/members/applications", fx.forum))
        .await;
    let through_own_forum = browser
        .get(&format!("/forums/{}/members/{membership}", fx.other_forum))
        .await;
    let decided = browser
        .submit(
            &format!("/forums/{}/members", fx.other_forum),
            &format!("/forums/{}/members/{membership}", fx.other_forum),
            &[("status", "active"), ("reason", "")],
        )
        .await;
    let direct = browser
        .get(&format!("/forums/{}/members/{membership}", fx.forum))
        .await;

    members.assert_status(StatusCode::FORBIDDEN);
    queue.assert_status(StatusCode::FORBIDDEN);
    through_own_forum.assert_status(StatusCode::NOT_FOUND);
    decided.assert_status(StatusCode::NOT_FOUND);
    direct.assert_status(StatusCode::NOT_FOUND);
    assert!(!text(&members).contains("Medway"));
    assert_eq!(status_of(&app, membership).await, MembershipStatus::Applied);
}

#[tokio::test]
async fn someone_not_signed_in_is_sent_to_sign_in_from_every_members_page() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = PageClient::new(&app);
    for path in [
        format!("/forums/{}/members", fx.forum),
        format!("/forums/{}/members/applications", fx.forum),
        format!("/forums/{}/members/{}", fx.forum, fx.member_membership),
        format!("/forums/{}/roles", fx.forum),
    ] {
        let page = browser.get(&path).await;
        page.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(
            page.headers.get("location").and_then(|l| l.to_str().ok()),
            Some(format!("/sign-in?next={path}").as_str())
        );
    }
}

#[tokio::test]
async fn a_secretary_makes_a_member_s_colleague_an_observer_but_is_offered_no_officer_role() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = app.user("Colleague").await;
    builders::works_for(app.db(), colleague.id, fx.member_organisation).await;
    let newcomer = app.user("Newcomer").await;
    builders::works_for(app.db(), newcomer.id, fx.member_organisation).await;
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let roles = format!("/forums/{}/roles", fx.forum);

    let shown = text(&secretary.get(&roles).await);
    assert!(shown.contains(&format!(r#"<option value="{}""#, colleague.id)));
    assert!(shown.contains(r#"value="observer""#));
    assert!(
        !shown.contains(r#"value="secretary""#),
        "only admins make officers"
    );
    assert!(
        !shown.contains(&format!("/roles/{}/remove", fx.chair.id)),
        "the chair's role is not the secretary's to take away"
    );

    let given = secretary
        .submit(
            &roles,
            &roles,
            &[("user_id", &colleague.id.to_string()), ("role", "observer")],
        )
        .await;
    given.assert_status(StatusCode::SEE_OTHER);
    let held = entity::forum_role::Entity::find_by_id((fx.forum, colleague.id))
        .one(app.db())
        .await
        .expect("a read")
        .expect("a role");
    assert_eq!(held.role, ForumRole::Observer);

    let unchosen = secretary
        .submit(&roles, &roles, &[("user_id", ""), ("role", "member")])
        .await;
    unchosen.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&unchosen).contains(r#"value="member" checked"#));

    let taken = secretary
        .submit(&roles, &format!("{roles}/{}/remove", fx.chair.id), &[])
        .await;
    taken.assert_status(StatusCode::FORBIDDEN);
    assert!(
        entity::forum_role::Entity::find_by_id((fx.forum, fx.chair.id))
            .one(app.db())
            .await
            .expect("a read")
            .is_some()
    );
}
