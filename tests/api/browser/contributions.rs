//! A member organisation's worker contributes to a consultation in a real
//! browser: over the question's word limit the count says so as they
//! type (scripts on), and the operation's refusal is shown on the field
//! with the text kept (scripts on and off); shortened, it is saved. axe
//! judges the page, the count and the error.

use chrono::Duration;
use serde_json::{Value, json};

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::{ForumFixture, TestApp, id};

#[tokio::test(flavor = "multi_thread")]
async fn a_contribution_over_the_word_limit_is_refused_on_the_field_without_javascript() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, false).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_word_count_the_refusal_and_the_saved_contribution_pass_axe() {
    let Some(browser) = open(1280).await else {
        return;
    };
    journey(&browser, true).await;
    browser.close().await;
}

async fn consultation(app: &TestApp, fx: &ForumFixture) -> Value {
    let today = app.state.clock.now().date_naive();
    app.post(
        &format!("/api/v1/forums/{}/consultations", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Probation estate review", "consulting_body": "Ministry of Justice",
               "closes_on": today + Duration::days(30),
               "internal_deadline": today + Duration::days(20),
               "questions": [{"text": "What works in approved premises?", "word_limit": 12}]}),
    )
    .await
    .json()
}

async fn journey(browser: &Browser, scripts: bool) {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = consultation(&app, &fx).await;
    let question = consultation["questions"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let field = format!("contribution-{question}");
    let served = app.serve().await;
    let page = format!(
        "{}/forums/{}/consultations/{}",
        served.base,
        fx.forum,
        id(&consultation)
    );

    browser.sign_in(&served.base, &fx.member.email).await;
    browser.goto(&page).await;
    if scripts {
        browser
            .assert_accessible("a consultation open to contributions")
            .await;
    }
    let too_long =
        "Key workers who stay long enough to know people, and rooms with doors that lock.";
    browser.type_into(&field, too_long).await;
    if scripts {
        // The design system's count, in words, as it is typed.
        let said = browser.text_of(".govuk-character-count__status").await;
        assert_eq!(said, "You have 3 words too many");
        browser
            .assert_accessible("a contribution counted over its limit")
            .await;
    }
    browser.seen().await;
    browser.press("Save the contribution 1").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser
            .text_of(&format!("#{field}-error"))
            .await
            .contains("has 15 words; question 1 allows at most 12")
    );
    assert_eq!(browser.value_of(&field).await, too_long, "the text is kept");
    if scripts {
        browser
            .assert_accessible("a contribution over the limit, refused")
            .await;
    }

    browser
        .type_into(&field, "Key workers who stay long enough to know people.")
        .await;
    browser.seen().await;
    browser.press("Save the contribution 1").await;
    assert!(browser.path().await.ends_with("?done=contribution"));
    assert!(
        browser
            .text_of(".govuk-inset-text")
            .await
            .contains("Key workers who stay long enough to know people.")
    );
    if scripts {
        browser.assert_accessible("the contribution saved").await;
        browser.screenshot("contribution").await;
    }
}
