//! "Your forums", the officers' dashboard, as a browser receives it: what
//! needs doing in each forum the person is secretary or chair of, and
//! nothing of any forum for anyone else.

use axum::http::{Method, StatusCode};
use chrono::{Duration, TimeZone, Utc};
use entity::MembershipStatus;
use serde_json::json;
use uuid::Uuid;

use crate::explain::recorder::Recorder;
use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders};

/// The forum of `fx` with something of every kind to do: an application,
/// a meeting to come with replies, items and a proposal, actions overdue,
/// due soon and due later, an issue, a consultation and a poll. Returns
/// the meeting.
async fn busy_forum(app: &TestApp, fx: &ForumFixture) -> Uuid {
    let now = app.state.clock.now();
    let applicant = builders::organisation(app.db(), "Ashford Women's Centre", now).await;
    builders::membership(
        app.db(),
        fx.forum,
        applicant,
        MembershipStatus::Applied,
        now,
    )
    .await;
    let meeting = builders::meeting(
        app.db(),
        fx.forum,
        "Spring forum",
        now + Duration::days(20),
        now,
    )
    .await;
    builders::meeting(
        app.db(),
        fx.forum,
        "Summer forum",
        now + Duration::days(90),
        now,
    )
    .await;
    for (who, answer) in [
        (&fx.member, "yes"),
        (&fx.secretary, "yes"),
        (&fx.chair, "maybe"),
    ] {
        app.request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/rsvp"),
            Some(&who.access),
            Some(json!({"response": answer})),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    for (who, title) in [(&fx.secretary, "Welcome"), (&fx.member, "Housing pathway")] {
        app.post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&who.access),
            json!({"title": title}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    let today = now.date_naive();
    for (title, days) in [
        ("Send the housing survey", -3),
        ("Book the venue", 5),
        ("Write the annual report", 60),
    ] {
        app.post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": title, "due_on": today + Duration::days(days)}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    app.post(
        &format!("/api/v1/forums/{}/issues", fx.forum),
        Some(&fx.member.access),
        json!({"title": "No beds in Medway", "body": "Approved premises are full."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
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
    meeting
}

async fn dashboard_of(app: &TestApp, who: &TestUser) -> String {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let page = browser.get("/your-forums").await;
    page.assert_status(StatusCode::OK);
    text(&page)
}

#[tokio::test]
async fn a_secretary_sees_what_needs_doing_in_their_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = busy_forum(&app, &fx).await;

    let html = dashboard_of(&app, &fx.secretary).await;

    assert!(html.contains("<title>Your forums – Convene</title>"));
    assert!(html.contains("KSS Voluntary Sector Forum"));
    assert!(html.contains("1 to decide"), "{html}");
    assert!(html.contains("Ashford Women&#39;s Centre"), "{html}");
    assert!(html.contains(&format!("/forums/{}/meetings/{meeting}", fx.forum)));
    assert!(html.contains("2 coming, 1 maybe, 0 not coming"), "{html}");
    assert!(
        html.contains("1 item; 1 proposed item to accept or decline"),
        "{html}"
    );
    // Overdue first, the due-soon after; the action due in two months is
    // not yet the dashboard's business.
    let overdue = html
        .find("Send the housing survey")
        .expect("the overdue action");
    let soon = html.find("Book the venue").expect("the action due soon");
    assert!(overdue < soon);
    assert!(html.contains("3 days overdue"));
    assert!(html.contains("Due in 5 days"));
    assert!(!html.contains("Write the annual report"));
    assert!(
        html.contains("1 overdue"),
        "the actions' task is tagged overdue"
    );
    assert!(html.contains("No beds in Medway"));
    assert!(html.contains("Probation estate review"));
    assert!(html.contains("Meet in Maidstone?"));
    assert!(!html.contains("Summer forum"), "only the next meeting");
}

#[tokio::test]
async fn the_chair_sees_the_same_forum_and_the_other_region_s_secretary_only_their_own() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    busy_forum(&app, &fx).await;
    let welsh_secretary = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        welsh_secretary.id,
        entity::ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;

    let chairs = dashboard_of(&app, &fx.chair).await;
    assert!(chairs.contains("No beds in Medway"));

    let welsh = dashboard_of(&app, &welsh_secretary).await;
    assert!(welsh.contains("Wales Third Sector Forum"));
    for kent in [
        "KSS Voluntary Sector Forum",
        "Ashford",
        "Spring forum",
        "Send the housing survey",
        "No beds in Medway",
        "Probation estate review",
        "Meet in Maidstone?",
    ] {
        assert!(!welsh.contains(kent), "{kent} shown to Wales");
    }
    assert!(welsh.contains("No meeting is scheduled."));
}

#[tokio::test]
async fn members_observers_and_rpd_staff_have_no_forum_on_the_officers_dashboard() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    busy_forum(&app, &fx).await;
    for who in [&fx.member, &fx.observer, &fx.rpd_staff, &fx.admin] {
        let html = dashboard_of(&app, who).await;
        assert!(html.contains("You are not the secretary or chair of any forum"));
        assert!(!html.contains("No beds in Medway"));
        assert!(!html.contains("Ashford"));
    }
}

#[tokio::test]
async fn someone_not_signed_in_is_sent_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    let mut browser = PageClient::new(&app);
    let page = browser.get("/your-forums").await;
    page.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        page.headers.get("location").and_then(|l| l.to_str().ok()),
        Some("/sign-in?next=/your-forums")
    );
}

#[tokio::test]
async fn the_dashboard_costs_at_most_six_statements_however_busy_the_forums() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    busy_forum(&app, &fx).await;
    // A second forum of the same secretary, as busy.
    let now = app.state.clock.now();
    builders::role(
        app.db(),
        fx.other_forum,
        fx.secretary.id,
        entity::ForumRole::Secretary,
        now,
    )
    .await;
    builders::meeting(
        app.db(),
        fx.other_forum,
        "Cardiff forum",
        Utc.with_ymd_and_hms(2031, 3, 11, 10, 0, 0)
            .single()
            .expect("a time"),
        now,
    )
    .await;
    let mut browser = PageClient::new(&app);
    browser.sign_in(&fx.secretary.email, PASSWORD).await;

    let (page, statements) = recorder.during(browser.get("/your-forums")).await;

    page.assert_status(StatusCode::OK);
    assert!(text(&page).contains("Cardiff forum"));
    assert!(
        statements.len() <= 6,
        "{} statements:\n{}",
        statements.len(),
        statements
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
