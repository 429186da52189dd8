//! The officers' scheduling pages: the forum's meetings, a meeting or a
//! series scheduled (the series previewed as London dates first), a
//! meeting changed — alone or with the rest of its series — and cancelled,
//! each the API's operation behind a form.

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Europe::London;
use entity::ForumRole;
use serde_json::{Value, json};

use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders, uuid};

async fn signed_in<'a>(app: &'a TestApp, person: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&person.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// The first of the next February: a series starting then crosses the
/// clocks going forward in March, and has all its meetings within a year.
fn next_february(now: DateTime<Utc>) -> NaiveDate {
    let year = if now.month() == 1 {
        now.year()
    } else {
        now.year() + 1
    };
    NaiveDate::from_ymd_opt(year, 2, 1).expect("a day")
}

/// The second Tuesday of that month of that year.
fn second_tuesday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, chrono::Weekday::Tue, 2).expect("a day")
}

fn series_choices(starts_on: &str, step: &'static str) -> Vec<(&'static str, String)> {
    [
        ("title", "KSS forum"),
        ("location", "Maidstone Community Hub"),
        ("online_link", ""),
        ("description", ""),
        ("start_time", "10:00"),
        ("duration_minutes", "120"),
        ("repeat", "monthly-weekday"),
        ("ordinal", "2"),
        ("weekday", "TU"),
        ("month_day", ""),
        ("interval", "1"),
        ("ends", "after"),
        ("count", "6"),
        ("until", ""),
        ("step", step),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .chain([("starts_on", starts_on.to_string())])
    .collect()
}

async fn submit(
    browser: &mut PageClient<'_>,
    page: &str,
    action: &str,
    fields: &[(&'static str, String)],
) -> crate::support::TestResponse {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.submit(page, action, &fields).await
}

async fn forum_meetings(app: &TestApp, fx: &ForumFixture) -> Vec<Value> {
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;
    listed.assert_status(StatusCode::OK);
    listed.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn london_hour(meeting: &Value) -> (NaiveDate, String) {
    let starts: DateTime<Utc> = meeting["starts_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a start");
    let local = starts.with_timezone(&London);
    (local.date_naive(), local.format("%H:%M").to_string())
}

#[tokio::test]
async fn secretary_previews_a_monthly_series_in_london_time_then_schedules_exactly_those_dates() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let new = format!("/forums/{}/series/new", fx.forum);
    let february = next_february(app.state.clock.now());

    let preview = submit(
        &mut browser,
        &new,
        &new,
        &series_choices(&february.to_string(), "preview"),
    )
    .await;

    preview.assert_status(StatusCode::OK);
    let html = text(&preview);
    assert!(html.contains("<h1 class=\"govuk-heading-l\">Check the meetings"));
    let year = february.year();
    let shown: Vec<String> = [2, 3, 4, 5, 6, 7]
        .into_iter()
        .map(|month| {
            format!(
                "{}, 10am",
                second_tuesday(year, month).format("%A %-d %B %Y")
            )
        })
        .collect();
    for date in &shown {
        assert!(html.contains(date), "{date} in {html}");
    }
    assert!(
        forum_meetings(&app, &fx).await.is_empty(),
        "a preview saves nothing"
    );
    let changing = submit(
        &mut browser,
        &new,
        &new,
        &series_choices(&february.to_string(), "change"),
    )
    .await;
    changing.assert_status(StatusCode::OK);
    let html = text(&changing);
    assert!(html.contains("Schedule a series of meetings"));
    assert!(
        html.contains(&format!("value=\"{february}\"")),
        "the choices come back"
    );
    assert!(html.contains("value=\"6\""));

    let saved = submit(
        &mut browser,
        &new,
        &new,
        &series_choices(&february.to_string(), "save"),
    )
    .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(format!("/forums/{}/meetings?done=series", fx.forum).as_str())
    );
    let made: Vec<(NaiveDate, String)> = forum_meetings(&app, &fx)
        .await
        .iter()
        .map(london_hour)
        .collect();
    let expected: Vec<(NaiveDate, String)> = (2..=7)
        .map(|month| (second_tuesday(year, month), "10:00".to_string()))
        .collect();
    assert_eq!(made, expected, "after the clocks go forward too");
}

#[tokio::test]
async fn the_series_form_keeps_wrong_choices_and_names_each_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let new = format!("/forums/{}/series/new", fx.forum);
    let mut choices = series_choices("2020-02-30", "preview");
    for (name, value) in &mut choices {
        match *name {
            "title" => *value = String::new(),
            "repeat" => *value = "monthly-day".into(),
            "month_day" => *value = "31".into(),
            "count" => *value = "many".into(),
            _ => {}
        }
    }

    let refused = submit(&mut browser, &new, &new, &choices).await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("<title>Error: "), "{html}");
    assert!(html.contains("govuk-error-summary"));
    for anchor in ["#starts_on", "#month_day", "#count"] {
        assert!(html.contains(&format!("href=\"{anchor}\"")), "{anchor}");
    }
    assert!(html.contains("value=\"31\""), "what was typed is kept");
    assert!(html.contains("value=\"many\""));
    assert!(forum_meetings(&app, &fx).await.is_empty());

    // Right choices, but no title: the operation's own refusal.
    let mut untitled = series_choices(&next_february(app.state.clock.now()).to_string(), "preview");
    untitled[0].1 = String::new();
    let refused = submit(&mut browser, &new, &new, &untitled).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("href=\"#title\""));
}

fn meeting_fields(title: &str, date: &str, from: &str, to: &str) -> Vec<(&'static str, String)> {
    [
        ("title", title),
        ("date", date),
        ("starts_at", from),
        ("ends_at", to),
        ("location", "Maidstone Community Hub"),
        ("online_link", ""),
        ("description", "Quarterly business"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

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

/// A Wales forum secretary: an officer, of another region's forum.
async fn welsh_secretary(app: &TestApp, fx: &ForumFixture) -> TestUser {
    let person = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        person.id,
        ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    person
}

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

#[tokio::test]
async fn a_stale_edit_names_who_changed_the_meeting_keeps_both_and_saves_the_merge() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Forum meeting", 24 * 30).await;
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

async fn api_series(app: &TestApp, fx: &ForumFixture, starts: NaiveDate) -> Value {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/meeting-series", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": "KSS forum",
                "location": "Maidstone Community Hub",
                "starts_at_local": format!("{starts}T10:00:00"),
                "duration_minutes": 120,
                "rrule": "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
            }),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}

#[tokio::test]
async fn this_and_following_moves_the_rest_of_the_series_to_the_new_time() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let february = next_february(app.state.clock.now());
    let series = api_series(&app, &fx, february).await;
    let third = series["meetings"][2]["meeting_id"]
        .as_str()
        .expect("a third")
        .to_string();
    let edit = format!("/forums/{}/meetings/{third}/edit", fx.forum);
    let mut browser = signed_in(&app, &fx.secretary).await;
    let opened = text(&browser.get(&edit).await);
    assert!(opened.contains("This meeting and the following meetings of its series"));
    assert!(opened.contains("name=\"series_version\" value=\"1\""));
    let april = second_tuesday(february.year(), 4);
    let mut typed = meeting_fields("KSS forum", &april.to_string(), "14:00", "16:00");
    typed.extend([
        ("version", "1".to_string()),
        ("series_version", "1".to_string()),
        ("scope", "following".to_string()),
    ]);

    let changed = submit(&mut browser, &edit, &edit, &typed).await;

    changed.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        changed.header("location"),
        Some(format!("/forums/{}/meetings?done=following", fx.forum).as_str())
    );
    let times: Vec<String> = forum_meetings(&app, &fx)
        .await
        .iter()
        .filter(|m| m["status"] == "scheduled")
        .map(|m| london_hour(m).1)
        .collect();
    assert_eq!(
        times,
        ["10:00", "10:00", "14:00", "14:00", "14:00", "14:00"]
    );
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
