//! A secretary builds a meeting's agenda in a real browser: an
//! officers-only item (told first that it needs its reason), a paper for
//! it (told first that a program is not a paper), and then, with
//! JavaScript off, the agenda put in order with the plain buttons. axe
//! judges every page and every error.

use serde_json::json;

use crate::browser::{open, open_without_javascript};
use crate::papers::pdf;
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn secretary_builds_an_agenda_with_an_officers_only_item_and_a_paper_and_reorders_it_without_javascript()
 {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 24 * 14).await;
    app.post(
        &format!("/api/v1/meetings/{meeting}/agenda-items"),
        Some(&fx.secretary.access),
        json!({"title": "Welcome and introductions", "minutes_allotted": 10, "presenter": "The chair"}),
    )
    .await;
    let served = app.serve().await;
    let page = format!("{}/forums/{}/meetings/{meeting}", served.base, fx.forum);

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&page).await;
    assert_eq!(
        browser.title().await,
        "Spring forum – KSS Voluntary Sector Forum – Convene"
    );
    browser.assert_accessible("the meeting page").await;

    browser.seen().await;
    browser.type_into("title", "The hostel lease").await;
    browser.type_into("presenter", "Priya Shah").await;
    browser.type_into("minutes_allotted", "20").await;
    browser
        .script("document.getElementById('visibility-3').click();")
        .await;
    browser.press("Add the item").await;
    assert_eq!(
        browser.title().await,
        "Error: Spring forum – KSS Voluntary Sector Forum – Convene"
    );
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Why it is not public is required when it is not public")
    );
    let focused = browser
        .script("return document.activeElement.closest('.govuk-error-summary') !== null;")
        .await;
    assert_eq!(
        focused.as_bool(),
        Some(true),
        "focus is on the error summary"
    );
    assert_eq!(browser.value_of("title").await, "The hostel lease");
    assert_eq!(browser.value_of("presenter").await, "Priya Shah");
    browser
        .assert_accessible("an item without its reason")
        .await;

    browser.seen().await;
    browser.type_into("visibility_reason", "legal advice").await;
    browser.press("Add the item").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The item is on the agenda.")
    );
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Officers only: legal advice")
    );
    browser.assert_accessible("the item added").await;

    let folder = tempfile::tempdir().expect("a folder");
    let program = folder.path().join("figures.pdf");
    std::fs::write(
        &program,
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0",
    )
    .expect("a file");
    browser.seen().await;
    browser.type_into("paper-title", "Hostel figures").await;
    browser
        .script(
            "const s = document.getElementById('agenda_item_id');
             for (const o of s.options) { if (o.text === 'The hostel lease') s.value = o.value; }",
        )
        .await;
    browser.choose_file("file", &program).await;
    browser.press("Upload the paper").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of("#file-error")
            .await
            .contains("none of these")
    );
    assert_eq!(browser.value_of("paper-title").await, "Hostel figures");
    browser
        .assert_accessible("a paper of a kind not taken")
        .await;

    let paper = folder.path().join("hostel-figures.pdf");
    std::fs::write(&paper, pdf(3000)).expect("a file");
    browser.seen().await;
    browser
        .script(
            "const s = document.getElementById('agenda_item_id');
             for (const o of s.options) { if (o.text === 'The hostel lease') s.value = o.value; }",
        )
        .await;
    browser.choose_file("file", &paper).await;
    browser.press("Upload the paper").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The paper is uploaded.")
    );
    browser.assert_accessible("the paper uploaded").await;
    browser.goto(&page).await;
    browser
        .script("document.getElementById('agenda').scrollIntoView();")
        .await;
    browser.screenshot("meeting-agenda").await;

    // The order, without JavaScript: plain forms, one per button.
    let Some(plain) = open_without_javascript(1280).await else {
        return;
    };
    plain.sign_in(&served.base, &fx.secretary.email).await;
    plain.goto(&page).await;
    plain.seen().await;
    plain.press("Move up The hostel lease").await;
    assert!(
        plain
            .text_of(".govuk-notification-banner")
            .await
            .contains("The agenda is in its new order.")
    );
    assert_eq!(
        plain
            .text_of("#agenda ~ .govuk-summary-card .govuk-summary-card__title")
            .await,
        "1. The hostel lease"
    );
    let reordered = plain.path().await;
    plain.close().await;
    // axe needs the page's scripts to run: it judges the same page in the
    // browser that has them.
    browser.goto(&format!("{}{reordered}", served.base)).await;
    browser.assert_accessible("the agenda reordered").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn secretary_merges_an_item_the_chair_changed_since_they_opened_it() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 24 * 14).await;
    let item = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Housing"}),
        )
        .await
        .json();
    let item = crate::support::id(&item);
    let served = app.serve().await;
    let edit = format!(
        "{}/forums/{}/meetings/{meeting}/items/{item}",
        served.base, fx.forum
    );

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&edit).await;
    assert_eq!(
        browser.title().await,
        "Edit agenda item: Housing – KSS Voluntary Sector Forum – Convene"
    );
    browser.assert_accessible("the item's edit page").await;

    app.patch(
        &format!("/api/v1/agenda-items/{item}"),
        Some(&fx.chair.access),
        json!({"title": "Housing and homelessness"}),
    )
    .await;
    browser.seen().await;
    browser
        .type_into("title", "Housing: the Maidstone hostel")
        .await;
    browser.press("Save the item").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("Changed by Chair at")
    );
    assert!(
        browser
            .text_of("main")
            .await
            .contains("Housing and homelessness")
    );
    assert_eq!(
        browser.value_of("title").await,
        "Housing: the Maidstone hostel"
    );
    browser.assert_accessible("the item changed since").await;

    browser.seen().await;
    browser
        .type_into("title", "Housing and homelessness: the Maidstone hostel")
        .await;
    browser.press("Save the item").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The item is saved.")
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_sees_a_withheld_item_and_proposes_one_after_an_error() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 24 * 14).await;
    app.post(
        &format!("/api/v1/meetings/{meeting}/agenda-items"),
        Some(&fx.secretary.access),
        json!({"title": "The hostel lease", "visibility": "officers", "visibility_reason": "legal advice"}),
    )
    .await;
    let served = app.serve().await;
    let page = format!("{}/forums/{}/meetings/{meeting}", served.base, fx.forum);

    browser.sign_in(&served.base, &fx.member.email).await;
    browser.goto(&page).await;
    let main = browser.text_of("main").await;
    assert!(main.contains("Withheld: legal advice"));
    assert!(!main.contains("The hostel lease"));
    browser.assert_accessible("a member's meeting page").await;

    browser.seen().await;
    browser.type_into("minutes_allotted", "a lot").await;
    browser.press("Propose the item").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert_eq!(browser.value_of("minutes_allotted").await, "a lot");
    browser.assert_accessible("a proposal with errors").await;

    browser.seen().await;
    browser.type_into("title", "Women's centre funding").await;
    browser.type_into("minutes_allotted", "15").await;
    browser.press("Propose the item").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("Your item is proposed.")
    );
    browser.assert_accessible("a proposal made").await;
    browser.close().await;
}
