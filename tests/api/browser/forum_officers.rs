//! A forum's secretary at work in a real browser: the dashboard, the
//! applications queue, a decision refused and then made, the members
//! filtered, and the roles — every page and every error judged by axe.

use entity::MembershipStatus;

use crate::browser::open;
use crate::support::{TestApp, builders};

#[tokio::test(flavor = "multi_thread")]
async fn a_secretary_decides_an_application_from_the_dashboard() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let applicant = builders::organisation(app.db(), "Medway Commissioning Circle", now).await;
    builders::membership(
        app.db(),
        fx.forum,
        applicant,
        MembershipStatus::Applied,
        now,
    )
    .await;
    builders::meeting(
        app.db(),
        fx.forum,
        "Spring forum",
        now + chrono::Duration::days(20),
        now,
    )
    .await;
    let served = app.serve().await;

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&format!("{}/your-forums", served.base)).await;
    assert_eq!(browser.title().await, "Your forums – Convene");
    browser.assert_accessible("your forums").await;
    browser.screenshot("your-forums").await;

    browser.seen().await;
    browser
        .client
        .find(fantoccini::Locator::LinkText("Applications to join"))
        .await
        .expect("the applications task")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    assert_eq!(browser.text_of("h1").await, "Applications to join");
    browser.assert_accessible("applications").await;

    browser.seen().await;
    browser
        .client
        .find(fantoccini::Locator::Css(
            "a[href*='/members/0'], .govuk-summary-card__action a",
        ))
        .await
        .expect("the decide link")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    assert_eq!(browser.text_of("h1").await, "Medway Commissioning Circle");
    browser.assert_accessible("a membership").await;

    browser.seen().await;
    browser
        .type_into("reason", "We will discuss it at the spring forum")
        .await;
    browser.press("Save the decision").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert_eq!(
        browser.value_of("reason").await,
        "We will discuss it at the spring forum",
        "what was typed is kept"
    );
    browser
        .assert_accessible("a decision with nothing chosen")
        .await;

    browser.seen().await;
    browser
        .client
        .find(fantoccini::Locator::Id("status"))
        .await
        .expect("the first choice")
        .click()
        .await
        .expect("chosen");
    browser.press("Save the decision").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The decision is saved.")
    );
    browser.assert_accessible("a decision made").await;

    browser
        .goto(&format!(
            "{}/forums/{}/members?status=active",
            served.base, fx.forum
        ))
        .await;
    assert!(
        browser
            .text_of("table")
            .await
            .contains("Medway Commissioning Circle")
    );
    browser.assert_accessible("members filtered").await;

    browser
        .goto(&format!("{}/forums/{}/roles", served.base, fx.forum))
        .await;
    browser.assert_accessible("roles").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_reads_at_a_phone_s_width() {
    let Some(browser) = open(320).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let served = app.serve().await;
    browser.sign_in(&served.base, &fx.chair.email).await;
    browser.goto(&format!("{}/your-forums", served.base)).await;
    let (page, window) = browser.widths().await;
    assert!(page <= window, "no sideways scrolling: {page} > {window}");
    browser.assert_accessible("your forums, narrow").await;
    browser.close().await;
}
