//! A member raises an issue with a PDF as evidence in a real browser; the
//! region's RPD staff are emailed, find it at the top of "Awaiting your
//! answer", and answer it with evidence of their own; the member sees the
//! answer on the issue's page, answered in time. Refused once on each
//! form (nothing typed is lost). The journey is made with JavaScript off,
//! and again with it on for axe (which needs scripts) to judge every page
//! and every error.

use fantoccini::Locator;

use crate::browser::{Browser, open, open_without_javascript};
use crate::papers::pdf;
use crate::support::TestApp;
use crate::support::mail::{fixture, received_by, smtp_worker};
use crate::support::smtp::SmtpServer;

#[tokio::test(flavor = "multi_thread")]
async fn member_raises_an_issue_with_a_pdf_and_the_rpd_staff_answer_it_in_time() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, Judged(false)).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_issue_page_and_error_passes_axe() {
    let Some(browser) = open(1280).await else {
        return;
    };
    journey(&browser, Judged(true)).await;
    browser.close().await;
}

/// Whether axe judges each page (it needs the page's scripts on).
struct Judged(bool);

async fn accessible(browser: &Browser, judged: &Judged, what: &str) {
    if judged.0 {
        browser.assert_accessible(what).await;
    }
}

/// Signs out (the browser forgets its cookies) and in as someone else.
async fn sign_in_as(browser: &Browser, base: &str, email: &str) {
    browser
        .client
        .delete_all_cookies()
        .await
        .expect("cookies forgotten");
    browser.sign_in(base, email).await;
}

async fn journey(browser: &Browser, judged: Judged) {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let served = app.serve().await;
    let folder = tempfile::tempdir().expect("a folder");
    let evidence = folder.path().join("release-day-figures.pdf");
    std::fs::write(&evidence, pdf(4_000)).expect("a file");
    let note = folder.path().join("contract-note.pdf");
    std::fs::write(&note, pdf(2_000)).expect("a file");

    // The member raises it.
    browser.sign_in(&served.base, &fx.member.email).await;
    browser
        .goto(&format!("{}/forums/{}/issues", served.base, fx.forum))
        .await;
    assert_eq!(
        browser.text_of("h1").await,
        "Issues raised with the RPD's team"
    );
    accessible(browser, &judged, "the forum's issues, none yet").await;
    browser
        .client
        .find(Locator::LinkText("Raise an issue"))
        .await
        .expect("a link to raise one")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    assert_eq!(browser.text_of("h1").await, "Raise an issue");
    assert!(browser.text_of("#evidence-limits").await.contains("PDF"));
    accessible(browser, &judged, "the form to raise an issue").await;

    browser.seen().await;
    browser
        .type_into(
            "body",
            "Twelve people were released on Fridays to no address.",
        )
        .await;
    browser.press("Raise the issue").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Title")
    );
    assert_eq!(
        browser.value_of("body").await,
        "Twelve people were released on Fridays to no address.",
        "what was typed is kept"
    );
    accessible(
        browser,
        &judged,
        "the form to raise an issue, without a title",
    )
    .await;

    browser.seen().await;
    browser
        .type_into("title", "Friday releases with no address")
        .await;
    browser.choose_file("file", &evidence).await;
    browser.press("Raise the issue").await;
    let issue_path = browser.path().await;
    assert!(issue_path.ends_with("?done=raised"), "{issue_path}");
    let issue_path = issue_path.trim_end_matches("?done=raised").to_string();
    assert_eq!(
        browser.text_of("h1").await,
        "Friday releases with no address"
    );
    assert!(
        browser
            .text_of("#evidence + ul")
            .await
            .contains("release-day-figures.pdf")
    );
    assert!(browser.text_of("main").await.contains("Due in 28 days"));
    accessible(browser, &judged, "the issue raised").await;

    // The RPD staff are told by email.
    worker.run_once().await.expect("a pass");
    let told = received_by(&smtp, &fx.rpd_staff.email);
    assert!(
        told.iter()
            .any(|m| m.text().contains("Friday releases with no address")),
        "the RPD staff are emailed"
    );

    // They find it at the top of "Awaiting your answer".
    sign_in_as(browser, &served.base, &fx.rpd_staff.email).await;
    browser
        .goto(&format!("{}/awaiting-answer", served.base))
        .await;
    assert_eq!(browser.text_of("h1").await, "Awaiting your answer");
    assert!(
        browser
            .text_of("#awaiting tbody tr:first-child")
            .await
            .contains("Friday releases with no address")
    );
    accessible(browser, &judged, "awaiting your answer").await;
    if judged.0 {
        browser.screenshot("awaiting-answer").await;
    }
    browser
        .client
        .find(Locator::LinkText("Friday releases with no address"))
        .await
        .expect("a link to the issue")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    assert_eq!(browser.path().await, issue_path);

    // And answer it, with evidence.
    browser.seen().await;
    browser.press("Send the answer").await;
    assert!(browser.title().await.starts_with("Error: "));
    accessible(browser, &judged, "the answer form, empty").await;
    browser.seen().await;
    browser
        .type_into("body", "Two more beds from April for Friday releases.")
        .await;
    browser.choose_file("file", &note).await;
    browser.press("Send the answer").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your answer has been sent")
    );
    accessible(browser, &judged, "the issue answered").await;

    // The member sees the answer, in time.
    sign_in_as(browser, &served.base, &fx.member.email).await;
    browser.goto(&format!("{}{issue_path}", served.base)).await;
    let main = browser.text_of("main").await;
    assert!(main.contains("Two more beds from April"));
    assert!(main.contains("contract-note.pdf"));
    assert!(main.contains("Answered in time"));
    accessible(browser, &judged, "the answer, as the member reads it").await;
}
