//! Confidential business: an agenda item says who may read it (`public`,
//! `participants`, `officers`), with a reason when it is not public. Every
//! reader who may not read it — by role, and the public in every public
//! output — sees only that it is withheld, and why.

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestUser};

async fn item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, body: Value) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

#[tokio::test]
async fn an_item_that_is_not_public_needs_a_reason() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Quarterly forum", 48).await;
    let path = format!("/api/v1/meetings/{meeting}/agenda-items");

    let without = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "Provider performance", "visibility": "officers"}),
        )
        .await;
    assert_eq!(without.invalid_fields(), ["visibility_reason"]);
    let id = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Provider performance", "visibility": "officers",
               "visibility_reason": "commercially sensitive"}),
    )
    .await;
    let one = format!("/api/v1/agenda-items/{id}");

    // Widened to the participants, it keeps its reason.
    let widened = app
        .patch(
            &one,
            Some(&fx.secretary.access),
            json!({"visibility": "participants"}),
        )
        .await;
    widened.assert_status(StatusCode::OK);
    assert_eq!(
        widened.json()["visibility_reason"],
        "commercially sensitive"
    );
    let cleared = app
        .patch(
            &one,
            Some(&fx.secretary.access),
            json!({"visibility_reason": null}),
        )
        .await;
    assert_eq!(cleared.invalid_fields(), ["visibility_reason"]);
    // Made public, it needs none and keeps none.
    let public = app
        .patch(
            &one,
            Some(&fx.secretary.access),
            json!({"visibility": "public"}),
        )
        .await;
    public.assert_status(StatusCode::OK);
    assert!(public.json()["visibility_reason"].is_null());
    let bad = app
        .patch(
            &one,
            Some(&fx.secretary.access),
            json!({"visibility": "secret"}),
        )
        .await;
    bad.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
}

/// What `who` is shown of each of the three items, by title, in the
/// meeting's agenda and one by one.
async fn shown(app: &TestApp, who: &TestUser, meeting: Uuid, items: &[Uuid]) -> Vec<String> {
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&who.access),
        )
        .await;
    agenda.assert_status(StatusCode::OK);
    let listed = agenda.json()["items"].clone();
    let mut titles = Vec::new();
    for id in items {
        let in_list = listed
            .as_array()
            .and_then(|all| all.iter().find(|i| i["id"] == id.to_string()))
            .cloned()
            .expect("every item is listed");
        let alone = app
            .get(&format!("/api/v1/agenda-items/{id}"), Some(&who.access))
            .await
            .json();
        assert_eq!(in_list["title"], alone["title"]);
        assert_eq!(in_list["withheld"], alone["withheld"]);
        if in_list["withheld"] == true {
            assert_eq!(in_list["description"], "", "nothing of it is shown");
            assert!(in_list["presenter"].is_null() && in_list["proposed_by"].is_null());
        }
        titles.push(in_list["title"].as_str().unwrap_or_default().to_string());
    }
    titles
}

#[tokio::test]
async fn each_role_reads_confidential_items_as_their_visibility_allows() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Quarterly forum", 48).await;
    let items = [
        item(
            &app,
            &fx,
            meeting,
            json!({"title": "Welcome", "presenter": "Chair"}),
        )
        .await,
        item(
            &app,
            &fx,
            meeting,
            json!({"title": "Named case review", "description": "Details of a person",
                   "presenter": "Probation", "visibility": "participants",
                   "visibility_reason": "personal information"}),
        )
        .await,
        item(
            &app,
            &fx,
            meeting,
            json!({"title": "Contract dispute", "visibility": "officers",
                   "visibility_reason": "legal advice"}),
        )
        .await,
    ];
    let full = ["Welcome", "Named case review", "Contract dispute"];
    let participant = ["Welcome", "Named case review", "Withheld: legal advice"];

    for (who, expected) in [
        (&fx.secretary, full),
        (&fx.chair, full),
        (&fx.admin, full),
        (&fx.member, participant),
        (&fx.observer, participant),
        (&fx.rpd_staff, participant),
    ] {
        assert_eq!(
            shown(&app, who, meeting, &items).await,
            expected,
            "{}",
            who.email
        );
    }
    // Outside the forum, the agenda itself is not theirs to read.
    for outsider in [&fx.signed_in, &fx.other_member, &fx.other_rpd_staff] {
        app.get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&outsider.access),
        )
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    }

    // The public record: the list and the feed show only public business.
    let public_titles = json!([
        "Welcome",
        "Withheld: personal information",
        "Withheld: legal advice"
    ]);
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/upcoming-meetings", fx.forum),
            None,
        )
        .await;
    assert_eq!(listed.json()["items"][0]["agenda"], public_titles);
    let feed = app
        .get(&format!("/api/v1/forums/{}/meetings.atom", fx.forum), None)
        .await;
    let xml = String::from_utf8_lossy(&feed.body).to_string();
    assert!(xml.contains("Withheld: personal information"), "{xml}");
    for secret in [
        "Named case review",
        "Details of a person",
        "Contract dispute",
    ] {
        assert!(!xml.contains(secret), "{secret} in the public feed");
        assert!(!listed.json().to_string().contains(secret));
    }
}

#[tokio::test]
async fn the_audit_trail_withholds_confidential_items_from_rpd_staff() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Quarterly forum", 48).await;
    let secret = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Contract dispute", "description": "Counsel's opinion",
               "visibility": "officers", "visibility_reason": "legal advice"}),
    )
    .await;
    let open = item(&app, &fx, meeting, json!({"title": "Welcome"})).await;
    let trail = |who: &TestUser, id: Uuid| {
        let app = &app;
        let token = who.access.clone();
        let path = format!(
            "/api/v1/audit?forum_id={}&entity=agenda_item&entity_id={id}",
            fx.forum
        );
        async move {
            let page = app.get(&path, Some(&token)).await;
            page.assert_status(StatusCode::OK);
            page.json()["items"].to_string()
        }
    };
    let seen_by_staff = trail(&fx.rpd_staff, secret).await;
    assert!(
        seen_by_staff.contains("Withheld: legal advice"),
        "{seen_by_staff}"
    );
    assert!(
        !seen_by_staff.contains("Contract dispute") && !seen_by_staff.contains("Counsel"),
        "{seen_by_staff}"
    );
    assert!(trail(&fx.rpd_staff, open).await.contains("Welcome"));
    assert!(
        trail(&fx.secretary, secret)
            .await
            .contains("Contract dispute")
    );
}
