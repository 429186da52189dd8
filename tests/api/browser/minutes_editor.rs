//! The minutes in a real browser, as the forum's officers keep them: the
//! secretary drafts them from the agenda and minutes a confidential item,
//! the chair approves them and the public reads them with that item
//! withheld; two secretaries editing at once merge rather than overwrite.

use crate::browser::{Browser, open};
use crate::support::TestApp;
use crate::web_minutes_editor::{REASON, SECRET, edit_path, held_meeting_with_agenda};

/// The index of the section whose heading holds `heading`.
async fn section(browser: &Browser, heading: &str) -> usize {
    let found = browser
        .script(&format!(
            "return [...document.querySelectorAll('input[name=heading]')]
               .findIndex(i => i.value.includes({heading:?}));"
        ))
        .await;
    usize::try_from(found.as_i64().unwrap_or(-1))
        .unwrap_or_else(|_| panic!("no section headed {heading}"))
}

async fn choose(browser: &Browser, id: &str, value: &str) {
    browser
        .script(&format!(
            "document.getElementById({id:?}).value = {value:?};"
        ))
        .await;
}

async fn source(browser: &Browser) -> String {
    browser.client.source().await.expect("the page's HTML")
}

#[tokio::test(flavor = "multi_thread")]
async fn secretary_drafts_the_minutes_from_the_agenda_and_the_chair_approves_them_for_the_public() {
    let Some(secretary) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let served = app.serve().await;
    let edit = format!("{}{}", served.base, edit_path(&fx, meeting));

    secretary.sign_in(&served.base, &fx.secretary.email).await;
    secretary.goto(&edit).await;
    assert_eq!(secretary.text_of("h1").await, "Edit the minutes");
    secretary
        .assert_accessible("the minutes before a draft")
        .await;
    secretary.seen().await;
    secretary.press("Draft the minutes from the agenda").await;
    secretary.assert_accessible("the minutes drafted").await;

    let dispute = section(&secretary, "Contract dispute").await;
    let welcome = section(&secretary, "Welcome").await;
    secretary
        .type_into(
            &format!("sections-{welcome}-body"),
            "The chair welcomed everyone.",
        )
        .await;
    secretary
        .type_into(&format!("sections-{dispute}-body"), SECRET)
        .await;
    choose(
        &secretary,
        &format!("sections-{dispute}-visibility"),
        "public",
    )
    .await;
    secretary.seen().await;
    secretary.press("Save the minutes").await;
    assert!(
        secretary
            .title()
            .await
            .starts_with("Error: Edit the minutes")
    );
    assert!(
        secretary
            .text_of(".govuk-error-summary")
            .await
            .contains("cannot be more open than its agenda item")
    );
    assert_eq!(
        secretary
            .value_of(&format!("sections-{dispute}-body"))
            .await,
        SECRET,
        "what was typed is kept"
    );
    secretary
        .assert_accessible("a section more open than its item")
        .await;

    choose(
        &secretary,
        &format!("sections-{dispute}-visibility"),
        "officers",
    )
    .await;
    secretary.seen().await;
    secretary.press("Save the minutes").await;
    assert!(
        secretary
            .text_of(".govuk-notification-banner")
            .await
            .contains("The minutes are saved.")
    );
    secretary.assert_accessible("the minutes saved").await;
    // The confidential item's section: its text, who may read it and why.
    let dispute = section(&secretary, "Contract dispute").await;
    secretary
        .script(&format!(
            "document.getElementById('sections-{dispute}-heading').closest('fieldset').scrollIntoView();"
        ))
        .await;
    secretary.screenshot("minutes-editor").await;
    secretary.goto(&edit.replace("/edit", "/revisions")).await;
    secretary.assert_accessible("the versions compared").await;
    secretary.close().await;

    let Some(chair) = open(1280).await else {
        return;
    };
    chair.sign_in(&served.base, &fx.chair.email).await;
    chair.goto(&edit).await;
    chair.seen().await;
    chair.press("Approve and publish the minutes").await;
    assert_eq!(
        chair.path().await,
        format!("/forums/{}/minutes/{meeting}", fx.forum)
    );
    chair.close().await;

    let Some(public) = open(1280).await else {
        return;
    };
    for page in [
        format!("/forums/{}/minutes/{meeting}", fx.forum),
        format!("/forums/{}", fx.forum),
    ] {
        public.goto(&format!("{}{page}", served.base)).await;
        public.assert_accessible(&page).await;
        let html = source(&public).await;
        assert!(!html.contains(SECRET), "{page} shows the confidential text");
    }
    public
        .goto(&format!(
            "{}/forums/{}/minutes/{meeting}",
            served.base, fx.forum
        ))
        .await;
    let shown = public.text_of("main").await;
    assert!(shown.contains(&format!("Withheld: {REASON}")), "{shown}");
    assert!(shown.contains("The chair welcomed everyone."));
    public.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_secretaries_edit_the_same_minutes_and_the_second_merges_rather_than_overwrites() {
    let Some(first) = open(1280).await else {
        return;
    };
    let Some(second) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let priya = app.user("Priya Shah").await;
    crate::support::builders::role(
        app.db(),
        fx.forum,
        priya.id,
        entity::ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    let served = app.serve().await;
    let edit = format!("{}{}", served.base, edit_path(&fx, meeting));

    first.sign_in(&served.base, &fx.secretary.email).await;
    first.goto(&edit).await;
    first.seen().await;
    first.press("Draft the minutes from the agenda").await;
    second.sign_in(&served.base, &priya.email).await;
    second.goto(&edit).await;
    let welcome = section(&first, "Welcome").await;
    let body = format!("sections-{welcome}-body");

    first
        .type_into(&body, "Apologies from Medway Mentors.")
        .await;
    first.seen().await;
    first.press("Save the minutes").await;
    second.type_into(&body, "The room was full.").await;
    second.seen().await;
    second.press("Save the minutes").await;

    assert!(second.title().await.starts_with("Error: "));
    let summary = second.text_of(".govuk-error-summary").await;
    assert!(
        summary.contains("Changed by Secretary at ") && summary.contains("since you opened it"),
        "{summary}"
    );
    assert!(
        second
            .text_of("#their-version + p + .govuk-inset-text")
            .await
            .contains("Apologies from Medway Mentors.")
    );
    assert_eq!(second.value_of(&body).await, "The room was full.");
    second.assert_accessible("a stale save").await;
    second.screenshot("minutes-conflict").await;

    second
        .type_into(&body, "Apologies from Medway Mentors. The room was full.")
        .await;
    second.seen().await;
    second.press("Save the merged minutes").await;
    assert!(
        second
            .text_of(".govuk-notification-banner")
            .await
            .contains("The minutes are saved.")
    );
    assert_eq!(
        second.value_of(&body).await,
        "Apologies from Medway Mentors. The room was full."
    );
    second.assert_accessible("the merge saved").await;
    first.close().await;
    second.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_javascript_the_secretary_adds_and_removes_sections_and_saves() {
    // Not judged by axe here: axe is itself a script. The same pages are
    // judged with scripts on, above.
    let Some(browser) = crate::browser::open_without_javascript(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let served = app.serve().await;
    let edit = format!("{}{}", served.base, edit_path(&fx, meeting));

    browser.sign_in(&served.base, &fx.secretary.email).await;
    browser.goto(&edit).await;
    browser.type_into("sections-0-heading", "Opening").await;
    browser
        .type_into("sections-0-body", "Kept while sections come and go.")
        .await;
    browser.seen().await;
    browser.press("Add a section").await;
    browser
        .type_into("sections-1-heading", "Any other business")
        .await;
    browser.seen().await;
    browser.press("Add a section").await;
    browser.seen().await;
    browser.press("Remove section 3").await;
    assert_eq!(
        browser.value_of("sections-0-body").await,
        "Kept while sections come and go."
    );
    browser.seen().await;
    browser.press("Save the minutes").await;
    assert!(
        browser
            .text_of(".govuk-notification-banner")
            .await
            .contains("The minutes are saved.")
    );
    assert_eq!(
        browser.value_of("sections-1-heading").await,
        "Any other business"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn minutes_typed_as_the_session_ends_are_sent_once_the_secretary_signs_in_again() {
    use sea_orm::EntityTrait;
    let Some(secretary) = open(1280).await else {
        return;
    };
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let served = app.serve().await;
    let edit = format!("{}{}", served.base, edit_path(&fx, meeting));
    secretary.sign_in(&served.base, &fx.secretary.email).await;
    secretary.goto(&edit).await;
    secretary.seen().await;
    secretary.press("Draft the minutes from the agenda").await;
    let welcome = section(&secretary, "Welcome").await;
    let body = format!("sections-{welcome}-body");
    let typed = "The chair welcomed everyone.\nApologies from Medway Mentors.";
    secretary.type_into(&body, typed).await;

    // The session ends while the secretary types (it expired, or was ended
    // from another device).
    entity::session::Entity::delete_many()
        .exec(app.db())
        .await
        .expect("sessions ended");
    secretary.seen().await;
    secretary.press("Save the minutes").await;
    assert_eq!(
        secretary.text_of("h1").await,
        "Your changes have not been saved yet"
    );
    assert!(
        secretary
            .text_of("main")
            .await
            .contains("Apologies from Medway Mentors.")
    );
    secretary
        .assert_accessible("changes kept, signed out")
        .await;

    secretary.type_into("email", &fx.secretary.email).await;
    secretary.type_into("password", "not the password").await;
    secretary.seen().await;
    secretary.press("Sign in").await;
    assert!(secretary.title().await.starts_with("Error: "));
    secretary
        .assert_accessible("changes kept, a wrong password")
        .await;
    secretary
        .type_into("password", crate::support::PASSWORD)
        .await;
    secretary.seen().await;
    secretary.press("Sign in").await;
    assert_eq!(
        secretary.text_of("h1").await,
        "Your changes have not been saved yet"
    );
    secretary
        .assert_accessible("changes kept, signed in again")
        .await;
    secretary.seen().await;
    secretary.press("Send your changes").await;
    assert!(
        secretary
            .text_of(".govuk-notification-banner")
            .await
            .contains("The minutes are saved.")
    );
    let welcome = section(&secretary, "Welcome").await;
    assert_eq!(
        secretary
            .value_of(&format!("sections-{welcome}-body"))
            .await,
        typed
    );
    secretary.close().await;
}
