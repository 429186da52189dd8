//! Who is offered scheduling, and who is refused it.

use axum::http::StatusCode;

use super::*;
use crate::support::pages::{PageClient, text};
use crate::support::uuid;

#[tokio::test]
async fn only_the_forums_officers_are_offered_or_allowed_scheduling() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Forum meeting", 24 * 30).await;
    let series = uuid(&api_series(&app, &fx, next_february(app.state.clock.now())).await);
    let forum = fx.forum;
    let officer_pages = [
        format!("/forums/{forum}/meetings/new"),
        format!("/forums/{forum}/series/new"),
        format!("/forums/{forum}/meetings/{meeting}/edit"),
        format!("/forums/{forum}/meetings/{meeting}/cancel"),
        format!("/forums/{forum}/series/{series}/cancel"),
    ];

    for officer in [&fx.secretary, &fx.chair, &fx.admin] {
        let mut browser = signed_in(&app, officer).await;
        let list = browser.get(&format!("/forums/{forum}/meetings")).await;
        list.assert_status(StatusCode::OK);
        assert!(text(&list).contains("Schedule a series"));
        for page in &officer_pages {
            browser.get(page).await.assert_status(StatusCode::OK);
        }
    }

    for participant in [&fx.member, &fx.observer, &fx.rpd_staff] {
        let mut browser = signed_in(&app, participant).await;
        let list = browser.get(&format!("/forums/{forum}/meetings")).await;
        list.assert_status(StatusCode::OK);
        let html = text(&list);
        assert!(html.contains("Forum meeting"));
        assert!(!html.contains("Schedule a"), "not offered");
        assert!(!html.contains("/edit"), "not offered");
        for page in &officer_pages {
            browser.get(page).await.assert_status(StatusCode::FORBIDDEN);
        }
        // Nor done by a form sent anyway.
        let sent = submit(
            &mut browser,
            &format!("/forums/{forum}/meetings"),
            &officer_pages[0],
            &meeting_fields("Sneaky", "2027-07-06", "10:00", "11:00"),
        )
        .await;
        sent.assert_status(StatusCode::FORBIDDEN);
    }

    let welsh = welsh_secretary(&app, &fx).await;
    for outsider in [&fx.signed_in, &fx.other_member, &welsh] {
        let mut browser = signed_in(&app, outsider).await;
        browser
            .get(&format!("/forums/{forum}/meetings"))
            .await
            .assert_status(StatusCode::FORBIDDEN);
        browser
            .get(&officer_pages[0])
            .await
            .assert_status(StatusCode::FORBIDDEN);
        for page in &officer_pages[2..] {
            browser.get(page).await.assert_status(StatusCode::NOT_FOUND);
        }
    }
    // Kent's meeting reached through the Welsh forum's address: as the API, not found.
    let mut browser = signed_in(&app, &welsh).await;
    for page in [
        format!("/forums/{}/meetings/{meeting}/edit", fx.other_forum),
        format!("/forums/{}/meetings/{meeting}/cancel", fx.other_forum),
    ] {
        browser
            .get(&page)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }

    let mut anonymous = PageClient::new(&app);
    for page in officer_pages
        .iter()
        .chain([&format!("/forums/{forum}/meetings")])
    {
        let sent = anonymous.get(page).await;
        sent.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(
            sent.header("location"),
            Some(format!("/sign-in?next={page}").as_str())
        );
    }
}
