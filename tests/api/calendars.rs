//! Calendar files are parsed back with an iCalendar parser, not compared as strings.

use axum::http::StatusCode;
use chrono::{Duration, TimeZone, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, EventLike};
use serde_json::json;

use crate::support::{TestApp, TestResponse};

fn parse(response: &TestResponse) -> Calendar {
    response.assert_status(StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    String::from_utf8_lossy(&response.body)
        .parse::<Calendar>()
        .expect("a valid iCalendar file")
}

fn utc(value: Option<DatePerhapsTime>) -> Option<chrono::DateTime<Utc>> {
    match value {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(dt))) => Some(dt),
        _ => None,
    }
}

#[tokio::test]
async fn a_meeting_calendar_has_a_stable_uid_and_a_rising_sequence() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // 10:00–12:00 in London on a summer day is 09:00–11:00 UTC.
    let starts = Utc
        .with_ymd_and_hms(2030, 7, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let created = app
        .post(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Summer forum", "starts_at": starts, "ends_at": starts + Duration::hours(2), "online_link": "https://meet.example.org/x"}),
        )
        .await
        .json();
    let id = created["id"].as_str().unwrap_or_default().to_string();
    let path = format!("/api/v1/meetings/{id}/calendar.ics");

    let before = parse(&app.get(&path, Some(&fx.member.access)).await);
    app.patch(
        &format!("/api/v1/meetings/{id}"),
        Some(&fx.secretary.access),
        json!({"title": "Summer forum (room change)"}),
    )
    .await;
    let after = parse(&app.get(&path, Some(&fx.member.access)).await);

    let (old, new) = (
        before.events().next().cloned(),
        after.events().next().cloned(),
    );
    let (old, new) = (old.expect("one event"), new.expect("one event"));
    assert_eq!(old.get_uid(), Some(format!("{id}@convene").as_str()));
    assert_eq!(new.get_uid(), old.get_uid());
    assert_eq!(old.get_sequence(), Some(0));
    assert_eq!(new.get_sequence(), Some(1));
    assert_eq!(new.get_summary(), Some("Summer forum (room change)"));
    assert_eq!(utc(new.get_start()), Some(starts));
    assert_eq!(utc(new.get_end()), Some(starts + Duration::hours(2)));
    assert_eq!(after.get_timezone(), Some("Europe/London"));
    assert_eq!(new.get_location(), Some("https://meet.example.org/x"));
}

#[tokio::test]
async fn a_cancelled_meeting_stays_in_the_feed_marked_cancelled() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let kept = app.meeting(&fx, "Kept", 24).await;
    let dropped = app.meeting(&fx, "Dropped", 48).await;
    app.patch(
        &format!("/api/v1/meetings/{dropped}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Strike"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let feed = parse(
        &app.get(
            &format!("/api/v1/forums/{}/calendar.ics", fx.forum),
            Some(&fx.observer.access),
        )
        .await,
    );

    let events: Vec<_> = feed.events().collect();
    assert_eq!(events.len(), 2);
    let status = |uid: String| {
        events
            .iter()
            .find(|e| e.get_uid() == Some(uid.as_str()))
            .and_then(|e| e.get_status())
    };
    assert_eq!(
        status(format!("{dropped}@convene")),
        Some(icalendar::EventStatus::Cancelled)
    );
    assert_eq!(
        status(format!("{kept}@convene")),
        Some(icalendar::EventStatus::Confirmed)
    );
}

#[tokio::test]
async fn the_personal_feed_url_works_without_a_bearer_token_until_rotated() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.meeting(&fx, "Forum", 24).await;

    let feed = app
        .get("/api/v1/me/calendar-feed", Some(&fx.member.access))
        .await;
    feed.assert_status(StatusCode::OK);
    let feed = feed.json();
    let again = app
        .get("/api/v1/me/calendar-feed", Some(&fx.member.access))
        .await
        .json();
    assert_eq!(
        feed["token"], again["token"],
        "the URL is stable until rotated"
    );
    let forums = feed["forums"].as_array().cloned().unwrap_or_default();
    assert_eq!(forums.len(), 1);
    assert_eq!(forums[0]["forum_id"], json!(fx.forum));
    let url = forums[0]["url"].as_str().unwrap_or_default().to_string();

    let calendar = parse(&app.get(&url, None).await);
    assert_eq!(calendar.events().count(), 1);

    let rotated = app
        .post(
            "/api/v1/me/calendar-feed/rotate",
            Some(&fx.member.access),
            json!({}),
        )
        .await
        .json();
    assert_ne!(rotated["token"], feed["token"]);
    app.get(&url, None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    let new_url = rotated["forums"][0]["url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    parse(&app.get(&new_url, None).await);
}

#[tokio::test]
async fn a_feed_token_opens_only_the_forums_its_owner_takes_part_in() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "KSS only", 24).await;
    let welsh = app
        .get("/api/v1/me/calendar-feed", Some(&fx.other_member.access))
        .await
        .json();
    let token = welsh["token"].as_str().unwrap_or_default().to_string();

    let forum = app
        .get(
            &format!("/api/v1/forums/{}/calendar.ics?token={token}", fx.forum),
            None,
        )
        .await;
    let single = app
        .get(
            &format!("/api/v1/meetings/{meeting}/calendar.ics?token={token}"),
            None,
        )
        .await;
    let bogus = app
        .get(
            &format!("/api/v1/forums/{}/calendar.ics?token=made-up", fx.forum),
            None,
        )
        .await;
    let none = app
        .get(&format!("/api/v1/forums/{}/calendar.ics", fx.forum), None)
        .await;

    forum.assert_problem(StatusCode::FORBIDDEN);
    single.assert_problem(StatusCode::NOT_FOUND);
    bogus.assert_problem(StatusCode::UNAUTHORIZED);
    none.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn calendar_files_are_published_by_convene_as_named_downloads() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let starts = Utc
        .with_ymd_and_hms(2030, 7, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let meeting = app
        .post(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Summer forum: housing", "starts_at": starts, "ends_at": starts + Duration::hours(2), "location": "Maidstone"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let single = app
        .get(
            &format!("/api/v1/meetings/{meeting}/calendar.ics"),
            Some(&fx.member.access),
        )
        .await;
    let feed = app
        .get(
            &format!("/api/v1/forums/{}/calendar.ics", fx.forum),
            Some(&fx.member.access),
        )
        .await;

    assert_eq!(
        single.header("content-disposition"),
        Some(
            "attachment; filename=\"summer-forum-housing-2030-07-02.ics\"; \
             filename*=UTF-8''summer%2Dforum%2Dhousing%2D2030%2D07%2D02%2Eics"
        )
    );
    assert_eq!(
        feed.header("content-disposition"),
        Some(
            "attachment; filename=\"kss-voluntary-sector-forum.ics\"; \
             filename*=UTF-8''kss%2Dvoluntary%2Dsector%2Dforum%2Eics"
        )
    );
    for calendar in [parse(&single), parse(&feed)] {
        assert_eq!(
            calendar.property_value("PRODID"),
            Some("-//Convene//Convene API//EN")
        );
        assert_eq!(calendar.property_value("METHOD"), Some("PUBLISH"));
        assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
        assert_eq!(calendar.events().count(), 1);
    }
}

/// Welsh names keep their letters in file names (ŵ and ŷ too), and a comma
/// in a forum's name is escaped in the calendar's NAME (RFC 5545 TEXT).
#[tokio::test]
async fn welsh_names_and_commas_reach_the_calendar_whole() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    app.patch(
        &format!("/api/v1/forums/{}", fx.other_forum),
        Some(&fx.admin.access),
        json!({"name": "Fforwm Cymru, Gogledd a De"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let starts = Utc
        .with_ymd_and_hms(2030, 3, 1, 10, 0, 0)
        .single()
        .unwrap_or_default();
    let meeting = app
        .post(
            &format!("/api/v1/forums/{}/meetings", fx.other_forum),
            Some(&fx.admin.access),
            json!({"title": "Cyfarfod Gŵyl Dewi yn Nhŷ Hafan", "starts_at": starts,
                   "ends_at": starts + Duration::hours(2), "location": "Caerdydd"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let single = app
        .get(
            &format!("/api/v1/meetings/{meeting}/calendar.ics"),
            Some(&fx.admin.access),
        )
        .await;
    let feed = app
        .get(
            &format!("/api/v1/forums/{}/calendar.ics", fx.other_forum),
            Some(&fx.admin.access),
        )
        .await;

    let disposition = single.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with(
            "attachment; filename=\"cyfarfod-gwyl-dewi-yn-nhy-hafan-2030-03-01.ics\"; "
        ),
        "{disposition}"
    );
    assert!(
        disposition
            .contains("filename*=UTF-8''cyfarfod%2Dg%C5%B5yl%2Ddewi%2Dyn%2Dnh%C5%B7%2Dhafan"),
        "{disposition}"
    );
    let text = String::from_utf8_lossy(&feed.body);
    assert!(
        text.contains("NAME:Fforwm Cymru\\, Gogledd a De\r\n"),
        "{text}"
    );
    assert!(
        text.contains("X-WR-CALNAME:Fforwm Cymru\\, Gogledd a De\r\n"),
        "{text}"
    );
    let calendar = parse(&feed);
    assert_eq!(calendar.events().count(), 1);
}

#[tokio::test]
async fn a_cancelled_event_says_why() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Dropped", 48).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Rail strike; we will rearrange"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let calendar = parse(
        &app.get(
            &format!("/api/v1/meetings/{meeting}/calendar.ics"),
            Some(&fx.member.access),
        )
        .await,
    );

    let event = calendar.events().next().cloned().expect("one event");
    assert_eq!(event.get_status(), Some(icalendar::EventStatus::Cancelled));
    assert_eq!(event.get_sequence(), Some(1));
    let description = event.get_description().unwrap_or_default();
    assert!(
        description.starts_with("Cancelled: Rail strike; we will rearrange"),
        "{description}"
    );
    assert!(description.contains("Join online: https://meet.example.org/kss"));
}

#[tokio::test]
async fn a_patch_that_changes_nothing_leaves_the_sequence_alone() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 48).await;
    let path = format!("/api/v1/meetings/{meeting}/calendar.ics");

    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({}),
    )
    .await
    .assert_status(StatusCode::OK);
    let unchanged = parse(&app.get(&path, Some(&fx.member.access)).await);
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"title": "Forum", "location": "Maidstone Community Hub"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let still = parse(&app.get(&path, Some(&fx.member.access)).await);
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"location": "Canterbury"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let moved = parse(&app.get(&path, Some(&fx.member.access)).await);

    let sequence = |c: &Calendar| c.events().next().and_then(|e| e.get_sequence());
    assert_eq!(sequence(&unchanged), Some(0));
    assert_eq!(sequence(&still), Some(0));
    assert_eq!(sequence(&moved), Some(1));
}

#[tokio::test]
async fn feed_urls_are_absolute_when_the_public_address_is_configured() {
    let app = TestApp::spawn_with(|state| {
        state.public_url = Some("https://convene.example.org".into());
    })
    .await;
    let fx = app.forum_fixture().await;

    let feed = app
        .get("/api/v1/me/calendar-feed", Some(&fx.member.access))
        .await
        .json();

    let token = feed["token"].as_str().unwrap_or_default();
    assert_eq!(
        feed["forums"][0]["url"],
        format!(
            "https://convene.example.org/api/v1/forums/{}/calendar.ics?token={token}",
            fx.forum
        )
    );
    let path = format!("/api/v1/forums/{}/calendar.ics?token={token}", fx.forum);
    parse(&app.get(&path, None).await);
}

#[tokio::test]
async fn feed_urls_are_paths_on_this_server_when_no_public_address_is_configured() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let feed = app
        .get("/api/v1/me/calendar-feed", Some(&fx.member.access))
        .await
        .json();

    let url = feed["forums"][0]["url"].as_str().unwrap_or_default();
    assert!(url.starts_with("/api/v1/forums/"), "{url}");
}
