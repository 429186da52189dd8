//! The meeting page is one read of the meeting as its reader may read it:
//! what it costs in statements, for an officer, a member and an observer,
//! on a meeting with everything a page shows — confidential items and their
//! papers, commitments, answers, matters arising of every kind — and that
//! what is withheld from a member never reaches their page's HTML.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use sea_orm::Statement;

use crate::explain::recorder::Recorder;
use crate::matters_arising::last_meeting;
use crate::papers::{pdf, upload_file};
use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, id};

/// The session, the meeting with its answers, the reader's access, the
/// agenda and its links, the papers, the matters arising, the commitments.
const MOST: usize = 8;

const SECRET: &str = "Settlement terms with the landlord";
const SECRET_PAPER: &str = "Settlement opinion";
const CARRIED_SECRET: &str = "Landlord dispute";

async fn added(app: &TestApp, who: &TestUser, meeting: Uuid, body: Value) -> String {
    let response = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&who.access),
            body,
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    id(&response.json())
}

async fn paper(app: &TestApp, fx: &ForumFixture, meeting: Uuid, title: &str, item: Option<&str>) {
    let mut fields = vec![("title", title)];
    if let Some(item) = item {
        fields.push(("agenda_item_id", item));
    }
    upload_file(
        app,
        &fx.secretary,
        meeting,
        &fields,
        ("paper.pdf", &pdf(2000)),
    )
    .await
    .assert_status(StatusCode::CREATED);
}

/// A meeting to come with all a page shows: an officers-only item with a
/// paper, a public item linked to a commitment with a paper, a member's
/// proposal, a paper of the whole meeting, answers, and matters arising
/// (an action, an answered issue, a public item and an officers-only one
/// carried over from the meeting before).
async fn full_meeting(app: &TestApp, fx: &ForumFixture) -> Uuid {
    last_meeting(app, fx).await;
    let held = app
        .get(
            &format!("/api/v1/forums/{}/meetings?status=held", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json()["items"][0]["id"]
        .as_str()
        .expect("the held meeting")
        .to_string();
    let held: Uuid = held.parse().expect("an id");
    let carried = added(
        app,
        &fx.secretary,
        held,
        json!({"title": CARRIED_SECRET, "visibility": "officers",
               "visibility_reason": "legal advice"}),
    )
    .await;
    app.patch(
        &format!("/api/v1/agenda-items/{carried}"),
        Some(&fx.secretary.access),
        json!({"carried_over": true}),
    )
    .await
    .assert_status(StatusCode::OK);
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Housing referrals stalled", "body": "Since March."}),
        )
        .await;
    raised.assert_status(StatusCode::CREATED);
    app.post(
        &format!("/api/v1/issues/{}/responses", id(&raised.json())),
        Some(&fx.rpd_staff.access),
        json!({"body": "We have spoken to the accommodation team."}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let housing = app
        .commitment(&fx.rpd_staff, plan, "KSS-ACC-1", "accommodation", "general")
        .await;
    app.commitment(&fx.rpd_staff, plan, "KSS-ACC-2", "accommodation", "general")
        .await;

    let meeting = app.schedule(fx, "Summer forum", 48).await;
    let secret = added(
        app,
        &fx.secretary,
        meeting,
        json!({"title": SECRET, "description": "Counsel's figures", "presenter": "Priya Shah",
               "visibility": "officers", "visibility_reason": "legal advice"}),
    )
    .await;
    let public = added(
        app,
        &fx.secretary,
        meeting,
        json!({"title": "Housing", "commitment_ids": [housing]}),
    )
    .await;
    added(app, &fx.member, meeting, json!({"title": "Hostel places"})).await;
    paper(app, fx, meeting, SECRET_PAPER, Some(&secret)).await;
    paper(app, fx, meeting, "Housing figures", Some(&public)).await;
    paper(app, fx, meeting, "Meeting briefing", None).await;
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/rsvp"),
        Some(&fx.member.access),
        Some(json!({"response": "yes"})),
    )
    .await
    .assert_status(StatusCode::OK);
    meeting
}

fn listing(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(|s| s.sql.chars().take(160).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_meeting_page_is_eight_statements_at_most_and_withholds_what_the_api_withholds() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = full_meeting(&app, &fx).await;
    let page = format!("/forums/{}/meetings/{meeting}", fx.forum);

    let mut pages = Vec::new();
    for who in [&fx.secretary, &fx.member, &fx.observer] {
        let mut browser = PageClient::new(&app);
        browser
            .sign_in(&who.email, PASSWORD)
            .await
            .assert_status(StatusCode::SEE_OTHER);
        let (shown, statements) = recorder.during(browser.get(&page)).await;
        shown.assert_status(StatusCode::OK);
        eprintln!(
            "the meeting page for {}: {} statements",
            who.email,
            statements.len()
        );
        assert!(
            statements.len() <= MOST,
            "the page for {} ran {} statements:\n{}",
            who.email,
            statements.len(),
            listing(&statements)
        );
        pages.push(text(&shown));
    }
    let [officer, member, observer] = &pages[..] else {
        panic!("three pages");
    };

    // Everything, for an officer.
    for shown in [
        SECRET,
        "Counsel&#39;s figures",
        "Priya Shah",
        SECRET_PAPER,
        "Housing figures",
        "Meeting briefing",
        "KSS-ACC-1",
        "Hostel places",
        "Map the housing pathway",
        "Housing referrals stalled",
        "Women&#39;s services review",
        CARRIED_SECRET,
    ] {
        assert!(officer.contains(shown), "the officer reads {shown}");
    }
    // What the member and observer may read, and nothing they may not:
    // not the confidential items' text, nor their papers, nor the title of
    // a confidential item carried over.
    for html in [member, observer] {
        for shown in [
            "Withheld: legal advice",
            "Housing figures",
            "Meeting briefing",
            "KSS-ACC-1",
            "Map the housing pathway",
            "Housing referrals stalled",
            "Women&#39;s services review",
        ] {
            assert!(html.contains(shown), "a member reads {shown}");
        }
        for secret in [
            SECRET,
            "Counsel",
            "Priya Shah",
            SECRET_PAPER,
            CARRIED_SECRET,
        ] {
            assert!(!html.contains(secret), "a member read {secret}");
        }
    }
    // The observer offers no item, so is offered no commitments: only the
    // one the agenda names is read.
    assert!(!observer.contains("KSS-ACC-2"));
    assert!(officer.contains("KSS-ACC-2"), "offered for linking");
}
