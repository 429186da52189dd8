//! The public record: without signing in, anyone lists a forum's approved
//! minutes and its meetings to come, and follows them, and each region's
//! accountability, as Atom feeds that a feed reader parses and polls
//! cheaply (304 when nothing changed).

use axum::http::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestResponse};

async fn held_with_approved_minutes(app: &TestApp, fx: &ForumFixture, title: &str) -> Uuid {
    let meeting = app.meeting(fx, title, -3).await;
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
        Some(json!({"body": format!("# {title}\n\nAgreed: a housing task group.")})),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.request(
        Method::POST,
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.chair.access),
        None,
    )
    .await
    .assert_status(StatusCode::OK);
    meeting
}

async fn agenda_item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, title: &str) {
    app.post(
        &format!("/api/v1/meetings/{meeting}/agenda-items"),
        Some(&fx.secretary.access),
        json!({"title": title}),
    )
    .await
    .assert_status(StatusCode::CREATED);
}

fn feed(response: &TestResponse) -> feed_rs::model::Feed {
    response.assert_status(StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let feed =
        feed_rs::parser::parse(response.body.as_ref()).expect("an Atom feed a reader parses");
    // RFC 4287 §4.1.1: a feed names its author unless every entry does.
    assert!(
        feed.authors.iter().any(|a| !a.name.trim().is_empty()),
        "an Atom feed needs an author: {}",
        String::from_utf8_lossy(&response.body)
    );
    feed
}

#[tokio::test]
async fn anyone_lists_a_forum_s_approved_minutes_newest_first_and_not_its_drafts() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let older = held_with_approved_minutes(&app, &fx, "Spring forum").await;
    let newer = held_with_approved_minutes(&app, &fx, "Summer forum").await;
    let draft = app.meeting(&fx, "Autumn forum", -2).await;
    app.patch(
        &format!("/api/v1/meetings/{draft}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{draft}/minutes"),
        Some(&fx.secretary.access),
        Some(json!({"body": "Not yet agreed"})),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let path = format!("/api/v1/forums/{}/minutes", fx.forum);
    let first = app.get(&format!("{path}?limit=1"), None).await;
    first.assert_status(StatusCode::OK);
    let page = first.json();
    assert_eq!(page["items"][0]["meeting_id"], newer.to_string());
    assert_eq!(page["items"][0]["meeting_title"], "Summer forum");
    assert_eq!(
        page["items"][0]["url"],
        format!("/api/v1/meetings/{newer}/minutes")
    );
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let second = app
        .get(&format!("{path}?limit=1&cursor={cursor}"), None)
        .await;
    let page = second.json();
    assert_eq!(page["items"][0]["meeting_id"], older.to_string());
    assert!(page["next_cursor"].is_null(), "the draft is not listed");

    let other = app
        .get(&format!("/api/v1/forums/{}/minutes", fx.other_forum), None)
        .await;
    assert_eq!(other.json()["items"].as_array().map(Vec::len), Some(0));
    app.get(&format!("/api/v1/forums/{}/minutes", Uuid::now_v7()), None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.get(&format!("{path}?cursor=nonsense"), None)
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn anyone_lists_the_meetings_to_come_with_their_agreed_agendas() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let later = app.meeting(&fx, "Winter forum", 24 * 30).await;
    let sooner = app.meeting(&fx, "Quarterly forum", 48).await;
    app.meeting(&fx, "Already happened", -48).await;
    agenda_item(&app, &fx, sooner, "Welcome and apologies").await;
    agenda_item(&app, &fx, sooner, "Housing on release").await;
    // A member's proposal is not on the agenda until the officers accept it.
    app.post(
        &format!("/api/v1/meetings/{sooner}/agenda-items"),
        Some(&fx.member.access),
        json!({"title": "Proposed, not agreed"}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let listed = app
        .get(
            &format!("/api/v1/forums/{}/upcoming-meetings", fx.forum),
            None,
        )
        .await;
    listed.assert_status(StatusCode::OK);
    let items = listed.json()["items"].clone();
    let ids: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["id"].as_str())
        .collect();
    assert_eq!(ids, [sooner.to_string(), later.to_string()]);
    assert_eq!(
        items[0]["agenda"],
        json!(["Welcome and apologies", "Housing on release"])
    );
    assert_eq!(items[0]["location"], "Maidstone Community Hub");
    assert!(
        items[0].get("online_link").is_none(),
        "the joining link is for participants"
    );
}

#[tokio::test]
async fn the_minutes_feed_is_atom_with_stable_ids_and_answers_304_when_unchanged() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_with_approved_minutes(&app, &fx, "Spring forum").await;
    let path = format!("/api/v1/forums/{}/minutes.atom", fx.forum);

    let first = app.get(&path, None).await;
    let parsed = feed(&first);
    assert_eq!(parsed.entries.len(), 1);
    let entry = &parsed.entries[0];
    assert!(
        entry
            .title
            .as_ref()
            .is_some_and(|t| t.content.starts_with("Minutes: Spring forum")),
        "{:?}",
        entry.title
    );
    assert!(entry.links.iter().any(|l| {
        l.href
            .ends_with(&format!("/api/v1/meetings/{meeting}/minutes"))
    }));
    assert!(
        entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .is_some_and(|b| b.contains("Agreed: a housing task group."))
    );
    let etag = first.header("etag").expect("an ETag").to_string();
    let modified = first
        .header("last-modified")
        .expect("a Last-Modified")
        .to_string();

    let again = app.get(&path, None).await;
    assert_eq!(feed(&again).entries[0].id, entry.id, "a stable entry id");
    let by_tag = app
        .request_with_headers(Method::GET, &path, None, &[("if-none-match", &etag)], None)
        .await;
    assert_eq!(by_tag.status, StatusCode::NOT_MODIFIED);
    assert!(by_tag.body.is_empty());
    let by_date = app
        .request_with_headers(
            Method::GET,
            &path,
            None,
            &[("if-modified-since", &modified)],
            None,
        )
        .await;
    assert_eq!(by_date.status, StatusCode::NOT_MODIFIED);

    app.state.clock.advance(chrono::Duration::seconds(2));
    held_with_approved_minutes(&app, &fx, "Summer forum").await;
    let changed = app
        .request_with_headers(Method::GET, &path, None, &[("if-none-match", &etag)], None)
        .await;
    let parsed = feed(&changed);
    assert_eq!(parsed.entries.len(), 2);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    assert!(
        parsed.entries[0]
            .title
            .as_ref()
            .is_some_and(|t| t.content.contains("Summer forum")),
        "newest first"
    );
}

#[tokio::test]
async fn the_meetings_feed_lists_what_is_to_come_with_its_agenda() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Quarterly forum", 48).await;
    agenda_item(&app, &fx, meeting, "Housing on release").await;
    app.meeting(&fx, "Already happened", -48).await;

    let response = app
        .get(&format!("/api/v1/forums/{}/meetings.atom", fx.forum), None)
        .await;
    let parsed = feed(&response);

    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(parsed.entries[0].id, format!("urn:uuid:{meeting}"));
    let text = parsed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(text.contains("1. Housing on release"), "{text}");
    assert!(text.contains("Where: Maidstone Community Hub"), "{text}");

    // An item agreed later is news to a reader polling by date.
    let modified = response
        .header("last-modified")
        .expect("a Last-Modified")
        .to_string();
    app.state.clock.advance(chrono::Duration::seconds(2));
    agenda_item(&app, &fx, meeting, "Any other business").await;
    let polled = app
        .request_with_headers(
            Method::GET,
            &format!("/api/v1/forums/{}/meetings.atom", fx.forum),
            None,
            &[("if-modified-since", &modified)],
            None,
        )
        .await;
    assert_eq!(polled.status, StatusCode::OK, "changed since that date");
    assert!(String::from_utf8_lossy(&polled.body).contains("2. Any other business"));
}

#[tokio::test]
async fn a_region_s_accountability_feed_tells_commitment_changes_and_answers_not_issue_text() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let commitment = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    app.patch(
        &format!("/api/v1/commitments/{commitment}"),
        Some(&fx.rpd_staff.access),
        json!({"status": "in-progress", "status_note": "CAS3 beds commissioned"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "A confidential matter", "body": "Names and details."}),
        )
        .await;
    raised.assert_status(StatusCode::CREATED);
    let issue = raised.json()["id"].as_str().expect("an id").to_string();
    app.post(
        &format!("/api/v1/issues/{issue}/responses"),
        Some(&fx.rpd_staff.access),
        json!({"body": "We have spoken to the accommodation team."}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let response = app
        .get(
            "/api/v1/regions/kent-surrey-sussex/accountability.atom",
            None,
        )
        .await;
    let parsed = feed(&response);
    let xml = String::from_utf8_lossy(&response.body).to_string();

    let titles: Vec<String> = parsed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains("KSS-ACC-1") && t.contains("in-progress")),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("The RPD's team answered an issue")),
        "{titles:?}"
    );
    assert!(xml.contains("CAS3 beds commissioned"));
    assert!(xml.contains("in time"));
    assert!(!xml.contains("A confidential matter") && !xml.contains("accommodation team"));
    let wales = app
        .get("/api/v1/regions/wales/accountability.atom", None)
        .await;
    assert!(
        feed(&wales).entries.is_empty(),
        "another region's news is not here"
    );
    app.get("/api/v1/regions/atlantis/accountability.atom", None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}
