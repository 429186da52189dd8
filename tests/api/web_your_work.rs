//! "Your organisation's work" as a browser receives it: a member
//! organisation's actions by the commitment they serve, most pressing
//! first; its issues and their answers; the next meetings answered in one
//! click; consultations, polls and opportunities — and nothing of a forum
//! the person does not take part in, whoever asks and however.

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use entity::{ActionStatus, action_item};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::explain::recorder::Recorder;
use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestResponse, TestUser, builders, id};

const PAGE: &str = "/your-work";

fn today(app: &TestApp) -> NaiveDate {
    convene::consultations::london_today(app.state.clock.now())
}

async fn action(app: &TestApp, fx: &ForumFixture, title: &str, due: Option<i64>, links: &[Uuid]) {
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": title, "owner_organisation_id": fx.member_organisation,
               "due_on": due.map(|d| today(app) + Duration::days(d)),
               "commitment_ids": links}),
    )
    .await
    .assert_status(StatusCode::CREATED);
}

/// An opportunity of Kent, Surrey and Sussex open today.
async fn opportunity(app: &TestApp, fx: &ForumFixture, title: &str) -> String {
    let today = today(app);
    let response = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({"title": title, "description": "Support for women on probation.",
                "mechanism": "grant", "commissioner": "probation", "value_band": "10k-100k",
                "opens_on": today - Duration::days(1), "closes_on": today + Duration::days(10),
                "localities": ["Kent"], "themes": ["women"], "led_by_and_for": []}),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    id(&response.json())
}

/// The member organisation's work in Kent: actions serving two commitments
/// and none, another organisation's action, an issue, a consultation, a
/// poll, an opportunity and a meeting. Returns the meeting.
pub(crate) async fn kent_work(app: &TestApp, fx: &ForumFixture) -> Uuid {
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let housing = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    let women = app
        .commitment(&fx.rpd_staff, plan, "KSS-WOM-1", "women", "general")
        .await;
    action(app, fx, "Write the annual report", Some(60), &[housing]).await;
    action(app, fx, "Send the housing survey", Some(-3), &[housing]).await;
    action(app, fx, "Book the venue", Some(5), &[housing, women]).await;
    action(app, fx, "Visit the women's centre", Some(2), &[women]).await;
    action(app, fx, "Tidy the shared drive", None, &[]).await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "The secretary's own errand"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.post(
        &format!("/api/v1/forums/{}/issues", fx.forum),
        Some(&fx.member.access),
        json!({"title": "No beds in Medway", "body": "Approved premises are full."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let now = app.state.clock.now();
    builders::consultation(
        app.db(),
        fx.forum,
        "Probation estate review",
        entity::ConsultationStatus::Open,
        None,
        now,
    )
    .await;
    app.post(
        &format!("/api/v1/forums/{}/polls", fx.forum),
        Some(&fx.secretary.access),
        json!({"question": "Meet in Maidstone?", "kind": "agree-disagree-abstain",
               "closes_at": now + Duration::days(7)}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    opportunity(app, fx, "Accommodation services in Kent").await;
    app.schedule(fx, "Spring forum", 24 * 20).await
}

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

async fn page_of(app: &TestApp, who: &TestUser) -> String {
    let mut browser = signed_in(app, who).await;
    let page = browser.get(PAGE).await;
    page.assert_status(StatusCode::OK);
    text(&page)
}

fn location(response: &TestResponse) -> Option<&str> {
    response
        .headers
        .get("location")
        .and_then(|l| l.to_str().ok())
}

fn position(html: &str, what: &str) -> usize {
    html.find(what)
        .unwrap_or_else(|| panic!("{what} not on the page:\n{html}"))
}

async fn answers(app: &TestApp, fx: &ForumFixture, meeting: Uuid) -> Value {
    let response = app
        .get(
            &format!("/api/v1/meetings/{meeting}/rsvps"),
            Some(&fx.secretary.access),
        )
        .await;
    response.assert_status(StatusCode::OK);
    response.json()["counts"].clone()
}

#[tokio::test]
async fn a_member_sees_their_organisation_s_work_by_commitment_most_pressing_first() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = kent_work(&app, &fx).await;

    let html = page_of(&app, &fx.member).await;

    assert!(
        html.contains("<title>Your organisation&#39;s work – Convene</title>"),
        "{html}"
    );
    assert!(html.contains("KSS Voluntary Sector Forum"));
    // Grouped by the commitment served, by reference, the unlinked last;
    // within a group the overdue, then the due soon, then the rest.
    let housing = position(&html, "KSS-ACC-1: Commitment KSS-ACC-1");
    let women = position(&html, "KSS-WOM-1: Commitment KSS-WOM-1");
    let unlinked = position(&html, "Not linked to a commitment");
    assert!(housing < women && women < unlinked);
    let overdue = position(&html, "Send the housing survey");
    let soon = position(&html, "Book the venue");
    let later = position(&html, "Write the annual report");
    assert!(housing < overdue && overdue < soon && soon < later && later < women);
    assert!(html.contains("3 days overdue") && html.contains("Due in 5 days"));
    let visit = position(&html, "Visit the women&#39;s centre");
    assert!(women < visit && visit < unlinked);
    assert!(unlinked < position(&html, "Tidy the shared drive"));
    assert!(
        !html.contains("The secretary&#39;s own errand"),
        "not the organisation's"
    );
    assert!(html.contains(&format!(
        "/forums/{}/actions?owner={}",
        fx.forum, fx.member_organisation
    )));
    assert!(html.contains(&format!("/forums/{}/actions/", fx.forum)));
    // Its issue with the answer due, the meeting with its buttons, the rest.
    assert!(html.contains("No beds in Medway"));
    assert!(html.contains(&format!("/forums/{}/issues/", fx.forum)));
    assert!(html.contains("no answer yet"));
    assert!(html.contains(&format!("/forums/{}/meetings/{meeting}/rsvp", fx.forum)));
    assert!(html.contains("You have not said whether you will come."));
    assert!(html.contains("Probation estate review"));
    assert!(html.contains(&format!("/forums/{}/consultations/", fx.forum)));
    assert!(html.contains("Meet in Maidstone?") && html.contains("Not voted yet"));
    assert!(html.contains(&format!("/forums/{}/polls/", fx.forum)));
    assert!(html.contains("Accommodation services in Kent"));
    assert!(html.contains("Register interest"));
}

#[tokio::test]
async fn a_group_shows_its_twenty_most_pressing_actions_and_links_to_them_all() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    many_actions(&app, &fx, 25).await;

    let html = page_of(&app, &fx.member).await;

    assert!(html.contains("See all 25 actions"), "{html}");
    assert_eq!(html.matches("Errand number").count(), 20);
    // The most overdue first.
    assert!(html.contains("Errand number 0 ") || html.contains("Errand number 0<"));
    assert!(!html.contains("Errand number 24<"));
}

/// `n` open actions of the member organisation, each a day later than the
/// one before, written straight to the database.
async fn many_actions(app: &TestApp, fx: &ForumFixture, n: i64) {
    let now = app.state.clock.now();
    for i in 0..n {
        action_item::ActiveModel {
            id: Set(Uuid::now_v7()),
            forum_id: Set(fx.forum),
            meeting_id: Set(None),
            title: Set(format!("Errand number {i}")),
            description: Set(String::new()),
            owner_organisation_id: Set(Some(fx.member_organisation)),
            owner_user_id: Set(None),
            due_on: Set(Some(today(app) + Duration::days(i - 10))),
            status: Set(ActionStatus::Open),
            completed_at: Set(None),
            version: Set(1),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            agenda_item_id: Set(None),
        }
        .insert(app.db())
        .await
        .expect("insert an action");
    }
}

#[tokio::test]
async fn the_page_costs_at_most_five_statements_however_many_actions() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    kent_work(&app, &fx).await;
    many_actions(&app, &fx, 300).await;
    let mut browser = signed_in(&app, &fx.member).await;

    let (page, statements) = recorder.during(browser.get(PAGE)).await;

    page.assert_status(StatusCode::OK);
    assert!(text(&page).contains("See all"));
    assert!(
        statements.len() <= 5,
        "{} statements:\n{}",
        statements.len(),
        statements
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test]
async fn a_member_answers_a_meeting_in_one_click_and_comes_back_to_the_page() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Spring forum", 24 * 20).await;
    let mut browser = signed_in(&app, &fx.member).await;
    let action = format!("/forums/{}/meetings/{meeting}/rsvp", fx.forum);
    let back = format!("/your-work#meeting-{meeting}");

    let sent = browser
        .submit(PAGE, &action, &[("response", "yes"), ("back", &back)])
        .await;

    sent.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        location(&sent),
        Some(format!("/your-work?done=rsvp#meeting-{meeting}").as_str())
    );
    let shown = text(&browser.get("/your-work?done=rsvp").await);
    assert!(shown.contains("Your answer is saved."));
    assert!(shown.contains("You said you will come."));
    assert_eq!(answers(&app, &fx, meeting).await["yes"], 1);

    // A second answer replaces the first.
    browser
        .submit(PAGE, &action, &[("response", "no"), ("back", &back)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let counts = answers(&app, &fx, meeting).await;
    assert_eq!(
        (counts["yes"].as_u64(), counts["no"].as_u64()),
        (Some(0), Some(1))
    );
}

#[tokio::test]
async fn the_meeting_page_has_the_same_answer_under_its_rsvp_anchor() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Spring forum", 24 * 20).await;
    let mut browser = signed_in(&app, &fx.member).await;
    let at = format!("/forums/{}/meetings/{meeting}", fx.forum);
    let shown = text(&browser.get(&at).await);
    assert!(shown.contains("id=\"rsvp\""), "{shown}");
    let back = format!("{at}#rsvp");

    let sent = browser
        .submit(
            &at,
            &format!("{at}/rsvp"),
            &[("response", "maybe"), ("back", &back)],
        )
        .await;

    sent.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        location(&sent),
        Some(format!("{at}?done=rsvp#rsvp").as_str())
    );
    let shown = text(&browser.get(&format!("{at}?done=rsvp")).await);
    assert!(shown.contains("Your answer is saved."));
    assert!(shown.contains("You said you may come."));
}

#[tokio::test]
async fn an_answer_to_a_meeting_that_has_started_is_refused_on_the_page_not_with_a_500() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Already under way", -1).await;
    let mut browser = signed_in(&app, &fx.member).await;

    let sent = browser
        .submit(
            PAGE,
            &format!("/forums/{}/meetings/{meeting}/rsvp", fx.forum),
            &[("response", "yes"), ("back", "/your-work")],
        )
        .await;

    sent.assert_status(StatusCode::CONFLICT);
    let html = text(&sent);
    assert!(html.contains("govuk-error-summary"), "{html}");
    assert!(
        html.contains("This meeting has started; RSVPs are closed"),
        "{html}"
    );
    assert!(html.contains("<title>Error: Your organisation"));
}

#[tokio::test]
async fn a_member_of_wales_cannot_answer_a_kent_meeting_by_its_id() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Spring forum", 24 * 20).await;
    let mut browser = signed_in(&app, &fx.other_member).await;

    for forum in [fx.forum, fx.other_forum] {
        let sent = browser
            .submit(
                PAGE,
                &format!("/forums/{forum}/meetings/{meeting}/rsvp"),
                &[("response", "yes"), ("back", "/your-work")],
            )
            .await;
        sent.assert_status(StatusCode::NOT_FOUND);
    }
    assert_eq!(answers(&app, &fx, meeting).await["yes"], 0);
}

#[tokio::test]
async fn an_observer_sees_the_forum_but_may_neither_answer_nor_register_interest() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = kent_work(&app, &fx).await;
    builders::works_for(app.db(), fx.observer.id, fx.member_organisation).await;
    let opportunity = opportunity(&app, &fx, "Accommodation in Sussex").await;
    let mut browser = signed_in(&app, &fx.observer).await;
    let html = text(&browser.get(PAGE).await);
    assert!(html.contains("Spring forum") && html.contains("Send the housing survey"));
    assert!(
        !html.contains("/rsvp\""),
        "no answer buttons for an observer"
    );
    assert!(!html.contains("Register interest"));

    let sent = browser
        .submit(
            PAGE,
            &format!("/forums/{}/meetings/{meeting}/rsvp", fx.forum),
            &[("response", "yes"), ("back", "/your-work")],
        )
        .await;
    sent.assert_status(StatusCode::FORBIDDEN);
    assert!(text(&sent).contains("govuk-error-summary"));
    let sent = browser
        .submit(PAGE, &format!("/opportunities/{opportunity}/interest"), &[])
        .await;
    sent.assert_status(StatusCode::FORBIDDEN);
    assert!(text(&sent).contains("govuk-error-summary"));
    assert_eq!(answers(&app, &fx, meeting).await["yes"], 0);
}

#[tokio::test]
async fn an_answer_without_the_page_s_token_is_refused_and_nothing_recorded() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Spring forum", 24 * 20).await;
    let mut browser = signed_in(&app, &fx.member).await;
    let action = format!("/forums/{}/meetings/{meeting}/rsvp", fx.forum);

    let sent = browser
        .post_raw(&action, &[("response", "yes"), ("back", "/your-work")], &[])
        .await;

    sent.assert_status(StatusCode::FORBIDDEN);
    let mut public = PageClient::new(&app);
    public
        .post_raw(&action, &[("response", "yes"), ("back", "/your-work")], &[])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_eq!(answers(&app, &fx, meeting).await["yes"], 0);
}

#[tokio::test]
async fn interest_is_registered_and_withdrawn_in_one_click_and_a_second_registration_told() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opportunity = opportunity(&app, &fx, "Women's centre services in Kent").await;
    let mut browser = signed_in(&app, &fx.member).await;
    let register = format!("/opportunities/{opportunity}/interest");

    let sent = browser.submit(PAGE, &register, &[]).await;
    sent.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), Some("/your-work?done=interest-registered"));
    let html = text(&browser.get("/your-work?done=interest-registered").await);
    assert!(html.contains("Your organisation&#39;s interest is registered."));
    assert!(html.contains("Withdraw interest") && html.contains("Interest registered"));

    let again = browser.submit(PAGE, &register, &[]).await;
    again.assert_status(StatusCode::CONFLICT);
    assert!(text(&again).contains("Your organisation has already registered interest"));

    let withdrawn = browser
        .submit(PAGE, &format!("{register}/withdraw"), &[])
        .await;
    withdrawn.assert_status(StatusCode::SEE_OTHER);
    let html = text(&browser.get(PAGE).await);
    assert!(html.contains("Register interest") && !html.contains("Withdraw interest"));
    let interests = app
        .get(
            &format!("/api/v1/opportunities/{opportunity}/interests"),
            Some(&fx.rpd_staff.access),
        )
        .await;
    assert_eq!(interests.json()["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_person_of_no_organisation_is_told_what_the_page_is_for() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    kent_work(&app, &fx).await;

    for who in [&fx.signed_in, &fx.secretary, &fx.rpd_staff] {
        let html = page_of(&app, who).await;
        assert!(
            html.contains("You are not linked to an organisation"),
            "{html}"
        );
        assert!(!html.contains("No beds in Medway") && !html.contains("Spring forum"));
    }
}

#[tokio::test]
async fn a_member_of_wales_sees_nothing_of_kent() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    kent_work(&app, &fx).await;

    let html = page_of(&app, &fx.other_member).await;

    assert!(html.contains("Wales Third Sector Forum"));
    for kent in [
        "KSS Voluntary Sector Forum",
        "Spring forum",
        "Send the housing survey",
        "No beds in Medway",
        "Probation estate review",
        "Meet in Maidstone?",
        "Women&#39;s centre services in Kent",
    ] {
        assert!(!html.contains(kent), "{kent} shown to Wales");
    }
}

#[tokio::test]
async fn someone_not_signed_in_is_sent_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let mut browser = PageClient::new(&app);
    let page = browser.get(PAGE).await;
    page.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&page), Some("/sign-in?next=/your-work"));
}
