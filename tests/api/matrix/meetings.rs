//! The permission table for a forum's meetings: calendars, RSVPs, attendance, agendas and minutes.

use super::*;

#[tokio::test]
async fn the_forums_participants_read_its_meetings_and_officers_run_them() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let starts = chrono::Utc::now() + chrono::Duration::days(3);

    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/meetings",
        participants_via_forum(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/meetings", fx.forum),
                None,
            )
        },
    )
    .await;
    assert_row(&app, &fx, "POST /forums/{id}/meetings", officers_and_admin(CREATED), async |_| {
        let body = json!({"title": "T", "starts_at": starts, "ends_at": starts + chrono::Duration::hours(1), "location": "Hall"});
        (Method::POST, format!("/api/v1/forums/{}/meetings", fx.forum), Some(body))
    })
    .await;
    assert_row(
        &app,
        &fx,
        "POST /forums/{id}/meeting-series/preview",
        officers_and_admin(OK),
        async |_| {
            let first = starts.format("%Y-%m-%dT10:00:00").to_string();
            let body = json!({"title": "T", "location": "Hall", "starts_at_local": first, "duration_minutes": 60, "rrule": "FREQ=WEEKLY;COUNT=3"});
            (Method::POST, format!("/api/v1/forums/{}/meeting-series/preview", fx.forum), Some(body))
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}",
        participants_by_id(OK),
        async |_| (Method::GET, format!("/api/v1/meetings/{meeting}"), None),
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PATCH /meetings/{id}",
        officers_by_id(OK),
        async |_| {
            (
                Method::PATCH,
                format!("/api/v1/meetings/{meeting}"),
                Some(json!({"description": "Agenda to follow"})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn calendars_are_for_the_forums_participants() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;

    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/calendar.ics",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{meeting}/calendar.ics"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/calendar.ics",
        participants_via_forum(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/calendar.ics", fx.forum),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /me/calendar-feed",
        |caller| if caller == Public { UNAUTHORISED } else { OK },
        async |_| (Method::GET, "/api/v1/me/calendar-feed".into(), None),
    )
    .await;
    assert_row(
        &app,
        &fx,
        "POST /me/calendar-feed/rotate",
        |caller| if caller == Public { UNAUTHORISED } else { OK },
        async |_| {
            (
                Method::POST,
                "/api/v1/me/calendar-feed/rotate".into(),
                Some(json!({})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn participants_but_observers_rsvp_and_officers_record_attendance() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let upcoming = app.meeting(&fx, "Upcoming", 24).await;
    let started = app.meeting(&fx, "Started", -1).await;

    assert_row(
        &app,
        &fx,
        "PUT /meetings/{id}/rsvp",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Observer => FORBIDDEN,
            _ => OK,
        },
        async |_| {
            (
                Method::PUT,
                format!("/api/v1/meetings/{upcoming}/rsvp"),
                Some(json!({"response": "yes"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/rsvps",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{upcoming}/rsvps"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/attendance-sheet",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{started}/attendance-sheet"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PUT /meetings/{id}/attendance",
        officers_by_id(OK),
        async |_| {
            (
                Method::PUT,
                format!("/api/v1/meetings/{started}/attendance"),
                Some(json!({"entries": []})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn agendas_are_proposed_by_participants_and_run_by_officers() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let add = async |title: &str| -> String {
        let item = app
            .post(
                &format!("/api/v1/meetings/{meeting}/agenda-items"),
                Some(&fx.secretary.access),
                json!({"title": title}),
            )
            .await
            .json();
        item["id"].as_str().unwrap_or_default().to_string()
    };

    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/agenda-items",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{meeting}/agenda-items"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "POST /meetings/{id}/agenda-items",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Observer => FORBIDDEN,
            _ => CREATED,
        },
        async |_| {
            (
                Method::POST,
                format!("/api/v1/meetings/{meeting}/agenda-items"),
                Some(json!({"title": "Item"})),
            )
        },
    )
    .await;
    let item = add("Shared").await;
    assert_row(
        &app,
        &fx,
        "PATCH /agenda-items/{id}",
        officers_by_id(OK),
        async |_| {
            (
                Method::PATCH,
                format!("/api/v1/agenda-items/{item}"),
                Some(json!({"minutes_allotted": 15})),
            )
        },
    )
    .await;
    let mut doomed = Vec::new();
    for _ in Caller::ALL {
        doomed.push(add("Doomed").await);
    }
    let mut doomed = doomed.into_iter();
    assert_row(
        &app,
        &fx,
        "DELETE /agenda-items/{id}",
        officers_by_id(NO_CONTENT),
        async |_| {
            (
                Method::DELETE,
                format!("/api/v1/agenda-items/{}", doomed.next().unwrap_or_default()),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PUT /meetings/{id}/agenda-order",
        officers_by_id(OK),
        async |_| {
            let agenda = app
                .get(
                    &format!("/api/v1/meetings/{meeting}/agenda-items"),
                    Some(&fx.admin.access),
                )
                .await
                .json();
            let ids: Vec<Value> = agenda["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|i| i["status"] == "accepted")
                .map(|i| i["id"].clone())
                .collect();
            (
                Method::PUT,
                format!("/api/v1/meetings/{meeting}/agenda-order"),
                Some(json!({"item_ids": ids})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn officers_draft_minutes_the_chair_approves_and_the_public_reads_approved_ones() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -2).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await;
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/minutes"),
        Some(&fx.secretary.access),
        Some(json!({"body": "v1"})),
    )
    .await
    .assert_status(CREATED);

    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/minutes (draft)",
        |caller| match caller {
            Public | SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            _ => OK,
        },
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{meeting}/minutes"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/minutes/revisions",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{meeting}/minutes/revisions"),
                None,
            )
        },
    )
    .await;
    // Officers get past the permission check to the version check: minutes
    // exist, so a write without If-Match is 428 (tests/api/minutes.rs covers the rest).
    assert_row(
        &app,
        &fx,
        "PUT /meetings/{id}/minutes",
        officers_by_id(StatusCode::PRECONDITION_REQUIRED),
        async |_| {
            (
                Method::PUT,
                format!("/api/v1/meetings/{meeting}/minutes"),
                Some(json!({"body": "edit"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "POST /meetings/{id}/minutes/approve",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Chair => OK,
            // Once the chair has approved, the admin meets approved minutes.
            Admin => StatusCode::CONFLICT,
            _ => FORBIDDEN,
        },
        async |_| {
            (
                Method::POST,
                format!("/api/v1/meetings/{meeting}/minutes/approve"),
                Some(json!({})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /meetings/{id}/minutes (approved)",
        |_| OK,
        async |_| {
            (
                Method::GET,
                format!("/api/v1/meetings/{meeting}/minutes"),
                None,
            )
        },
    )
    .await;
}
