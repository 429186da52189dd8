//! Editing itself: sections added and removed, the statements it runs.

use axum::http::StatusCode;
use serde_json::json;

use super::*;
use crate::support::TestApp;
use crate::support::pages::{csrf_token, text};

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
