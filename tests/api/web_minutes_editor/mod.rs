//! The officers' minutes pages over HTTP: the secretary drafts from the
//! agenda and edits section by section, the chair approves, the public
//! reads — and a confidential section's text is in no page the public can
//! see. Every other role is refused as the API refuses it, a section more
//! open than its item is refused on its field with the text kept, and a
//! stale save shows both texts and saves their merge.

mod conflicts;
mod editing;
mod journey;
mod refusals;

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser};

pub const SECRET: &str = "Acme Housing is taking the forum to court over unpaid invoices";
pub const REASON: &str = "commercially sensitive";

/// A held meeting of the fixture's forum with a public item and an
/// officers-only one.
pub async fn held_meeting_with_agenda(app: &TestApp, fx: &ForumFixture) -> Uuid {
    let meeting = app.meeting(fx, "Spring forum", -3).await;
    for item in [
        json!({"title": "Welcome"}),
        json!({"title": "Contract dispute", "visibility": "officers",
               "visibility_reason": REASON}),
    ] {
        app.post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            item,
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    meeting
}

pub fn edit_path(fx: &ForumFixture, meeting: Uuid) -> String {
    format!("/forums/{}/minutes/{meeting}/edit", fx.forum)
}

/// The minutes as their secretary reads them through the API.
pub async fn minutes(app: &TestApp, fx: &ForumFixture, meeting: Uuid) -> Value {
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.secretary.access),
        )
        .await;
    read.assert_status(StatusCode::OK);
    read.json()
}

/// The editor's fields for these sections, as the page sends them, with
/// `edit` applied to each section (heading, body, visibility, reason).
pub fn fields(
    token: &str,
    version: &str,
    sections: &[Value],
    edit: impl Fn(usize, &mut [String; 4]),
    change: &str,
) -> Vec<(String, String)> {
    let mut out = vec![
        ("csrf_token".to_string(), token.to_string()),
        ("version".to_string(), version.to_string()),
    ];
    for (n, s) in sections.iter().enumerate() {
        let text = |key: &str| s[key].as_str().unwrap_or_default().to_string();
        let mut values = [
            text("heading"),
            text("body"),
            text("visibility"),
            text("visibility_reason"),
        ];
        edit(n, &mut values);
        out.push(("agenda_item_id".into(), text("agenda_item_id")));
        for (name, value) in ["heading", "body", "visibility", "visibility_reason"]
            .into_iter()
            .zip(values)
        {
            out.push((name.into(), value));
        }
    }
    out.push(("change".into(), change.into()));
    out
}

pub async fn post(
    client: &mut PageClient<'_>,
    path: &str,
    fields: &[(String, String)],
) -> crate::support::TestResponse {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_raw(path, &pairs, &[]).await
}

pub async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut client = PageClient::new(app);
    client
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    client
}

/// Drafts the minutes from the agenda as `who`, on the page.
pub async fn draft(client: &mut PageClient<'_>, fx: &ForumFixture, meeting: Uuid) {
    let edit = edit_path(fx, meeting);
    let drafted = client
        .submit(&edit, &edit.replace("/edit", "/draft"), &[])
        .await;
    drafted.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        drafted.header("location"),
        Some(format!("{edit}?done=drafted").as_str())
    );
}

/// Writes the secret into the officers-only section, on the page.
pub async fn minute_the_dispute(
    app: &TestApp,
    client: &mut PageClient<'_>,
    fx: &ForumFixture,
    meeting: Uuid,
) {
    let edit = edit_path(fx, meeting);
    let token = csrf_token(&text(&client.get(&edit).await));
    let now = minutes(app, fx, meeting).await;
    let sections = now["sections"].as_array().cloned().unwrap_or_default();
    let version = now["version"].to_string();
    let saved = post(
        client,
        &edit,
        &fields(
            &token,
            &version,
            &sections,
            |_, s| {
                if s[0].contains("Contract dispute") {
                    s[1] = SECRET.into();
                }
                if s[0].contains("Welcome") {
                    s[1] = "The chair welcomed everyone.".into();
                }
            },
            "save",
        ),
    )
    .await;
    saved.assert_status(StatusCode::SEE_OTHER);
}
