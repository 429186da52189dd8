//! The public pages in the browser.

use crate::browser::open;
use crate::support::TestApp;

#[tokio::test(flavor = "multi_thread")]
async fn the_home_page_passes_axe_in_a_real_browser() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.meeting(&fx, "Spring forum", 24 * 30).await;
    let served = app.serve().await;

    browser.goto(&format!("{}/", served.base)).await;

    assert_eq!(
        browser.title().await,
        "Voluntary sector forums of the probation regions – Convene"
    );
    browser.assert_accessible("home").await;
    browser.screenshot("home").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_not_found_page_passes_axe_in_a_real_browser() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let served = app.serve().await;

    browser.goto(&format!("{}/no/such/page", served.base)).await;

    assert_eq!(browser.title().await, "Page not found – Convene");
    browser.assert_accessible("not found").await;
    browser.close().await;
}

/// WCAG 1.4.10: at 320 CSS pixels wide the home page scrolls only up and
/// down.
#[tokio::test(flavor = "multi_thread")]
async fn the_home_page_reflows_at_320_css_pixels() {
    let Some(browser) = open(320).await else {
        return;
    };
    let app = TestApp::spawn().await;
    app.forum_fixture().await;
    let served = app.serve().await;

    browser.goto(&format!("{}/", served.base)).await;
    let widths = browser
        .script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
        )
        .await;

    assert!(
        widths[0].as_i64() <= widths[1].as_i64(),
        "the page is {} px wide in a {} px window",
        widths[0],
        widths[1]
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_page_passes_axe_in_a_real_browser() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(
            &fx.rpd_staff,
            "kent-surrey-sussex",
            "KSS Reducing Reoffending Plan",
        )
        .await;
    app.commitment(&fx.rpd_staff, plan, "ACC-1", "accommodation", "specific")
        .await;
    crate::web_pages::two_opportunities(&app, &fx).await;
    let served = app.serve().await;

    browser
        .goto(&format!("{}/regions/kent-surrey-sussex", served.base))
        .await;

    assert_eq!(browser.title().await, "Kent, Surrey and Sussex – Convene");
    browser.assert_accessible("region").await;
    browser.screenshot("region").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forum_page_passes_axe_in_a_real_browser() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.meeting(&fx, "Summer forum", 24 * 20).await;
    let served = app.serve().await;

    browser
        .goto(&format!("{}/forums/{}", served.base, fx.forum))
        .await;

    assert_eq!(
        browser.title().await,
        "KSS Voluntary Sector Forum – Convene"
    );
    browser.assert_accessible("forum").await;
    browser.screenshot("forum").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approved_minutes_page_with_a_withheld_section_passes_axe() {
    use axum::http::{Method, StatusCode};
    use serde_json::json;
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/minutes"),
        Some(&fx.secretary.access),
        Some(json!({"sections": [
            {"heading": "Welcome", "body": "The chair welcomed everyone."},
            {"heading": "Chair's note", "body": "A restructure is planned.",
             "visibility": "officers", "visibility_reason": "staffing matter"},
        ]})),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.chair.access),
        json!({}),
    )
    .await
    .assert_status(StatusCode::OK);
    let served = app.serve().await;

    browser
        .goto(&format!(
            "{}/forums/{}/minutes/{meeting}",
            served.base, fx.forum
        ))
        .await;

    assert_eq!(browser.title().await, "Minutes: Spring forum – Convene");
    browser.assert_accessible("minutes").await;
    browser.screenshot("minutes").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_themes_page_passes_axe_in_a_real_browser() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    for reference in ["ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-5", "ACC-6"] {
        app.commitment(&fx.rpd_staff, plan, reference, "accommodation", "specific")
            .await;
    }
    let served = app.serve().await;

    browser.goto(&format!("{}/themes", served.base)).await;

    assert_eq!(browser.title().await, "Themes by region – Convene");
    browser.assert_accessible("themes").await;
    browser.close().await;
}
