//! Minutes in sections, each as confidential as it says (and never more
//! open than its agenda item): every role reads what its visibility allows
//! — in the minutes, in their versions and in the public feed — and sees
//! "Withheld: <reason>" in place of the rest.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestUser};

async fn item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, body: Value) -> String {
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()["id"].as_str().expect("an id").to_string()
}

async fn held_meeting(app: &TestApp, fx: &ForumFixture) -> Uuid {
    let meeting = app.meeting(fx, "Spring forum", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    meeting
}

async fn write(app: &TestApp, fx: &ForumFixture, meeting: Uuid, body: Value) -> Value {
    let written = app
        .request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.secretary.access),
            Some(body),
        )
        .await;
    written.assert_status(StatusCode::CREATED);
    written.json()
}

/// The headings `who` is shown, in the minutes and in their last version
/// (each checked to show nothing of a withheld section's text).
async fn headings(app: &TestApp, who: Option<&TestUser>, meeting: Uuid) -> Option<Vec<String>> {
    let token = who.map(|w| w.access.as_str());
    let minutes = app
        .get(&format!("/api/v1/meetings/{meeting}/minutes"), token)
        .await;
    if minutes.status == StatusCode::NOT_FOUND {
        return None;
    }
    minutes.assert_status(StatusCode::OK);
    let minutes = minutes.json();
    let sections = minutes["sections"].as_array().cloned().unwrap_or_default();
    for s in &sections {
        if s["withheld"] == true {
            assert_eq!(s["body"], "", "nothing of a withheld section is shown");
        }
    }
    let text = minutes.to_string();
    for secret in [
        "Mr B",
        "solicitors",
        "Named case review",
        "Contract dispute",
        "restructure",
    ] {
        let readable = sections
            .iter()
            .any(|s| s["withheld"] == false && s.to_string().contains(secret));
        assert!(
            readable || !text.contains(secret),
            "{secret} leaked: {text}"
        );
    }
    if let Some(who) = who {
        let revisions = app
            .get(
                &format!("/api/v1/meetings/{meeting}/minutes/revisions"),
                Some(&who.access),
            )
            .await;
        if revisions.status == StatusCode::OK {
            let last = revisions.json()["items"]
                .as_array()
                .and_then(|all| all.last().cloned())
                .unwrap_or_default();
            assert_eq!(last["body"], minutes["body"], "versions withhold the same");
        }
    }
    Some(
        sections
            .iter()
            .map(|s| s["heading"].as_str().unwrap_or_default().to_string())
            .collect(),
    )
}

#[tokio::test]
async fn each_role_reads_confidential_minutes_as_their_visibility_allows() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let welcome = item(&app, &fx, meeting, json!({"title": "Welcome"})).await;
    let case = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Named case review", "visibility": "participants",
               "visibility_reason": "personal information"}),
    )
    .await;
    let dispute = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Contract dispute", "visibility": "officers",
               "visibility_reason": "legal advice"}),
    )
    .await;
    write(
        &app,
        &fx,
        meeting,
        json!({"sections": [
            {"heading": "", "body": "Present: member organisations."},
            {"agenda_item_id": welcome, "heading": "Welcome", "body": "The chair welcomed everyone."},
            {"agenda_item_id": case, "heading": "Named case review", "body": "Mr B's housing was discussed."},
            {"agenda_item_id": dispute, "heading": "Contract dispute", "body": "Refer to the solicitors."},
            {"heading": "Chair's note", "body": "A restructure is planned.",
             "visibility": "officers", "visibility_reason": "staffing matter"},
        ]}),
    )
    .await;

    let full = [
        "",
        "Welcome",
        "Named case review",
        "Contract dispute",
        "Chair's note",
    ];
    let participant = [
        "",
        "Welcome",
        "Named case review",
        "Withheld: legal advice",
        "Withheld: staffing matter",
    ];
    let public = [
        "",
        "Welcome",
        "Withheld: personal information",
        "Withheld: legal advice",
        "Withheld: staffing matter",
    ];
    // A draft: the forum's participants, each as their role allows; no one else.
    for (who, expected) in [
        (&fx.secretary, Some(full.to_vec())),
        (&fx.chair, Some(full.to_vec())),
        (&fx.admin, Some(full.to_vec())),
        (&fx.member, Some(participant.to_vec())),
        (&fx.observer, Some(participant.to_vec())),
        (&fx.rpd_staff, Some(participant.to_vec())),
        (&fx.signed_in, None),
        (&fx.other_member, None),
        (&fx.other_rpd_staff, None),
    ] {
        let shown = headings(&app, Some(who), meeting).await;
        let expected = expected.map(|e| e.iter().map(|s| s.to_string()).collect());
        assert_eq!(shown, expected, "draft, {}", who.email);
    }
    assert_eq!(headings(&app, None, meeting).await, None);

    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.chair.access),
        json!({}),
    )
    .await
    .assert_status(StatusCode::OK);
    // Approved: everyone reads them, as far as their role allows.
    for (who, expected) in [
        (Some(&fx.secretary), full.as_slice()),
        (Some(&fx.member), participant.as_slice()),
        (Some(&fx.rpd_staff), participant.as_slice()),
        (Some(&fx.signed_in), public.as_slice()),
        (Some(&fx.other_member), public.as_slice()),
        (Some(&fx.other_rpd_staff), public.as_slice()),
        (None, public.as_slice()),
    ] {
        let shown = headings(&app, who, meeting)
            .await
            .expect("approved minutes");
        assert_eq!(shown, expected, "approved, {:?}", who.map(|w| &w.email));
    }
    // The public feed tells the public version.
    let feed = app
        .get(&format!("/api/v1/forums/{}/minutes.atom", fx.forum), None)
        .await;
    let parsed = feed_rs::parser::parse(feed.body.as_ref()).expect("an Atom feed");
    let content = parsed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_default();
    assert!(content.contains("Withheld: legal advice"), "{content}");
    for secret in ["Mr B", "solicitors", "restructure", "Named case review"] {
        assert!(!content.contains(secret), "{secret} in the public feed");
    }
    // So do every public page: the forum's, the minutes' own, the
    // region's and its plan's.
    for path in [
        format!("/forums/{}", fx.forum),
        format!("/forums/{}/minutes/{meeting}", fx.forum),
        "/regions/kent-surrey-sussex".to_string(),
        "/regions/kent-surrey-sussex/plan".to_string(),
        "/".to_string(),
    ] {
        let page = app
            .request_with_headers(Method::GET, &path, None, &[("accept", "text/html")], None)
            .await;
        page.assert_status(StatusCode::OK);
        let html = String::from_utf8_lossy(&page.body);
        for secret in ["Mr B", "solicitors", "restructure", "Named case review"] {
            assert!(!html.contains(secret), "{secret} on {path}");
        }
    }
    let minutes_page = app
        .request_with_headers(
            Method::GET,
            &format!("/forums/{}/minutes/{meeting}", fx.forum),
            None,
            &[("accept", "text/html")],
            None,
        )
        .await;
    let html = String::from_utf8_lossy(&minutes_page.body);
    assert!(html.contains("Withheld: legal advice"), "{html}");
    assert!(html.contains("The chair welcomed everyone."));
    // Another forum's address does not show them.
    app.request_with_headers(
        Method::GET,
        &format!("/forums/{}/minutes/{meeting}", fx.other_forum),
        None,
        &[("accept", "text/html")],
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);

    // An item made confidential after the minutes were approved takes its
    // section with it.
    app.patch(
        &format!("/api/v1/agenda-items/{welcome}"),
        Some(&fx.secretary.access),
        json!({"visibility": "participants", "visibility_reason": "not yet announced"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let shown = headings(&app, None, meeting)
        .await
        .expect("approved minutes");
    assert_eq!(shown[1], "Withheld: not yet announced");
}

#[tokio::test]
async fn minutes_sections_are_checked_against_the_meeting_s_agenda() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting(&app, &fx).await;
    let elsewhere = app.meeting(&fx, "Summer forum", 48).await;
    let theirs = item(&app, &fx, elsewhere, json!({"title": "Other business"})).await;
    let dispute = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Contract dispute", "visibility": "officers",
               "visibility_reason": "legal advice"}),
    )
    .await;
    let path = format!("/api/v1/meetings/{meeting}/minutes");
    let put = |body: Value| {
        let app = &app;
        let path = path.clone();
        let token = fx.secretary.access.clone();
        async move {
            app.request(Method::PUT, &path, Some(&token), Some(body))
                .await
        }
    };

    let both = put(json!({"body": "x", "sections": [{"body": "x"}]})).await;
    assert_eq!(both.invalid_fields(), ["sections"]);
    let neither = put(json!({})).await;
    assert_eq!(neither.invalid_fields(), ["sections"]);
    let none = put(json!({"sections": []})).await;
    assert_eq!(none.invalid_fields(), ["sections"]);
    let refused = put(json!({"sections": [
        {"agenda_item_id": theirs, "heading": "Other business"},
        {"agenda_item_id": dispute, "heading": "Dispute", "visibility": "participants",
         "visibility_reason": "x"},
        {"heading": "Note", "visibility": "officers"},
        {"agenda_item_id": dispute, "heading": "Dispute again"},
        {"heading": "Two\nlines"},
    ]}))
    .await;
    refused.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.invalid_fields(),
        [
            "sections[0].agenda_item_id",
            "sections[1].visibility",
            "sections[2].visibility_reason",
            "sections[3].agenda_item_id",
            "sections[4].heading",
        ]
    );
    app.get(&path, Some(&fx.secretary.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);

    // A section of the item takes its visibility and reason by default.
    let written = put(
        json!({"sections": [{"agenda_item_id": dispute, "heading": "Dispute",
                                           "body": "Settled."}]}),
    )
    .await;
    written.assert_status(StatusCode::CREATED);
    let section = &written.json()["sections"][0];
    assert_eq!(
        (
            section["visibility"].as_str(),
            section["visibility_reason"].as_str()
        ),
        (Some("officers"), Some("legal advice"))
    );
    // The same sections again make no new version.
    let again = app
        .request_with_headers(
            Method::PUT,
            &path,
            Some(&fx.secretary.access),
            &[("if-match", "\"1\"")],
            Some(
                json!({"sections": [{"agenda_item_id": dispute, "heading": "Dispute",
                                      "body": "Settled."}]}),
            ),
        )
        .await;
    again.assert_status(StatusCode::OK);
    assert_eq!(again.json()["version"], 1);
}
