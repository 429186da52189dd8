//! One meeting scheduled, changed (a stale save among them) and cancelled,
//! a series cancelled, and what the meetings page costs.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Timelike};
use chrono_tz::Europe::London;
use serde_json::json;

use super::*;
use crate::support::pages::text;
use crate::support::uuid;

#[tokio::test]
async fn secretary_schedules_one_meeting_on_london_time_and_bad_input_is_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let new = format!("/forums/{}/meetings/new", fx.forum);
    let summer =
        NaiveDate::from_ymd_opt(next_february(app.state.clock.now()).year(), 7, 6).expect("a day");

    let refused = submit(
        &mut browser,
        &new,
        &new,
        &meeting_fields("Summer meeting", &summer.to_string(), "14:00", "13:00"),
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("href=\"#ends_at\""), "{html}");
    assert!(html.contains("value=\"Summer meeting\""));
    assert!(html.contains("value=\"14:00\""));

    let scheduled = submit(
        &mut browser,
        &new,
        &new,
        &meeting_fields("Summer meeting", &summer.to_string(), "14:00", "16:00"),
    )
    .await;
    scheduled.assert_status(StatusCode::SEE_OTHER);
    let meetings = forum_meetings(&app, &fx).await;
    assert_eq!(meetings.len(), 1);
    assert_eq!(
        meetings[0]["starts_at"]
            .as_str()
            .map(|s| s.starts_with(&format!("{summer}T13:00:00"))),
        Some(true),
        "14:00 in London in July is 13:00 UTC: {}",
        meetings[0]
    );

    let listed = browser.get(&format!("/forums/{}/meetings", fx.forum)).await;
    listed.assert_status(StatusCode::OK);
    let html = text(&listed);
    assert!(html.contains("Summer meeting"));
    assert!(html.contains(&format!("{}, 2pm", summer.format("%A %-d %B %Y"))));
    assert!(html.contains(&format!(
        "/forums/{}/meetings/{}",
        fx.forum,
        meetings[0]["id"].as_str().unwrap_or_default()
    )));
}

#[tokio::test]
async fn a_stale_edit_names_who_changed_the_meeting_keeps_both_and_saves_the_merge() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Around noon in London, so that its two hours never cross midnight
    // (the form's times are of one day), whenever the test runs.
    let hour = i64::from(app.state.clock.now().with_timezone(&London).hour());
    let meeting = app
        .schedule(&fx, "Forum meeting", 24 * 30 + 12 - hour)
        .await;
    let edit = format!("/forums/{}/meetings/{meeting}/edit", fx.forum);
    let mut browser = signed_in(&app, &fx.secretary).await;
    let opened = browser.get(&edit).await;
    assert!(text(&opened).contains("name=\"version\" value=\"1\""));
    app.request_with_headers(
        axum::http::Method::PATCH,
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.chair.access),
        &[("if-match", "\"1\"")],
        Some(json!({"title": "Forum meeting (moved room)"})),
    )
    .await
    .assert_status(StatusCode::OK);
    let current = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let (date, from) = london_hour(&current);
    let (_, to) = london_hour(&json!({"starts_at": current["ends_at"]}));
    let mut typed = meeting_fields("Forum meeting and AGM", &date.to_string(), &from, &to);
    typed.push(("version", "1".into()));

    let stale = submit(&mut browser, &edit, &edit, &typed).await;

    stale.assert_status(StatusCode::PRECONDITION_FAILED);
    let html = text(&stale);
    assert!(html.contains("Changed by Chair at "), "{html}");
    assert!(html.contains("since you opened it"));
    assert!(html.contains("Forum meeting (moved room)"), "theirs");
    assert!(
        html.contains("value=\"Forum meeting and AGM\""),
        "and yours"
    );
    assert!(html.contains("name=\"version\" value=\"2\""));
    let title = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await
        .json()["title"]
        .clone();
    assert_eq!(title, "Forum meeting (moved room)", "nothing overwritten");

    typed.pop();
    typed.push(("version", "2".into()));
    let merged = submit(&mut browser, &edit, &edit, &typed).await;
    merged.assert_status(StatusCode::SEE_OTHER);
    let title = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await
        .json()["title"]
        .clone();
    assert_eq!(title, "Forum meeting and AGM");
}

#[tokio::test]
async fn secretary_cancels_a_meeting_and_a_series_giving_the_reason() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Forum meeting", 24 * 30).await;
    let cancel = format!("/forums/{}/meetings/{meeting}/cancel", fx.forum);
    let mut browser = signed_in(&app, &fx.secretary).await;

    let refused = submit(
        &mut browser,
        &cancel,
        &cancel,
        &[("reason", String::new()), ("version", "1".into())],
    )
    .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("href=\"#reason\""));

    // Opened before the meeting's last change: nothing cancelled, the
    // reason kept, and who changed it named.
    let stale = submit(
        &mut browser,
        &cancel,
        &cancel,
        &[
            ("reason", "The venue flooded".into()),
            ("version", "0".into()),
        ],
    )
    .await;
    stale.assert_status(StatusCode::PRECONDITION_FAILED);
    let html = text(&stale);
    assert!(html.contains("Changed by Secretary at "), "{html}");
    assert!(html.contains("The venue flooded"));

    let cancelled = submit(
        &mut browser,
        &cancel,
        &cancel,
        &[
            ("reason", "The venue flooded".into()),
            ("version", "1".into()),
        ],
    )
    .await;
    cancelled.assert_status(StatusCode::SEE_OTHER);
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(read["status"], "cancelled");
    assert_eq!(read["cancel_reason"], "The venue flooded");

    let series = api_series(&app, &fx, next_february(app.state.clock.now())).await;
    let series_id = uuid(&series);
    let cancel = format!("/forums/{}/series/{series_id}/cancel", fx.forum);
    let welsh = welsh_secretary(&app, &fx).await;
    let mut elsewhere = signed_in(&app, &welsh).await;
    elsewhere
        .get(&format!(
            "/forums/{}/series/{series_id}/cancel",
            fx.other_forum
        ))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let cancelled = submit(
        &mut browser,
        &cancel,
        &cancel,
        &[("reason", "The forum is merging with Sussex's".into())],
    )
    .await;
    cancelled.assert_status(StatusCode::SEE_OTHER);
    let read = app
        .get(
            &format!("/api/v1/meeting-series/{series_id}"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(read["status"], "cancelled");
}

#[tokio::test]
async fn the_meetings_page_costs_the_same_few_statements_however_many_meetings() {
    let (app, recorder) = crate::explain::recorder::Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let page = format!("/forums/{}/meetings", fx.forum);
    let mut counts = Vec::new();
    for meetings in [1, 30] {
        for n in 0..meetings {
            app.meeting(&fx, "Forum meeting", 24 * (n + 1)).await;
            app.meeting(&fx, "Past meeting", -24 * (n + 1)).await;
        }
        let (shown, statements) = recorder.during(browser.get(&page)).await;
        shown.assert_status(StatusCode::OK);
        counts.push(statements.len());
    }
    // The visitor's session, the forum's access, and each list's access,
    // page and attendance: 8 as measured.
    assert_eq!(counts[0], counts[1], "{counts:?}");
    assert!(counts[0] <= 8, "{counts:?}");
}

/// The `href` of the pagination link with this text, its `&amp;` undone.
fn link_to(page: &str, label: &str) -> Option<String> {
    let at = page.find(&format!(
        "<span class=\"govuk-pagination__link-title\">{label}"
    ))?;
    let href = page[..at].rsplit("href=\"").next()?.split('"').next()?;
    Some(href.replace("&amp;", "&").replace("&#38;", "&"))
}

#[tokio::test]
async fn a_busy_forums_meetings_come_a_page_at_a_time_the_past_latest_first() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    for n in 1..=52 {
        app.meeting(&fx, &format!("To come {n:02}"), 24 * n).await;
        app.meeting(&fx, &format!("Past {n:02}"), -24 * n).await;
    }
    let mut browser = signed_in(&app, &fx.secretary).await;

    let first = text(&browser.get(&format!("/forums/{}/meetings", fx.forum)).await);
    let position = |page: &str, title: &str| page.find(title).unwrap_or(usize::MAX);
    assert!(position(&first, "To come 01") < position(&first, "To come 50"));
    assert!(!first.contains("To come 51"), "50 a page");
    assert!(
        position(&first, "Past 01") < position(&first, "Past 50"),
        "latest first"
    );
    assert!(!first.contains("Past 51"));

    let later = link_to(&first, "Later meetings").expect("a link to later meetings");
    let second = text(&browser.get(&later).await);
    assert!(second.contains("To come 51") && second.contains("To come 52"));
    assert!(!second.contains("To come 50"));
    assert!(
        second.contains("Past 01"),
        "the past list stays on its page"
    );
    assert!(
        link_to(&second, "Later meetings").is_none(),
        "the last page"
    );
    assert!(link_to(&second, "The soonest meetings").is_some());

    let earlier = link_to(&second, "Earlier meetings").expect("a link to earlier meetings");
    let third = text(&browser.get(&earlier).await);
    assert!(third.contains("Past 51") && third.contains("Past 52"));
    assert!(
        third.contains("To come 51"),
        "the list to come stays where it was"
    );
}
