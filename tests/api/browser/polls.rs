//! A secretary puts a single-choice poll to the forum from an agenda item
//! in a real browser, as a plain form: refused once (a choice poll with no
//! options), then put, landing on the poll's page. The journey is made
//! with JavaScript off, and again with it on for axe (which needs scripts)
//! to judge every page and every error.

use chrono::Duration;
use chrono_tz::Europe::London;
use fantoccini::Locator;
use serde_json::json;

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::{TestApp, uuid};

#[tokio::test(flavor = "multi_thread")]
async fn secretary_puts_a_single_choice_poll_from_an_agenda_item() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, Judged(false)).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_poll_page_and_error_passes_axe() {
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

async fn journey(browser: &Browser, judged: Judged) {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Spring forum", 24 * 7).await;
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Venue for the summer forum"}),
        )
        .await;
    let item = uuid(&made.json());
    let served = app.serve().await;
    let closes_on = (app.state.clock.now() + Duration::days(30))
        .with_timezone(&London)
        .date_naive();

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser
        .goto(&format!(
            "{}/forums/{}/meetings/{meeting}",
            served.base, fx.forum
        ))
        .await;
    accessible(browser, &judged, "the meeting page, offering a poll").await;
    browser
        .client
        .find(Locator::Css(&format!("a[href$='/items/{item}/poll']")))
        .await
        .expect("a poll link on the item")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    assert_eq!(browser.text_of("h1").await, "Put a poll to the forum");
    assert_eq!(
        browser.value_of("question").await,
        "Venue for the summer forum"
    );
    accessible(browser, &judged, "the poll form").await;

    browser.seen().await;
    browser
        .type_into("question", "Where should the summer forum meet?")
        .await;
    browser
        .client
        .find(Locator::Id("kind-2"))
        .await
        .expect("the single choice radio")
        .click()
        .await
        .expect("chosen");
    // Date and time inputs take their values as the browser's picker
    // would give them.
    browser
        .script(&format!(
            "document.getElementById('closes_on').value = '{closes_on}';
             document.getElementById('closes_time').value = '17:00';"
        ))
        .await;
    browser.press("Put the poll to the forum").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(".govuk-error-summary")
            .await
            .contains("a choice poll lists its options")
    );
    assert_eq!(
        browser.value_of("question").await,
        "Where should the summer forum meet?",
        "what was typed is kept"
    );
    accessible(
        browser,
        &judged,
        "the poll form, a choice poll without options",
    )
    .await;

    browser.seen().await;
    browser
        .type_into("options", "Maidstone Community Hub\nCanterbury Guildhall")
        .await;
    browser.press("Put the poll to the forum").await;
    let path = browser.path().await;
    assert!(
        path.starts_with(&format!("/forums/{}/polls/", fx.forum))
            && path.ends_with("?done=created"),
        "{path}"
    );
    assert_eq!(
        browser.text_of("h1").await,
        "Where should the summer forum meet?"
    );
    assert!(
        browser
            .text_of("#options + ul")
            .await
            .contains("Canterbury Guildhall")
    );
    accessible(browser, &judged, "the poll put to the forum").await;
    if judged.0 {
        browser.screenshot("poll").await;
    }

    browser
        .goto(&format!("{}/forums/{}/polls", served.base, fx.forum))
        .await;
    assert!(
        browser
            .text_of("#polls")
            .await
            .contains("Where should the summer forum meet?")
    );
    accessible(browser, &judged, "the forum's polls").await;
}
