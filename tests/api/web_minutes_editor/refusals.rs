//! Who is refused the editor and the approval, as the API refuses them.

use axum::http::{Method, StatusCode};

use super::*;
use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::{TestApp, builders};

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
