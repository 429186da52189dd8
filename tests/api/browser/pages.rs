//! The public pages in the browser.

use crate::browser::{open, open_without_javascript};
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

/// A region with a plan of commitments under two themes, one with work
/// behind it, and two funding opportunities.
async fn region_with_a_plan(app: &TestApp) -> crate::support::ForumFixture {
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(
            &fx.rpd_staff,
            "kent-surrey-sussex",
            "KSS Reducing Reoffending Plan",
        )
        .await;
    let worked = app
        .commitment(&fx.rpd_staff, plan, "ACC-1", "accommodation", "specific")
        .await;
    app.commitment(&fx.rpd_staff, plan, "WOM-1", "women", "general")
        .await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        serde_json::json!({"title": "Find move-on beds", "commitment_ids": [worked]}),
    )
    .await
    .assert_status(axum::http::StatusCode::CREATED);
    crate::web_pages::two_opportunities(app, &fx).await;
    fx
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_page_and_its_plan_pass_axe_in_a_real_browser() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    region_with_a_plan(&app).await;
    let served = app.serve().await;

    browser
        .goto(&format!("{}/regions/kent-surrey-sussex", served.base))
        .await;
    assert_eq!(browser.title().await, "Kent, Surrey and Sussex – Convene");
    browser.assert_accessible("region").await;
    browser.screenshot("region").await;
    // Every chart's table open, as a reader opens them.
    browser
        .script("document.querySelectorAll('details').forEach(d => d.open = true); return 0;")
        .await;
    browser.assert_accessible("region, tables open").await;
    browser
        .goto(&format!(
            "{}/regions/kent-surrey-sussex?mechanism=grant&status=open#opportunities",
            served.base
        ))
        .await;
    browser
        .assert_accessible("region, opportunities filtered")
        .await;
    browser
        .goto(&format!("{}/regions/kent-surrey-sussex/plan", served.base))
        .await;
    assert_eq!(
        browser.title().await,
        "Commitments by theme – Kent, Surrey and Sussex – Convene"
    );
    browser.assert_accessible("plan").await;
    browser.close().await;
}

/// WCAG 1.4.10: at 320 CSS pixels wide the region page, charts and all,
/// scrolls only up and down; the README's screenshot is of it so.
#[tokio::test(flavor = "multi_thread")]
async fn the_region_page_reflows_at_320_css_pixels() {
    let Some(browser) = open(320).await else {
        return;
    };
    let app = TestApp::spawn().await;
    region_with_a_plan(&app).await;
    let served = app.serve().await;

    browser
        .goto(&format!("{}/regions/kent-surrey-sussex", served.base))
        .await;
    let (page, window) = browser.widths().await;

    assert_eq!(window, 320);
    assert!(
        page <= window,
        "the page is {page} px wide in a {window} px window"
    );
    browser
        .script("document.getElementById('chart-status-title').scrollIntoView(); return 0;")
        .await;
    browser.screenshot("region-narrow").await;
    browser.close().await;
}

/// With JavaScript off, the opportunities' filter form still filters: a
/// plain GET form.
#[tokio::test(flavor = "multi_thread")]
async fn the_opportunities_filter_works_with_javascript_off() {
    use fantoccini::Locator;
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    region_with_a_plan(&app).await;
    let served = app.serve().await;

    browser
        .goto(&format!("{}/regions/kent-surrey-sussex", served.base))
        .await;
    let scripts_ran = browser
        .script("return document.body.className.includes('js-enabled');")
        .await;
    let select = browser
        .client
        .find(Locator::Css("#filter-mechanism"))
        .await
        .expect("the mechanism filter");
    select.select_by_value("grant").await.expect("grant chosen");
    browser
        .client
        .find(Locator::Css("#opportunities + form button[type=submit]"))
        .await
        .expect("the filter's button")
        .click()
        .await
        .expect("submitted");
    let url = browser.client.current_url().await.expect("a url");
    let html = browser.client.source().await.expect("the page");

    assert_eq!(
        scripts_ran,
        serde_json::json!(false),
        "the page's scripts are off"
    );
    assert!(url.as_str().contains("mechanism=grant"), "{url}");
    assert!(
        html.contains("Women's centre services") || html.contains("Women&#39;s centre services")
    );
    assert!(
        !html.contains("Move-on accommodation"),
        "the contract is filtered out"
    );
    // (axe itself needs scripts: the filtered page is judged with them on.)
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
    let now = app.state.clock.now();
    for month in 0..11 {
        crate::support::builders::approved_minutes(
            app.db(),
            fx.forum,
            &format!("Forum no. {}", month + 1),
            now - chrono::Duration::days(400 - 31 * month),
        )
        .await;
    }
    crate::support::builders::consultation(
        app.db(),
        fx.forum,
        "Probation reform 2031",
        entity::ConsultationStatus::Submitted,
        Some((now.date_naive(), "https://consult.example.org/response/42")),
        now,
    )
    .await;
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
    browser
        .client
        .find(fantoccini::Locator::Css("a[rel=next]"))
        .await
        .expect("a link to older minutes")
        .click()
        .await
        .expect("followed");
    assert!(
        browser
            .client
            .source()
            .await
            .expect("the page")
            .contains("Forum no. 1<")
    );
    browser.assert_accessible("forum, older minutes").await;
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
