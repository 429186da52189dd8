//! Stale saves: both texts shown, nothing lost, the merge saved.

use axum::http::StatusCode;
use serde_json::json;

use super::*;
use crate::support::pages::{csrf_token, text};
use crate::support::{TestApp, builders};

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
