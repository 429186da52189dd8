//! A member organisation's worker, in a real browser, finds their
//! organisation's overdue action in the forum's list, links it to the
//! commitment of the region's plan it also serves, is refused a note left
//! empty, then logs their progress and marks it done; the region's public
//! page — its commitments table and the chart of the work behind each
//! theme — shows the change. The journey is made with JavaScript off, and
//! again with it on for axe to judge every page and every error.

use fantoccini::Locator;
use serde_json::json;

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::{ForumFixture, TestApp, uuid};

#[tokio::test(flavor = "multi_thread")]
async fn member_organisations_worker_logs_progress_on_an_overdue_action_and_marks_it_done() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, Judged(false)).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_action_page_and_error_passes_axe() {
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

/// The region's plan with a commitment on housing and one on jobs, and an
/// action of the member's organisation on housing, due a week ago and in
/// progress.
async fn overdue_action(app: &TestApp, fx: &ForumFixture) {
    let plan = app
        .plan(
            &fx.rpd_staff,
            "kent-surrey-sussex",
            "Reducing reoffending 2021-22",
        )
        .await;
    let mut commitments = Vec::new();
    for (reference, theme, words) in [
        (
            "KSS-ACC-1",
            "accommodation",
            "Find housing for prison leavers",
        ),
        (
            "KSS-EMP-1",
            "employment-education",
            "Open jobs to people on probation",
        ),
    ] {
        let made = app
            .post(
                &format!("/api/v1/plans/{plan}/commitments"),
                Some(&fx.rpd_staff.access),
                json!({"reference": reference, "theme": theme, "firmness": "specific", "text": words}),
            )
            .await;
        commitments.push(uuid(&made.json()));
    }
    let due = (app.state.clock.now() - chrono::Duration::days(7)).date_naive();
    let made = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map supported housing in Medway",
                   "owner_organisation_id": fx.member_organisation,
                   "due_on": due, "commitment_ids": [commitments[0]]}),
        )
        .await;
    app.patch(
        &format!("/api/v1/actions/{}", uuid(&made.json())),
        Some(&fx.secretary.access),
        json!({"status": "in-progress"}),
    )
    .await;
}

/// The region page's row of the commitments table for this reference.
async fn commitment_row(browser: &Browser, reference: &str) -> String {
    let found = browser
        .script(&format!(
            "const row = [...document.querySelectorAll('tr')].find(r => {{
                 const th = r.querySelector('th[scope=row]');
                 return th && th.textContent.trim() === '{reference}';
             }});
             return row ? row.textContent.replace(/\\s+/g, ' ').trim() : '';"
        ))
        .await;
    found.as_str().unwrap_or_default().to_string()
}

/// The figures of the chart of work behind each theme, as its table has them.
async fn work_chart(browser: &Browser) -> String {
    let found = browser
        .script(
            "const title = document.getElementById('chart-work-title');
             const table = title && title.parentElement.querySelector('table');
             return table ? table.textContent.replace(/\\s+/g, ' ').trim() : '';",
        )
        .await;
    found.as_str().unwrap_or_default().to_string()
}

async fn journey(browser: &Browser, judged: Judged) {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    overdue_action(&app, &fx).await;
    let served = app.serve().await;
    let region = format!("{}/regions/kent-surrey-sussex", served.base);

    browser.goto(&region).await;
    let housing_before = commitment_row(browser, "KSS-ACC-1").await;
    let jobs_before = commitment_row(browser, "KSS-EMP-1").await;
    let chart_before = work_chart(browser).await;
    assert!(housing_before.ends_with("1 1 –"), "{housing_before}");

    browser.sign_in(&served.base, &fx.member.email).await;
    browser
        .goto(&format!("{}/forums/{}/actions", served.base, fx.forum))
        .await;
    browser
        .client
        .find(Locator::LinkText("Map supported housing in Medway"))
        .await
        .expect("the action's link in the list")
        .click()
        .await
        .expect("followed");
    browser.settle_after_link().await;
    assert_eq!(
        browser.text_of("h1").await,
        "Map supported housing in Medway"
    );
    assert!(browser.text_of("#about").await.contains("7 days overdue"));
    accessible(browser, &judged, "the action page").await;

    browser.seen().await;
    browser.type_into("q", "jobs").await;
    browser.press("Search the plan").await;
    assert!(browser.text_of("#found").await.contains("KSS-EMP-1"));
    accessible(browser, &judged, "the action page, commitments found").await;
    browser.seen().await;
    browser.press("Link KSS-EMP-1").await;
    assert!(browser.text_of("#linked").await.contains("KSS-EMP-1"));
    accessible(browser, &judged, "the action page, a commitment linked").await;

    browser.seen().await;
    browser
        .client
        .find(Locator::Css("input[name=status][value=done]"))
        .await
        .expect("done among the moves")
        .click()
        .await
        .expect("chosen");
    browser.press("Save progress").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of("#body-error")
            .await
            .contains("What has happened")
    );
    accessible(browser, &judged, "the progress form, a note left empty").await;

    browser.seen().await;
    browser
        .type_into(
            "body",
            "Every provider mapped; the list is with the council.",
        )
        .await;
    browser.press("Save progress").await;
    assert!(browser.path().await.contains("done=logged"));
    assert_eq!(browser.text_of("#status").await, "Done");
    assert!(
        browser
            .text_of("#log + ol")
            .await
            .contains("Every provider mapped")
    );
    assert!(!browser.text_of("#about").await.contains("overdue"));
    accessible(browser, &judged, "the action page, done").await;
    if judged.0 {
        browser.screenshot("action").await;
    }

    browser.goto(&region).await;
    let housing_after = commitment_row(browser, "KSS-ACC-1").await;
    assert!(housing_after.ends_with("1 0 –"), "{housing_after}");
    assert_ne!(commitment_row(browser, "KSS-EMP-1").await, jobs_before);
    assert_ne!(
        work_chart(browser).await,
        chart_before,
        "the work chart changed"
    );
    accessible(
        browser,
        &judged,
        "the region's page after the action was done",
    )
    .await;
}
