//! After the meeting, in a real browser: the secretary records who came
//! and an outcome with an action owned by a member organisation (refused
//! once, for want of an owner, and then nothing of it saved), and the
//! action appears in that organisation's list. axe judges every page and
//! every error.

use serde_json::json;

use crate::browser::{Browser, open, open_without_javascript};
use crate::support::TestApp;

/// Ticks the box of a checkbox or chooses an option, as a click or a
/// pick from the list would.
async fn tick(browser: &Browser, name: &str, value: &str) {
    browser
        .script(&format!(
            "document.querySelector('input[name={name}][value=\"{value}\"]').click();"
        ))
        .await;
}

async fn choose(browser: &Browser, id: &str, value: &str) {
    browser
        .script(&format!(
            "document.getElementById('{id}').value = '{value}';"
        ))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn secretary_records_attendance_and_an_outcome_whose_action_lands_in_the_owner_s_list() {
    let Some(browser) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Housing on release"}),
        )
        .await;
    let housing = crate::support::uuid(&made.json());
    let served = app.serve().await;
    let base = format!("{}/forums/{}/meetings/{meeting}", served.base, fx.forum);

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&format!("{base}/attendance")).await;
    assert_eq!(browser.text_of("h1").await, "Attendance");
    browser.assert_accessible("attendance").await;
    browser.seen().await;
    tick(&browser, "attended", &fx.member.id.to_string()).await;
    browser.press("Save attendance").await;
    assert!(browser.text_of("#represented").await.contains("charity"));
    browser.assert_accessible("attendance saved").await;
    browser.seen().await;
    browser.press("Mark as held").await;
    browser.assert_accessible("meeting held").await;

    browser.goto(&format!("{base}/outcomes/{housing}")).await;
    browser.assert_accessible("an item's outcome").await;
    browser.seen().await;
    browser
        .type_into(
            "decision",
            "The forum asks the RPD's team for a housing pathway.",
        )
        .await;
    browser.type_into("votes_for", "1").await;
    browser.type_into("title", "Map the housing pathway").await;
    choose(&browser, "due_on", "2031-03-27").await;
    browser.press("Save the outcome").await;
    assert!(browser.title().await.starts_with("Error: Outcome"));
    // Nothing was saved, and everything typed is there to be put right.
    assert_eq!(browser.value_of("title").await, "Map the housing pathway");
    assert_eq!(
        browser.value_of("decision").await,
        "The forum asks the RPD's team for a housing pathway."
    );
    assert_eq!(browser.value_of("votes_for").await, "1");
    assert_eq!(browser.value_of("due_on").await, "2031-03-27");
    browser
        .assert_accessible("an action without an owner")
        .await;
    browser.seen().await;
    choose(
        &browser,
        "owner_organisation_id",
        &fx.member_organisation.to_string(),
    )
    .await;
    browser.press("Save the outcome").await;
    assert_eq!(browser.text_of("h1").await, "Outcomes");
    assert!(
        browser
            .text_of(".govuk-summary-list")
            .await
            .contains("housing pathway")
    );
    browser.assert_accessible("outcomes").await;
    browser.screenshot("meeting-outcomes").await;
    browser.close().await;

    let Some(member) = open(1280).await else {
        return;
    };
    member.sign_in(&served.base, &fx.member.email).await;
    member
        .goto(&format!("{}/forums/{}/actions", served.base, fx.forum))
        .await;
    member.assert_accessible("the forum's actions").await;
    member.seen().await;
    choose(&member, "owner", &fx.member_organisation.to_string()).await;
    member.press("Show actions").await;
    assert!(
        member
            .text_of("#actions")
            .await
            .contains("Map the housing pathway")
    );
    member.assert_accessible("the organisation's actions").await;
    member.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_a_secretary_marks_the_meeting_held_and_carries_an_item_over() {
    let Some(browser) = open_without_javascript(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Transport to appointments"}),
        )
        .await;
    let transport = crate::support::uuid(&made.json());
    let served = app.serve().await;
    let base = format!("{}/forums/{}/meetings/{meeting}", served.base, fx.forum);

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&format!("{base}/attendance")).await;
    browser.seen().await;
    browser.press("Mark as held").await;
    assert!(browser.path().await.ends_with("/attendance?done=held"));
    browser.goto(&format!("{base}/outcomes/{transport}")).await;
    browser.seen().await;
    tick(&browser, "carried_over", "yes").await;
    browser.press("Save the outcome").await;
    assert!(
        browser
            .text_of(".govuk-summary-list")
            .await
            .contains("Carried over")
    );
    browser.close().await;
}
