//! A person chooses what they are told and finds their calendar feed in a
//! real browser, with JavaScript off and again on for axe, which judges
//! each page, the refusal and the pages after each change.

use fantoccini::Locator;

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn a_member_chooses_the_daily_email_and_makes_a_new_feed_address_without_javascript() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, false).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn what_we_tell_you_and_the_calendar_feeds_pass_axe() {
    let Some(browser) = open(320).await else {
        return;
    };
    journey(&browser, true).await;
    browser.close().await;
}

async fn click(browser: &Browser, css: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .expect("clicked");
}

async fn journey(browser: &Browser, judged: bool) {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let served = app.serve().await;
    browser.sign_in(&served.base, &fx.member.email).await;
    browser
        .goto(&format!("{}/account/notifications", served.base))
        .await;
    if judged {
        browser.assert_accessible("what we tell you").await;
        let (page, window) = browser.widths().await;
        assert!(page <= window, "no sideways scrolling at 320px");
    }
    // "In the daily email" for a meeting scheduled (its second option).
    click(browser, "label[for='meeting.scheduled-2']").await;
    // A kind left unchosen, as a hand-made form would: refused on its field.
    browser
        .script("document.querySelectorAll(\"input[name='poll.closing']\").forEach(i => i.checked = false);")
        .await;
    browser.seen().await;
    browser.press("Save what we tell you").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("A poll closes soon must be chosen")
    );
    if judged {
        browser
            .assert_accessible("what we tell you, one kind unchosen")
            .await;
    }
    click(browser, "label[for='poll.closing-3']").await;
    browser.seen().await;
    browser.press("Save what we tell you").await;
    assert!(browser.path().await.ends_with("?done=saved"));
    if judged {
        browser.assert_accessible("what we tell you, saved").await;
    }

    browser
        .goto(&format!("{}/account/calendar", served.base))
        .await;
    let before = browser.text_of("#feeds").await;
    assert!(before.contains("calendar.ics?token="));
    if judged {
        browser.assert_accessible("your calendar feeds").await;
        let (page, window) = browser.widths().await;
        assert!(page <= window, "the address wraps at 320px");
    }
    browser.seen().await;
    browser.press("Make new addresses").await;
    assert!(browser.path().await.ends_with("?done=renewed"));
    assert_ne!(browser.text_of("#feeds").await, before);
    if judged {
        browser
            .assert_accessible("your calendar feeds, renewed")
            .await;
    }
}
