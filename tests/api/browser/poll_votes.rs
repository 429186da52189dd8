//! Member organisations vote in a real browser: a vote pressed with
//! nothing chosen is refused beside the choices, then cast; the journey
//! made with JavaScript off, and again with it on for axe to judge the
//! page and its error. Two people of one organisation then vote at once
//! from two browsers: the organisation's one vote counts.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::{ForumFixture, TestApp, id};

#[tokio::test(flavor = "multi_thread")]
async fn member_votes_for_their_organisation_without_javascript() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    journey(&browser, false).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_vote_and_its_error_pass_axe() {
    let Some(browser) = open(1280).await else {
        return;
    };
    journey(&browser, true).await;
    browser.close().await;
}

async fn venue_poll(app: &TestApp, fx: &ForumFixture) -> Value {
    let put = app
        .post(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.secretary.access),
            json!({"question": "Where should the summer forum meet?", "kind": "single-choice",
                   "options": ["Maidstone Community Hub", "Canterbury Guildhall"],
                   "results_before_close": true,
                   "closes_at": app.state.clock.now() + chrono::Duration::days(7)}),
        )
        .await;
    put.json()
}

async fn choose(browser: &Browser, label: &str) {
    let path = format!("//label[normalize-space()='{label}']");
    browser
        .client
        .find(Locator::XPath(&path))
        .await
        .unwrap_or_else(|_| panic!("an option {label:?}"))
        .click()
        .await
        .expect("chosen");
}

async fn journey(browser: &Browser, judged: bool) {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = venue_poll(&app, &fx).await;
    let served = app.serve().await;
    let page = format!("{}/forums/{}/polls/{}", served.base, fx.forum, id(&poll));

    browser.sign_in(&served.base, &fx.member.email).await;
    browser.goto(&page).await;
    if judged {
        browser
            .assert_accessible("a poll open to the member's vote")
            .await;
    }
    browser.seen().await;
    browser.press("Cast the vote").await;
    assert!(browser.title().await.starts_with("Error: "));
    assert!(
        browser.text_of("#option-error").await.contains("Your vote"),
        "the refusal is beside the choices"
    );
    if judged {
        browser
            .assert_accessible("a vote with nothing chosen")
            .await;
    }

    browser.seen().await;
    choose(browser, "Canterbury Guildhall").await;
    browser.press("Cast the vote").await;
    assert!(browser.path().await.ends_with("?done=voted"));
    assert!(
        browser
            .text_of("#voted-as")
            .await
            .contains("Your organisation voted: Canterbury Guildhall.")
    );
    assert!(
        browser
            .text_of(".govuk-table")
            .await
            .contains("Canterbury Guildhall 1")
    );
    if judged {
        browser.assert_accessible("the vote cast").await;
        // The picture is of the vote and the results, below the banner.
        browser
            .script("document.getElementById('vote').scrollIntoView();")
            .await;
        browser.screenshot("poll-vote").await;
    }
}

/// Two people of one organisation, each in a browser of their own, press
/// their vote at the same moment: their organisation has one vote.
#[tokio::test(flavor = "multi_thread")]
async fn two_people_of_one_organisation_voting_at_once_in_two_browsers_cast_one_vote() {
    let (Some(first), Some(second)) = (open(1024).await, open(1024).await) else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let poll = venue_poll(&app, &fx).await;
    let served = app.serve().await;
    let page = format!("{}/forums/{}/polls/{}", served.base, fx.forum, id(&poll));
    for (browser, who, choice) in [
        (&first, &fx.member, "Maidstone Community Hub"),
        (&second, &colleague, "Canterbury Guildhall"),
    ] {
        browser.sign_in(&served.base, &who.email).await;
        browser.goto(&page).await;
        browser.seen().await;
        choose(browser, choice).await;
    }

    tokio::join!(first.press("Cast the vote"), second.press("Cast the vote"));

    let results = app
        .get(
            &format!("/api/v1/polls/{}/results", id(&poll)),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(results["votes_cast"], 1, "{results}");
    // Both are told the organisation's vote as it now stands: the same.
    first.goto(&page).await;
    second.goto(&page).await;
    assert_eq!(
        first.text_of("#voted-as").await,
        second.text_of("#voted-as").await
    );
    first.close().await;
    second.close().await;
}
