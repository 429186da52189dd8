//! "Your organisation's work" in a real browser: a member answers the next
//! meeting, registers the organisation's interest in an opportunity, and
//! is refused an answer to a meeting cancelled while the page was open —
//! axe judging the page, each answer and the error; and once with
//! JavaScript off, an answer sent as a plain form.

use serde_json::json;

use crate::browser::{open, open_without_javascript};
use crate::support::TestApp;
use crate::web_your_work::kent_work;

#[tokio::test(flavor = "multi_thread")]
async fn a_member_answers_a_meeting_and_registers_interest_and_is_told_of_a_cancelled_one() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    kent_work(&app, &fx).await;
    let later = app.schedule(&fx, "Summer forum", 24 * 60).await;
    let served = app.serve().await;

    browser.sign_in(&served.base, &fx.member.email).await;
    browser.goto(&format!("{}/your-work", served.base)).await;
    assert_eq!(browser.text_of("h1").await, "Your organisation's work");
    browser.assert_accessible("your organisation's work").await;
    browser.screenshot("your-work").await;
    browser.seen().await;
    browser.press("Yes, I will come – Spring forum").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your answer is saved.")
    );
    browser.assert_accessible("an answer saved").await;
    browser.seen().await;
    browser
        .press("Register interest – Accommodation services in Kent")
        .await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("interest is registered")
    );
    browser.assert_accessible("interest registered").await;

    // The summer meeting is cancelled while the page is open.
    app.patch(
        &format!("/api/v1/meetings/{later}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Rail strike"}),
    )
    .await
    .assert_status(axum::http::StatusCode::OK);
    browser.seen().await;
    browser.press("Maybe – Summer forum").await;
    assert!(
        browser
            .title()
            .await
            .starts_with("Error: Your organisation")
    );
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("RSVPs are closed")
    );
    browser.assert_accessible("an answer refused").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_a_member_answers_a_meeting_from_its_page() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = kent_work(&app, &fx).await;
    let served = app.serve().await;

    browser.sign_in(&served.base, &fx.member.email).await;
    browser.goto(&format!("{}/your-work", served.base)).await;
    browser.seen().await;
    browser.press("No, I cannot come – Spring forum").await;
    assert!(browser.path().await.starts_with("/your-work?done=rsvp"));
    assert!(
        browser
            .text_of(&format!("#meeting-{meeting}"))
            .await
            .contains("You said you cannot come.")
    );

    browser
        .goto(&format!(
            "{}/forums/{}/meetings/{meeting}#rsvp",
            served.base, fx.forum
        ))
        .await;
    browser.seen().await;
    browser.press("Yes, I will come – Spring forum").await;
    assert!(browser.path().await.ends_with("?done=rsvp"));
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your answer is saved.")
    );
    browser.close().await;
}
