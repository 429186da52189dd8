//! Changing one's email address in a real browser, as a person does: the
//! account page's form (refused once, with a wrong password), then the link
//! emailed to the new address.

use crate::browser::open;
use crate::support::mail::{link_in, received_by, smtp_worker};
use crate::support::smtp::SmtpServer;
use crate::support::{PASSWORD, TestApp};

#[tokio::test(flavor = "multi_thread")]
async fn someone_changes_their_address_on_the_account_page_and_by_the_emailed_link() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let sam = app.user("Sam Okafor").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let served = app.serve().await;

    browser.sign_in(&served.base, &sam.email).await;
    assert_eq!(browser.path().await, "/account");

    browser.seen().await;
    browser
        .type_into("new_email", "sam.okafor@example.org")
        .await;
    browser
        .type_into("email_current_password", "not the password at all")
        .await;
    browser.press("Send the confirmation email").await;
    assert_eq!(browser.title().await, "Error: Your account – Convene");
    let focused = browser
        .script("return document.activeElement.closest('.govuk-error-summary') !== null;")
        .await;
    assert_eq!(
        focused.as_bool(),
        Some(true),
        "focus is on the error summary"
    );
    assert_eq!(
        browser.value_of("new_email").await,
        "sam.okafor@example.org"
    );
    assert_eq!(browser.value_of("email_current_password").await, "");
    browser.assert_accessible("account with an error").await;

    browser.seen().await;
    browser.type_into("email_current_password", PASSWORD).await;
    browser.press("Send the confirmation email").await;
    assert_eq!(browser.text_of("h1").await, "Check your email");
    browser.assert_accessible("check your email").await;

    worker.run_once().await.expect("a pass");
    let link = link_in(
        &received_by(&smtp, "sam.okafor@example.org")[0],
        "/confirm-email-change",
    );
    browser.goto(&format!("{}{link}", served.base)).await;
    browser.assert_accessible("confirm the new address").await;
    browser.seen().await;
    browser.press("Change my email address").await;
    assert_eq!(browser.text_of("h1").await, "Email address changed");
    browser.assert_accessible("address changed").await;

    browser.goto(&format!("{}/account", served.base)).await;
    assert!(
        browser
            .text_of(".govuk-summary-list")
            .await
            .contains("sam.okafor@example.org")
    );
    browser.close().await;
}
