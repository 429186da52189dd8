//! A secretary schedules the forum's monthly meetings in a real browser,
//! as plain forms: the series form (refused once), the preview of its
//! dates, the meetings made — still at 10am after the clocks go forward —
//! then one of them changed and another cancelled. The journey is made
//! with JavaScript off, and again with it on for axe (which needs scripts)
//! to judge every page and every error.

use chrono::{Datelike, NaiveDate};

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::TestApp;

/// The first of the next February (2027, as this is written).
fn next_february(app: &TestApp) -> NaiveDate {
    let now = app.state.clock.now();
    let year = if now.month() == 1 {
        now.year()
    } else {
        now.year() + 1
    };
    NaiveDate::from_ymd_opt(year, 2, 1).expect("a day")
}

#[tokio::test(flavor = "multi_thread")]
async fn secretary_schedules_a_monthly_series_that_stays_at_10am_after_the_clocks_change() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, Judged(false)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_scheduling_page_and_error_passes_axe() {
    let Some(browser) = open(1280).await else {
        return;
    };
    journey(&browser, Judged(true)).await;
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
    let served = app.serve().await;
    let february = next_february(&app);
    let year = february.year();
    let meetings = format!("{}/forums/{}/meetings", served.base, fx.forum);

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&meetings).await;
    assert_eq!(
        browser.title().await,
        "Meetings – KSS Voluntary Sector Forum – Convene"
    );
    accessible(browser, &judged, "the forum's meetings, none yet").await;

    browser
        .goto(&format!("{}/forums/{}/series/new", served.base, fx.forum))
        .await;
    accessible(browser, &judged, "the series form").await;
    browser.seen().await;
    // Date and time inputs take their values as the browser's picker
    // would give them.
    browser
        .script(&format!(
            "document.getElementById('starts_on').value = '{february}';
             document.getElementById('start_time').value = '10:00';"
        ))
        .await;
    browser.type_into("count", "6").await;
    browser
        .type_into("location", "Maidstone Community Hub")
        .await;
    browser.press("Check the dates").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert_eq!(
        browser.value_of("count").await,
        "6",
        "what was typed is kept"
    );
    accessible(browser, &judged, "the series form with an error").await;

    browser.seen().await;
    browser
        .type_into("title", "KSS Voluntary Sector Forum")
        .await;
    browser.press("Check the dates").await;
    assert_eq!(browser.text_of("h1").await, "Check the meetings' dates");
    let dates = browser.text_of("#series-dates").await;
    for month in 2..=7 {
        let day = NaiveDate::from_weekday_of_month_opt(year, month, chrono::Weekday::Tue, 2)
            .expect("a second Tuesday");
        let shown = format!("{}, 10am", day.format("%A %-d %B %Y"));
        assert!(dates.contains(&shown), "{shown} in {dates}");
    }
    accessible(browser, &judged, "the series' dates").await;
    if judged.0 {
        browser.screenshot("series-preview").await;
    }

    browser.seen().await;
    browser.press("Schedule these meetings").await;
    assert_eq!(
        browser.path().await,
        format!("/forums/{}/meetings?done=series", fx.forum)
    );
    let listed = browser.text_of("table").await;
    let april = NaiveDate::from_weekday_of_month_opt(year, 4, chrono::Weekday::Tue, 2)
        .expect("a second Tuesday");
    assert!(
        listed.contains(&format!("{}, 10am", april.format("%A %-d %B %Y"))),
        "after the clocks go forward on the last Sunday of March: {listed}"
    );
    accessible(browser, &judged, "the forum's meetings, scheduled").await;

    // The first meeting changed, alone.
    browser
        .client
        .find(fantoccini::Locator::Css("table a[href$='/edit']"))
        .await
        .expect("a change link")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    accessible(browser, &judged, "changing a meeting").await;
    browser.seen().await;
    browser.type_into("title", "").await;
    browser.press("Save the changes").await;
    assert!(browser.title().await.starts_with("Error: "));
    accessible(browser, &judged, "changing a meeting, with an error").await;
    browser.seen().await;
    browser.type_into("title", "KSS forum and AGM").await;
    browser.press("Save the changes").await;
    assert!(browser.text_of("table").await.contains("KSS forum and AGM"));

    // The second cancelled, with a reason.
    let cancel_links = browser
        .client
        .find_all(fantoccini::Locator::Css(
            "table a[href*='/meetings/'][href$='/cancel']",
        ))
        .await
        .expect("cancel links");
    let second = cancel_links
        .get(1)
        .expect("the second meeting's cancel link");
    second.click().await.expect("followed");
    browser.settle_after_link().await;
    accessible(browser, &judged, "cancelling a meeting").await;
    browser.seen().await;
    browser.press("Cancel the meeting").await;
    assert!(browser.title().await.starts_with("Error: "));
    accessible(browser, &judged, "cancelling, with no reason").await;
    browser.seen().await;
    browser
        .type_into("reason", "The venue is closed that week")
        .await;
    browser.press("Cancel the meeting").await;
    assert!(browser.text_of("table").await.contains("Cancelled"));
}
