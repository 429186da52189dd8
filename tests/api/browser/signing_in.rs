//! Signing in, registering and resetting a password in a real browser, as
//! a person does: by typing, clicking and following the emailed links.

use fantoccini::Locator;

use crate::browser::{open, open_without_javascript};
use crate::support::mail::smtp_worker;
use crate::support::smtp::SmtpServer;
use crate::support::{PASSWORD, TestApp};

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// The path and query of the emailed link to `page`.
fn emailed_link(smtp: &SmtpServer, page: &str) -> String {
    let received = smtp.received();
    let text = received.last().expect("an email").text();
    let start = text
        .find(&format!("https://convene.example.org{page}?code="))
        .unwrap_or_else(|| panic!("no link to {page} in {text}"));
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_start_matches("https://convene.example.org")
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_person_registers_confirms_by_the_emailed_link_signs_in_and_out() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let served = app.serve().await;

    browser.goto(&format!("{}/register", served.base)).await;
    browser.assert_accessible("register").await;
    browser.seen().await;
    browser.type_into("display_name", "Rhys Evans").await;
    browser.type_into("email", "rhys@example.org").await;
    browser.type_into("password", "short").await;
    browser.press("Create account").await;
    assert_eq!(browser.title().await, "Error: Create an account – Convene");
    assert_eq!(browser.value_of("email").await, "rhys@example.org");
    browser.assert_accessible("register with an error").await;
    browser.seen().await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Create account").await;
    assert_eq!(browser.text_of("h1").await, "Check your email");
    browser.assert_accessible("check your email").await;

    worker.run_once().await.expect("a pass");
    browser
        .goto(&format!(
            "{}{}",
            served.base,
            emailed_link(&smtp, "/confirm-email")
        ))
        .await;
    browser.assert_accessible("confirm email").await;
    browser.seen().await;
    browser.press("Confirm my email address").await;
    assert_eq!(browser.text_of("h1").await, "Email address confirmed");
    browser.assert_accessible("address confirmed").await;

    browser.goto(&format!("{}/sign-in", served.base)).await;
    browser.seen().await;
    browser.type_into("email", "rhys@example.org").await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Sign in").await;
    assert_eq!(browser.path().await, "/account");
    assert_eq!(browser.text_of("h1").await, "Your account");
    browser.assert_accessible("account").await;
    browser.screenshot("account").await;

    browser.seen().await;
    browser.press("Sign out").await;
    assert_eq!(browser.path().await, "/sign-in?signed-out=1");
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("You have signed out.")
    );
    browser.assert_accessible("signed out").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_moves_focus_to_the_error_summary_and_keeps_the_email() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let served = app.serve().await;

    browser.goto(&format!("{}/sign-in", served.base)).await;
    browser.assert_accessible("sign in").await;
    browser.seen().await;
    browser.type_into("email", &sam.email).await;
    browser
        .type_into("password", "not the password at all")
        .await;
    browser.press("Sign in").await;

    assert_eq!(browser.title().await, "Error: Sign in – Convene");
    let focused = browser
        .script("return document.activeElement.closest('.govuk-error-summary') !== null;")
        .await;
    assert_eq!(
        focused.as_bool(),
        Some(true),
        "focus is on the error summary"
    );
    assert_eq!(browser.value_of("email").await, sam.email);
    assert_eq!(browser.value_of("password").await, "");
    browser.assert_accessible("sign in with an error").await;
    browser.screenshot("sign-in-error").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn someone_resets_a_forgotten_password_from_the_emailed_link() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let served = app.serve().await;

    browser.goto(&format!("{}/sign-in", served.base)).await;
    browser.seen().await;
    browser
        .client
        .find(Locator::LinkText("I have forgotten my password"))
        .await
        .expect("the link")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    browser.assert_accessible("reset password").await;
    browser.seen().await;
    browser.type_into("email", &sam.email).await;
    browser.press("Send the email").await;
    assert_eq!(browser.text_of("h1").await, "Check your email");

    worker.run_once().await.expect("a pass");
    browser
        .goto(&format!(
            "{}{}",
            served.base,
            emailed_link(&smtp, "/reset-password/new")
        ))
        .await;
    browser.assert_accessible("new password").await;
    browser.seen().await;
    browser
        .type_into("new_password", "a brand new passphrase")
        .await;
    browser.press("Save the new password").await;
    assert_eq!(browser.text_of("h1").await, "Password changed");
    browser.assert_accessible("password changed").await;

    browser.goto(&format!("{}/sign-in", served.base)).await;
    browser.seen().await;
    browser.type_into("email", &sam.email).await;
    browser
        .type_into("password", "a brand new passphrase")
        .await;
    browser.press("Sign in").await;
    assert_eq!(browser.path().await, "/account");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_alone_reaches_every_control_of_sign_in_and_enter_signs_in() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let served = app.serve().await;
    browser.goto(&format!("{}/sign-in", served.base)).await;

    // Tab from the top of the page, noting each control focus reaches.
    let mut reached = Vec::new();
    let body = browser
        .client
        .find(Locator::Css("body"))
        .await
        .expect("a body");
    body.send_keys(TAB).await.expect("a tab");
    for _ in 0..20 {
        let here = browser
            .script(
                "const e = document.activeElement;
                 return e.id || e.getAttribute('href') || e.textContent.trim();",
            )
            .await;
        let here = here.as_str().unwrap_or_default().to_string();
        if reached.contains(&here) {
            break;
        }
        reached.push(here);
        let active = browser.client.active_element().await.expect("focus");
        active.send_keys(TAB).await.expect("a tab");
    }
    for control in [
        "#main-content",
        "/sign-in",
        "email",
        "password",
        "Sign in",
        "/reset-password",
        "/register",
    ] {
        assert!(
            reached.iter().any(|r| r == control),
            "{control} is not reached by Tab: {reached:?}"
        );
    }
    let order = |c: &str| reached.iter().position(|r| r == c);
    assert!(order("email") < order("password") && order("password") < order("Sign in"));

    browser.seen().await;
    let email = browser
        .client
        .find(Locator::Id("email"))
        .await
        .expect("email");
    email.click().await.expect("focused");
    email.send_keys(&sam.email).await.expect("typed");
    let focused = browser.client.active_element().await.expect("focus");
    focused.send_keys(TAB).await.expect("a tab");
    let password = browser.client.active_element().await.expect("focus");
    password.send_keys(PASSWORD).await.expect("typed");
    password.send_keys(ENTER).await.expect("enter");
    browser.settle_after_link().await;

    assert_eq!(browser.path().await, "/account");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_javascript_off_signing_in_and_out_still_work() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let sam = app.user("Sam Okafor").await;
    let served = app.serve().await;

    browser.goto(&format!("{}/sign-in", served.base)).await;
    let scripts_ran = browser
        .script("return document.body.className.includes('js-enabled');")
        .await;
    assert_eq!(scripts_ran.as_bool(), Some(false), "scripts are off");
    browser.seen().await;
    browser.type_into("email", &sam.email).await;
    browser
        .type_into("password", "not the password at all")
        .await;
    browser.press("Sign in").await;
    assert_eq!(browser.title().await, "Error: Sign in – Convene");
    assert_eq!(browser.value_of("email").await, sam.email);

    browser.seen().await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Sign in").await;
    assert_eq!(browser.path().await, "/account");
    assert!(
        browser
            .text_of(".govuk-service-navigation")
            .await
            .contains("Sam Okafor")
    );

    browser.seen().await;
    browser.press("Sign out").await;
    assert_eq!(browser.path().await, "/sign-in?signed-out=1");
    browser.close().await;
}
