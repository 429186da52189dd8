//! The whole cycle: drafted, edited, approved, read by the public.

use axum::http::StatusCode;

use super::*;
use crate::support::TestApp;
use crate::support::pages::{PageClient, text};

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
