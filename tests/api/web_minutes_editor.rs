//! The officers' minutes pages over HTTP: the secretary drafts from the
//! agenda and edits section by section, the chair approves, the public
//! reads — and a confidential section's text is in no page the public can
//! see. Every other role is refused as the API refuses it, a section more
//! open than its item is refused on its field with the text kept, and a
//! stale save shows both texts and saves their merge.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders};

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
async fn minutes(app: &TestApp, fx: &ForumFixture, meeting: Uuid) -> Value {
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
fn fields(
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

async fn post(
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

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut client = PageClient::new(app);
    client
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    client
}

/// Drafts the minutes from the agenda as `who`, on the page.
async fn draft(client: &mut PageClient<'_>, fx: &ForumFixture, meeting: Uuid) {
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
async fn minute_the_dispute(
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

#[tokio::test]
async fn the_secretary_drafts_from_the_agenda_and_the_chair_approves_them_for_the_public() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;

    let empty = secretary.get(&edit).await;
    empty.assert_status(StatusCode::OK);
    assert!(text(&empty).contains("Draft the minutes from the agenda"));
    draft(&mut secretary, &fx, meeting).await;
    let drafted = text(&secretary.get(&format!("{edit}?done=drafted")).await);
    assert!(drafted.contains("2. Contract dispute"), "{drafted}");
    assert!(drafted.contains(REASON));
    assert!(
        !drafted.contains("Approve and publish"),
        "the forum has a chair: the secretary does not approve"
    );
    minute_the_dispute(&app, &mut secretary, &fx, meeting).await;
    let saved = text(&secretary.get(&format!("{edit}?done=saved")).await);
    assert!(saved.contains("The minutes are saved."));
    assert!(saved.contains(SECRET), "officers read every section");

    let versions = text(
        &secretary
            .get(&format!("/forums/{}/minutes/{meeting}/revisions", fx.forum))
            .await,
    );
    assert!(versions.contains("Version 2"));
    assert!(versions.contains("<ins>"), "{versions}");
    assert!(versions.contains("The chair welcomed everyone."));

    let mut chair = signed_in(&app, &fx.chair).await;
    let shown = text(&chair.get(&edit).await);
    assert!(shown.contains("Approve and publish the minutes"));
    let version = minutes(&app, &fx, meeting).await["version"].to_string();
    let approved = chair
        .submit(
            &edit,
            &edit.replace("/edit", "/approve"),
            &[("version", &version)],
        )
        .await;
    approved.assert_status(StatusCode::SEE_OTHER);
    let public_minutes = format!("/forums/{}/minutes/{meeting}", fx.forum);
    assert_eq!(approved.header("location"), Some(public_minutes.as_str()));

    let mut public = PageClient::new(&app);
    let read = public.get(&public_minutes).await;
    read.assert_status(StatusCode::OK);
    let html = text(&read);
    assert!(html.contains(&format!("Withheld: {REASON}")), "{html}");
    assert!(html.contains("The chair welcomed everyone."));
    for path in [
        public_minutes.clone(),
        format!("/forums/{}", fx.forum),
        edit.clone(),
        format!("{public_minutes}/revisions"),
    ] {
        let page = public.get(&path).await;
        assert!(!text(&page).contains(SECRET), "{path} shows the secret");
    }
    let member_versions = text(
        &signed_in(&app, &fx.member)
            .await
            .get(&format!("{public_minutes}/revisions"))
            .await,
    );
    assert!(member_versions.contains("Withheld"));
    assert!(!member_versions.contains(SECRET), "{member_versions}");

    let after = secretary.get(&edit).await;
    after.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(after.header("location"), Some(public_minutes.as_str()));
}

#[tokio::test]
async fn only_the_forums_officers_reach_the_editor_and_others_are_refused_as_the_api_refuses() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let welsh_secretary = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        welsh_secretary.id,
        entity::ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;

    let mut public = PageClient::new(&app);
    let away = public.get(&edit).await;
    away.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        away.header("location"),
        Some(format!("/sign-in?next={edit}").as_str())
    );

    for (who, expected) in [
        (&fx.member, StatusCode::FORBIDDEN),
        (&fx.observer, StatusCode::FORBIDDEN),
        (&fx.rpd_staff, StatusCode::FORBIDDEN),
        (&welsh_secretary, StatusCode::NOT_FOUND),
        (&fx.other_rpd_staff, StatusCode::NOT_FOUND),
    ] {
        let mut client = signed_in(&app, who).await;
        client.get(&edit).await.assert_status(expected);
        // Their forms (with their own good token) are refused the same way.
        let token = csrf_token(&text(&client.get("/account").await));
        for action in ["edit", "draft", "approve"] {
            let path = edit.replace("/edit", &format!("/{action}"));
            let sent = client
                .post_raw(
                    &path,
                    &[
                        ("csrf_token", &token),
                        ("version", ""),
                        ("heading", "Mine"),
                        ("body", "Overwritten"),
                        ("visibility", "public"),
                        ("visibility_reason", ""),
                        ("agenda_item_id", ""),
                        ("change", "save"),
                    ],
                    &[],
                )
                .await;
            sent.assert_status(expected);
        }
    }
    let kept = app
        .get(
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.secretary.access),
        )
        .await;
    kept.assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_section_more_open_than_its_item_is_refused_on_its_field_with_the_text_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    draft(&mut secretary, &fx, meeting).await;
    let token = csrf_token(&text(&secretary.get(&edit).await));
    let now = minutes(&app, &fx, meeting).await;
    let sections = now["sections"].as_array().cloned().unwrap_or_default();
    let dispute = sections
        .iter()
        .position(|s| {
            s["heading"]
                .as_str()
                .unwrap_or_default()
                .contains("Contract")
        })
        .expect("the dispute's section");

    let refused = post(
        &mut secretary,
        &edit,
        &fields(
            &token,
            &now["version"].to_string(),
            &sections,
            |n, s| {
                if n == dispute {
                    s[1] = "Typed with care and never lost".into();
                    s[2] = "public".into();
                }
            },
            "save",
        ),
    )
    .await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(html.contains(&format!("href=\"#sections-{dispute}-visibility\"")));
    assert!(html.contains(&format!("id=\"sections-{dispute}-visibility-error\"")));
    assert!(html.contains("Who may read it cannot be more open than its agenda item (officers)"));
    assert!(html.contains("Typed with care and never lost"));
    assert_eq!(minutes(&app, &fx, meeting).await["version"], now["version"]);
}

#[tokio::test]
async fn a_stale_save_shows_who_changed_the_minutes_and_both_texts_and_the_merge_saves() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let second = app.user("Priya Shah").await;
    builders::role(
        app.db(),
        fx.forum,
        second.id,
        entity::ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    let mut first_client = signed_in(&app, &fx.secretary).await;
    draft(&mut first_client, &fx, meeting).await;
    let mut second_client = signed_in(&app, &second).await;
    let first_token = csrf_token(&text(&first_client.get(&edit).await));
    let second_token = csrf_token(&text(&second_client.get(&edit).await));
    let opened = minutes(&app, &fx, meeting).await;
    let sections = opened["sections"].as_array().cloned().unwrap_or_default();
    let version = opened["version"].to_string();
    let say = |words: &'static str| {
        move |n: usize, s: &mut [String; 4]| {
            if n == 0 {
                s[1] = words.into();
            }
        }
    };

    post(
        &mut second_client,
        &edit,
        &fields(
            &second_token,
            &version,
            &sections,
            say("Theirs: apologies from Kent"),
            "save",
        ),
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);
    let stale = post(
        &mut first_client,
        &edit,
        &fields(
            &first_token,
            &version,
            &sections,
            say("Mine: the room was full"),
            "save",
        ),
    )
    .await;

    stale.assert_status(StatusCode::CONFLICT);
    let html = text(&stale);
    assert!(html.contains("Changed by Priya Shah at "), "{html}");
    assert!(html.contains(" since you opened it"));
    assert!(html.contains("Theirs: apologies from Kent"));
    assert!(html.contains("Mine: the room was full"));
    let now = minutes(&app, &fx, meeting).await;
    assert_eq!(now["sections"][0]["body"], "Theirs: apologies from Kent");
    let new_version = now["version"].to_string();
    assert!(html.contains(&format!("name=\"version\" value=\"{new_version}\"")));

    let merged = post(
        &mut first_client,
        &edit,
        &fields(
            &csrf_token(&html),
            &new_version,
            &sections,
            say("Theirs: apologies from Kent. Mine: the room was full"),
            "save",
        ),
    )
    .await;
    merged.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        minutes(&app, &fx, meeting).await["sections"][0]["body"],
        "Theirs: apologies from Kent. Mine: the room was full"
    );
}

#[tokio::test]
async fn sections_are_added_and_removed_without_javascript_and_without_saving() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let token = csrf_token(&text(&secretary.get(&edit).await));
    let one = [json!({"heading": "Opening", "body": "Kept as typed", "visibility": "public"})];

    let added = post(
        &mut secretary,
        &edit,
        &fields(&token, "", &one, |_, _| {}, "add"),
    )
    .await;
    added.assert_status(StatusCode::OK);
    let html = text(&added);
    assert!(html.contains("Kept as typed"));
    assert!(html.contains("id=\"sections-1-heading\""));
    let removed = post(
        &mut secretary,
        &edit,
        &fields(&token, "", &one, |_, _| {}, "remove-0"),
    )
    .await;
    assert!(!text(&removed).contains("Kept as typed"));
    app.get(
        &format!("/api/v1/meetings/{meeting}/minutes"),
        Some(&fx.secretary.access),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_chair_approves_or_where_there_is_none_the_secretary() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let approve = edit.replace("/edit", "/approve");
    let mut secretary = signed_in(&app, &fx.secretary).await;
    draft(&mut secretary, &fx, meeting).await;
    let version = minutes(&app, &fx, meeting).await["version"].to_string();

    let refused = secretary
        .submit(&edit, &approve, &[("version", &version)])
        .await;
    refused.assert_status(StatusCode::FORBIDDEN);
    let mut member = signed_in(&app, &fx.member).await;
    let token = csrf_token(&text(&member.get("/account").await));
    member
        .post_raw(
            &approve,
            &[("csrf_token", &token), ("version", &version)],
            &[],
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);

    app.request(
        Method::DELETE,
        &format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.chair.id),
        Some(&fx.admin.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let shown = text(&secretary.get(&edit).await);
    assert!(shown.contains("Approve and publish the minutes"));
    let stale = secretary
        .submit(&edit, &approve, &[("version", "1000")])
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert!(text(&stale).contains("since you opened it"));
    secretary
        .submit(&edit, &approve, &[("version", &version)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(minutes(&app, &fx, meeting).await["status"], "approved");
}

#[tokio::test]
async fn the_editor_its_versions_and_a_save_each_run_a_few_statements() {
    let (app, recorder) = crate::explain::recorder::Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    draft(&mut secretary, &fx, meeting).await;
    minute_the_dispute(&app, &mut secretary, &fx, meeting).await;

    recorder.take();
    secretary.get(&edit).await.assert_status(StatusCode::OK);
    let editor = recorder.take().len();
    secretary
        .get(&edit.replace("/edit", "/revisions"))
        .await
        .assert_status(StatusCode::OK);
    let versions = recorder.take().len();
    let token = csrf_token(&text(&secretary.get(&edit).await));
    let now = minutes(&app, &fx, meeting).await;
    let sections = now["sections"].as_array().cloned().unwrap_or_default();
    recorder.take();
    post(
        &mut secretary,
        &edit,
        &fields(
            &token,
            &now["version"].to_string(),
            &sections,
            |n, s| {
                if n == 0 {
                    s[1] = "Edited".into();
                }
            },
            "save",
        ),
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);
    let save = recorder.take().len();
    eprintln!("statements: editor {editor}, versions {versions}, save {save}");
    assert!(editor <= 12, "the editor ran {editor} statements");
    assert!(versions <= 20, "the versions ran {versions} statements");
    assert!(save <= 30, "a save ran {save} statements");
}

#[tokio::test]
async fn a_first_draft_overtaken_by_another_is_merged_rather_than_lost() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = held_meeting_with_agenda(&app, &fx).await;
    let edit = edit_path(&fx, meeting);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let mut chair = signed_in(&app, &fx.chair).await;
    let token = csrf_token(&text(&secretary.get(&edit).await));
    let chair_token = csrf_token(&text(&chair.get(&edit).await));
    let one = |body: &str| [json!({"heading": "Opening", "body": body, "visibility": "public"})];

    post(
        &mut chair,
        &edit,
        &fields(
            &chair_token,
            "",
            &one("First draft by the chair"),
            |_, _| {},
            "save",
        ),
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);
    let overtaken = post(
        &mut secretary,
        &edit,
        &fields(
            &token,
            "",
            &one("Notes of the secretary"),
            |_, _| {},
            "save",
        ),
    )
    .await;

    overtaken.assert_status(StatusCode::CONFLICT);
    let html = text(&overtaken);
    assert!(html.contains("Changed by Chair at "), "{html}");
    assert!(html.contains("First draft by the chair"), "their text");
    assert!(html.contains("Notes of the secretary"), "one's own, kept");
    assert!(html.contains("name=\"version\" value=\"1\""));
}
