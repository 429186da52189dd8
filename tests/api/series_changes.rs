//! Changing a series from one of its meetings on ("this and following"),
//! and series in calendar files: one recurring event with its exceptions,
//! read back and expanded by an iCalendar parser.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use icalendar::{Calendar, Component, EventLike};
use serde_json::{Value, json};

use crate::support::id;
use crate::support::{ForumFixture, TestApp, TestResponse};

async fn schedule(app: &TestApp, fx: &ForumFixture, start: &str, rule: &str) -> Value {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": "Quarterly forum",
                "location": "Maidstone Community Hub",
                "starts_at_local": start,
                "duration_minutes": 120,
                "rrule": rule,
            }),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}

fn meeting_ids(series: &Value) -> Vec<String> {
    series["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .filter_map(|m| m["meeting_id"].as_str().map(str::to_string))
        .collect()
}

fn london_starts(series: &Value) -> Vec<String> {
    series["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .filter_map(|m| m["starts_at"].as_str()?.parse::<DateTime<Utc>>().ok())
        .map(|at| {
            at.with_timezone(&London)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .collect()
}

async fn split(app: &TestApp, fx: &ForumFixture, series: &str, body: Value) -> TestResponse {
    app.post(
        &format!("/api/v1/meeting-series/{series}/split"),
        Some(&fx.secretary.access),
        body,
    )
    .await
}

async fn forum_calendar(app: &TestApp, fx: &ForumFixture) -> (String, Calendar) {
    let response = app
        .get(
            &format!("/api/v1/forums/{}/calendar.ics", fx.forum),
            Some(&fx.member.access),
        )
        .await;
    response.assert_status(StatusCode::OK);
    let text = String::from_utf8_lossy(&response.body).to_string();
    let calendar = text.parse::<Calendar>().expect("a valid iCalendar file");
    (text, calendar)
}

/// The events of the series with this id: its rule first, then its exceptions.
fn series_events(calendar: &Calendar, series: &str) -> Vec<icalendar::Event> {
    let uid = format!("series-{series}@convene");
    let mut events: Vec<icalendar::Event> = calendar
        .events()
        .filter(|e| e.get_uid() == Some(uid.as_str()))
        .cloned()
        .collect();
    events.sort_by_key(|e| e.property_value("RECURRENCE-ID").is_some());
    events
}

/// The occurrences a calendar app shows for the event's rule, on London's clock.
fn expanded(master: &icalendar::Event) -> Vec<String> {
    master
        .get_recurrence()
        .expect("a rule a calendar app can expand")
        .all(200)
        .dates
        .into_iter()
        .map(|at| {
            at.with_timezone(&London)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn changing_a_series_from_one_meeting_on_moves_the_following_meetings_to_a_new_series() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Second Tuesdays at 10:00, March to August 2027.
    let old = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
    )
    .await;
    let old_id = id(&old);
    let old_meetings = meeting_ids(&old);
    // June's meeting already has business on its agenda.
    let june = &old_meetings[3];
    app.post(
        &format!("/api/v1/meetings/{june}/agenda-items"),
        Some(&fx.secretary.access),
        json!({"title": "Provider performance"}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    // From May on: second Wednesdays at 14:00, at the library.
    let made = split(
        &app,
        &fx,
        &old_id,
        json!({
            "from_meeting_id": old_meetings[2],
            "starts_at_local": "2027-05-12T14:00:00",
            "rrule": "FREQ=MONTHLY;BYDAY=2WE;COUNT=4",
            "location": "Tonbridge Library",
        }),
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let new = made.json();
    assert_eq!(new["split_from"], old_id.as_str());
    assert_eq!(
        made.header("location"),
        Some(format!("/api/v1/meeting-series/{}", id(&new)).as_str())
    );
    assert_eq!(
        london_starts(&new),
        [
            "2027-05-12 14:00",
            "2027-06-09 14:00",
            "2027-07-14 14:00",
            "2027-08-11 14:00"
        ]
    );
    // The same meetings, moved: June's keeps its agenda and takes the new place.
    assert_eq!(meeting_ids(&new), old_meetings[2..]);
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{june}/agenda-items"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(agenda["items"][0]["title"], "Provider performance");
    let moved = app
        .get(&format!("/api/v1/meetings/{june}"), Some(&fx.member.access))
        .await
        .json();
    assert_eq!(
        (moved["series_id"].as_str(), moved["location"].as_str()),
        (new["id"].as_str(), Some("Tonbridge Library"))
    );

    // The old series no longer has them.
    split(
        &app,
        &fx,
        &old_id,
        json!({"from_meeting_id": june, "title": "Midsummer forum"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);

    // The old series ends with April's meeting.
    let old = app
        .get(
            &format!("/api/v1/meeting-series/{old_id}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(old["status"], "active");
    assert_eq!(
        old["rrule"],
        "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270413T090000Z"
    );
    assert_eq!(
        london_starts(&old),
        ["2027-03-09 10:00", "2027-04-13 10:00"]
    );

    // Calendars show both series, each as one recurring event.
    let (_, calendar) = forum_calendar(&app, &fx).await;
    let before = series_events(&calendar, &old_id);
    let after = series_events(&calendar, &id(&new));
    assert_eq!((before.len(), after.len()), (1, 1));
    assert_eq!(
        expanded(&before[0]),
        ["2027-03-09 10:00", "2027-04-13 10:00"]
    );
    assert_eq!(expanded(&after[0]), london_starts(&new));
    assert_eq!(calendar.events().count(), 2, "no meeting shown twice");

    // A second change leaves out the rule: the rest of the count carries on.
    let renamed = split(
        &app,
        &fx,
        &id(&new),
        json!({"from_meeting_id": old_meetings[4], "title": "Summer forum"}),
    )
    .await;
    renamed.assert_status(StatusCode::CREATED);
    assert_eq!(renamed.json()["rrule"], "FREQ=MONTHLY;BYDAY=2WE;COUNT=2");
    assert_eq!(meeting_ids(&renamed.json()), old_meetings[4..]);
}

#[tokio::test]
async fn changing_a_series_from_its_first_meeting_replaces_it_whole() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let old = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=3",
    )
    .await;
    let ids = meeting_ids(&old);
    // One of them was called off on its own beforehand.
    app.patch(
        &format!("/api/v1/meetings/{}", ids[1]),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Easter"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let made = split(
        &app,
        &fx,
        &id(&old),
        json!({"from_meeting_id": ids[0], "starts_at_local": "2027-03-09T18:00:00"}),
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let new = made.json();
    assert_eq!(new["rrule"], "FREQ=MONTHLY;BYDAY=2TU;COUNT=3");
    assert_eq!(
        london_starts(&new),
        ["2027-03-09 18:00", "2027-04-13 18:00", "2027-05-11 18:00"]
    );
    // The scheduled two moved; the cancelled one stays behind, and a new
    // meeting takes its place in the new series.
    let new_ids = meeting_ids(&new);
    assert_eq!(new_ids[0], ids[0]);
    assert!(new_ids.contains(&ids[2]) && !new_ids.contains(&ids[1]));
    let old = app
        .get(
            &format!("/api/v1/meeting-series/{}", id(&old)),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(old["status"], "ended");

    // An ended series is no longer one in calendars, and cannot change again.
    let (_, calendar) = forum_calendar(&app, &fx).await;
    assert!(series_events(&calendar, old["id"].as_str().unwrap_or_default()).is_empty());
    assert_eq!(series_events(&calendar, &id(&new)).len(), 1);
    split(
        &app,
        &fx,
        &id(&old),
        json!({"from_meeting_id": ids[1], "title": "Again"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_change_from_a_meeting_is_refused_when_it_cannot_apply() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let series = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=4",
    )
    .await;
    let other = schedule(&app, &fx, "2027-03-10T10:00:00", "FREQ=WEEKLY;COUNT=2").await;
    let series_id = id(&series);
    let ids = meeting_ids(&series);
    let path = format!("/api/v1/meeting-series/{series_id}/split");
    let change = json!({"from_meeting_id": ids[1], "title": "Spring forum"});

    // Members do not change meetings; another region's people do not see them.
    app.post(&path, Some(&fx.member.access), change.clone())
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.post(&path, Some(&fx.other_member.access), change.clone())
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.post(&path, None, change.clone())
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);

    let elsewhere = split(
        &app,
        &fx,
        &series_id,
        json!({"from_meeting_id": meeting_ids(&other)[0], "title": "x"}),
    )
    .await;
    elsewhere.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(elsewhere.invalid_fields(), ["from_meeting_id"]);
    let nothing = split(&app, &fx, &series_id, json!({"from_meeting_id": ids[1]})).await;
    assert_eq!(nothing.invalid_fields(), ["from_meeting_id"]);
    let bad_rule = split(
        &app,
        &fx,
        &series_id,
        json!({"from_meeting_id": ids[1], "rrule": "FREQ=DAILY;COUNT=3"}),
    )
    .await;
    assert_eq!(bad_rule.invalid_fields(), ["rrule"]);
    let nowhere = split(
        &app,
        &fx,
        &series_id,
        json!({"from_meeting_id": ids[1], "location": null}),
    )
    .await;
    assert_eq!(nowhere.invalid_fields(), ["location"]);

    let stale = app
        .request_with_headers(
            axum::http::Method::POST,
            &path,
            Some(&fx.secretary.access),
            &[("if-match", "\"7\"")],
            Some(change.clone()),
        )
        .await;
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);

    app.patch(
        &format!("/api/v1/meetings/{}", ids[1]),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Room unavailable"}),
    )
    .await
    .assert_status(StatusCode::OK);
    split(&app, &fx, &series_id, change)
        .await
        .assert_problem(StatusCode::CONFLICT);

    app.post(
        &format!("/api/v1/meeting-series/{series_id}/cancel"),
        Some(&fx.secretary.access),
        json!({"reason": "Merged"}),
    )
    .await
    .assert_status(StatusCode::OK);
    split(
        &app,
        &fx,
        &series_id,
        json!({"from_meeting_id": ids[2], "title": "x"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_changing_one_series_at_once_change_it_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let series = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
    )
    .await;
    let series_id = id(&series);
    let from = meeting_ids(&series)[2].clone();
    let served = app.serve().await;
    let tokens = [fx.secretary.access.clone(), fx.chair.access.clone()];

    let statuses = served
        .race(2, |i, client, base| {
            client
                .post(format!("{base}/api/v1/meeting-series/{series_id}/split"))
                .bearer_auth(&tokens[i])
                .json(&json!({"from_meeting_id": from, "title": format!("Forum {i}")}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::CREATED),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CONFLICT),
        1,
        "{statuses:?}"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit?entity=meeting-series&entity_id={series_id}"),
            Some(&fx.admin.access),
        )
        .await
        .json();
    let splits = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "meeting-series.split")
        .count();
    assert_eq!(splits, 1, "one split recorded");
}

#[tokio::test]
async fn a_calendar_shows_a_series_as_one_recurring_event_with_its_exceptions() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    // Sundays at 10:00 across the clocks going forward (28 March 2027).
    let series = schedule(
        &app,
        &fx,
        "2027-03-21T10:00:00",
        "FREQ=WEEKLY;BYDAY=SU;COUNT=4",
    )
    .await;
    let ids = meeting_ids(&series);
    app.patch(
        &format!("/api/v1/meetings/{}", ids[1]),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Room unavailable"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.patch(
        &format!("/api/v1/meetings/{}", ids[2]),
        Some(&fx.secretary.access),
        json!({"location": "Tonbridge Library"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let (text, calendar) = forum_calendar(&app, &fx).await;
    assert!(
        text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/London"),
        "{text}"
    );
    let events = series_events(&calendar, &id(&series));
    assert_eq!(events.len(), 2, "the rule and one changed meeting");
    assert_eq!(calendar.events().count(), 2, "no meeting on its own");
    let (master, changed) = (&events[0], &events[1]);
    assert_eq!(
        master.property_value("DTSTART"),
        Some("20270321T100000"),
        "on London's clock"
    );
    assert_eq!(
        master.properties()["DTSTART"].params()["TZID"].value(),
        "Europe/London"
    );
    // The cancelled Sunday is left out; the others stay at 10:00 London time
    // on both sides of the clock change.
    assert_eq!(
        expanded(master),
        ["2027-03-21 10:00", "2027-04-04 10:00", "2027-04-11 10:00"]
    );
    assert_eq!(
        changed.property_value("RECURRENCE-ID"),
        Some("20270404T100000")
    );
    assert_eq!(changed.get_location(), Some("Tonbridge Library"));

    // Cancelled once its first meeting has been held, the series keeps that
    // one in calendars and its rule ends there.
    let day_after: DateTime<Utc> = "2027-03-22T09:00:00Z".parse().expect("a time");
    app.state.clock.advance(day_after - app.state.clock.now());
    app.post(
        &format!("/api/v1/meeting-series/{}/cancel", id(&series)),
        Some(&fx.secretary.access),
        json!({"reason": "Merged with the county forum"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let (_, calendar) = forum_calendar(&app, &fx).await;
    let events = series_events(&calendar, &id(&series));
    assert_eq!(expanded(&events[0]), ["2027-03-21 10:00"]);
    assert_eq!(events[0].property_value("STATUS"), Some("CONFIRMED"));
}

#[tokio::test]
async fn a_series_first_meeting_is_announced_as_the_instance_of_the_series_calendars_show() {
    let app = TestApp::spawn().await;
    let fx = crate::support::mail::fixture(&app).await;
    let smtp = crate::support::smtp::SmtpServer::start();
    let series = schedule(
        &app,
        &fx,
        "2027-03-09T10:00:00",
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=3",
    )
    .await;
    crate::support::mail::smtp_worker(&app, &smtp)
        .run_once()
        .await
        .expect("a pass");
    let invitation = smtp
        .received()
        .into_iter()
        .find(|m| m.to == [fx.member.email.clone()])
        .expect("the member is told");
    let (method, ics) = invitation.calendar().expect("an invitation");
    assert_eq!(method, "REQUEST");
    assert!(ics.contains("BEGIN:VTIMEZONE"), "{ics}");
    let event = crate::support::mail::only_event(&ics);
    // The same UID as the series in the forum's calendar feed.
    let (_, calendar) = forum_calendar(&app, &fx).await;
    assert_eq!(
        event.get_uid(),
        series_events(&calendar, &id(&series))[0].get_uid()
    );
    assert_eq!(
        event.property_value("RECURRENCE-ID"),
        Some("20270309T100000")
    );
}
