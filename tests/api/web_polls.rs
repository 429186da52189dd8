//! The officers' poll pages, over HTTP with plain forms: a poll put to the
//! forum from an agenda item, its page with its closing put later or the
//! poll cancelled, the forum's polls; each refusal as the API refuses it,
//! each bad input told on its field with what was typed kept.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use entity::{ForumRole, audit_event};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders, count, id};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// A meeting of the forum with an agenda item, as its secretary adds one.
struct Item {
    meeting: Uuid,
    id: String,
}

impl Item {
    async fn on_the_agenda(app: &TestApp, fx: &ForumFixture, title: &str) -> Self {
        let meeting = app.schedule(fx, "Spring forum", 24 * 7).await;
        let made = app
            .post(
                &format!("/api/v1/meetings/{meeting}/agenda-items"),
                Some(&fx.secretary.access),
                json!({"title": title}),
            )
            .await;
        made.assert_status(StatusCode::CREATED);
        Self {
            meeting,
            id: id(&made.json()),
        }
    }

    fn meeting_page(&self, fx: &ForumFixture) -> String {
        format!("/forums/{}/meetings/{}", fx.forum, self.meeting)
    }

    fn poll_form(&self, fx: &ForumFixture) -> String {
        format!("{}/items/{}/poll", self.meeting_page(fx), self.id)
    }
}

/// A day a month from now, as the date field takes it.
fn in_a_month(app: &TestApp) -> NaiveDate {
    (app.state.clock.now() + Duration::days(30))
        .with_timezone(&London)
        .date_naive()
}

/// The instant London's clock shows 5pm on that day.
fn five_pm(on: NaiveDate) -> DateTime<Utc> {
    London
        .from_local_datetime(&on.and_hms_opt(17, 0, 0).expect("a time"))
        .earliest()
        .expect("5pm is never skipped")
        .with_timezone(&Utc)
}

fn venue_poll(closes_on: &str) -> Vec<(&'static str, String)> {
    [
        ("question", "Where should the summer forum meet?"),
        ("description", "Both are on the bus routes."),
        ("kind", "single-choice"),
        ("options", "Maidstone Community Hub\nCanterbury Guildhall"),
        ("max_choices", ""),
        ("opens_on", ""),
        ("opens_time", ""),
        ("closes_time", "17:00"),
        ("open_voting", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .chain([("closes_on", closes_on.to_string())])
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

/// The poll a page was redirected to, and the rest of the address.
fn poll_in(location: Option<&str>) -> (String, String) {
    let location = location.expect("redirected");
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    let poll = path.rsplit('/').next().unwrap_or_default().to_string();
    (poll, format!("{path}?{query}"))
}

async fn api_poll(app: &TestApp, fx: &ForumFixture, poll: &str) -> Value {
    let read = app
        .get(&format!("/api/v1/polls/{poll}"), Some(&fx.secretary.access))
        .await;
    read.assert_status(StatusCode::OK);
    read.json()
}

async fn put_poll(app: &TestApp, fx: &ForumFixture, item: &Item) -> String {
    let put = app
        .post(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.secretary.access),
            json!({"question": "Do we move the forum to Canterbury?",
                   "kind": "agree-disagree-abstain", "agenda_item_id": item.id,
                   "closes_at": app.state.clock.now() + Duration::days(7)}),
        )
        .await;
    put.assert_status(StatusCode::CREATED);
    id(&put.json())
}

#[tokio::test]
async fn secretary_puts_a_single_choice_poll_from_an_agenda_item_and_lands_on_its_page() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let mut secretary = signed_in(&app, &fx.secretary).await;

    let meeting = text(&secretary.get(&item.meeting_page(&fx)).await);
    assert!(meeting.contains(&format!("href=\"{}\"", item.poll_form(&fx))));
    assert!(meeting.contains("Put a poll to the forum"));
    let form = secretary.get(&item.poll_form(&fx)).await;
    form.assert_status(StatusCode::OK);
    assert!(
        text(&form).contains("value=\"Venue for the summer forum\""),
        "the question starts as the item's title"
    );

    let closes_on = in_a_month(&app);
    let put = submit(
        &mut secretary,
        &item.poll_form(&fx),
        &item.poll_form(&fx),
        &venue_poll(&closes_on.to_string()),
    )
    .await;
    put.assert_status(StatusCode::SEE_OTHER);
    let (poll, location) = poll_in(put.header("location"));
    assert_eq!(
        location,
        format!("/forums/{}/polls/{poll}?done=created", fx.forum)
    );
    let saved = api_poll(&app, &fx, &poll).await;
    assert_eq!(saved["agenda_item_id"], item.id.as_str());
    assert_eq!(saved["kind"], "single-choice");
    assert_eq!(saved["open_voting"], true);
    assert_eq!(saved["results_before_close"], false);
    assert_eq!(saved["options"][1]["label"], "Canterbury Guildhall");
    let closes_at: DateTime<Utc> =
        serde_json::from_value(saved["closes_at"].clone()).expect("a time");
    assert_eq!(closes_at, five_pm(closes_on), "5pm on London's clock");

    let shown = secretary.get(&location).await;
    shown.assert_status(StatusCode::OK);
    let html = text(&shown);
    for seen in [
        "The poll has been put to the forum",
        "Where should the summer forum meet?",
        "Both are on the bus routes.",
        "Single choice",
        "govuk-tag--green",
        "Canterbury Guildhall",
        "5pm",
        "The results are shown once the poll closes.",
        "Change closing time",
        "Cancel the poll",
    ] {
        assert!(html.contains(seen), "{seen} on the poll page");
    }
    assert!(html.contains(&format!(
        "href=\"{}#item-{}\"",
        item.meeting_page(&fx),
        item.id
    )));

    // Its closing put a day later, on London's clock.
    let page = format!("/forums/{}/polls/{poll}", fx.forum);
    let later = closes_on + Duration::days(1);
    let moved = submit(
        &mut secretary,
        &page,
        &format!("{page}/closes"),
        &[
            ("closes_on", later.to_string()),
            ("closes_time", "17:00".into()),
            ("version", "1".into()),
        ],
    )
    .await;
    moved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        moved.header("location"),
        Some(format!("{page}?done=closes").as_str())
    );
    let saved = api_poll(&app, &fx, &poll).await;
    let closes_at: DateTime<Utc> =
        serde_json::from_value(saved["closes_at"].clone()).expect("a time");
    assert_eq!(closes_at, five_pm(later));

    // Listed with the forum's polls, and linked from the dashboard.
    let listed = text(&secretary.get(&format!("/forums/{}/polls", fx.forum)).await);
    assert!(listed.contains(&format!("href=\"{page}\"")));
    let open = text(
        &secretary
            .get(&format!("/forums/{}/polls?status=closed", fx.forum))
            .await,
    );
    assert!(!open.contains(&format!("href=\"{page}\"")), "not closed");
    let dashboard = text(&secretary.get("/your-forums").await);
    assert!(dashboard.contains(&format!("href=\"{page}\"")));
    assert!(dashboard.contains(&format!("href=\"/forums/{}/polls\"", fx.forum)));

    // A member reads the poll, but is offered none of the officers' forms.
    let mut member = signed_in(&app, &fx.member).await;
    let theirs = member.get(&page).await;
    theirs.assert_status(StatusCode::OK);
    let html = text(&theirs);
    assert!(html.contains("Where should the summer forum meet?"));
    assert!(!html.contains("Cancel the poll"));
    let meeting = text(&member.get(&item.meeting_page(&fx)).await);
    assert!(!meeting.contains("Put a poll to the forum"));
}

#[tokio::test]
async fn results_show_each_option_s_votes_the_turnout_and_with_open_voting_who_voted_how() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let put = app
        .post(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.secretary.access),
            json!({"question": "Where should the summer forum meet?",
                   "kind": "single-choice", "options": ["Maidstone", "Canterbury"],
                   "agenda_item_id": item.id, "results_before_close": true,
                   "open_voting": true,
                   "closes_at": app.state.clock.now() + Duration::days(7)}),
        )
        .await;
    put.assert_status(StatusCode::CREATED);
    let poll = put.json();
    let canterbury = poll["options"][1]["id"].as_str().expect("an option");
    app.request(
        axum::http::Method::PUT,
        &format!("/api/v1/polls/{}/vote", id(&poll)),
        Some(&fx.member.access),
        Some(json!({"option_ids": [canterbury]})),
    )
    .await
    .assert_status(StatusCode::OK);

    let mut observer = signed_in(&app, &fx.observer).await;
    let html = text(
        &observer
            .get(&format!("/forums/{}/polls/{}", fx.forum, id(&poll)))
            .await,
    );
    assert!(html.contains("The results so far."));
    assert!(html.contains("1 of "), "turnout: {html}");
    assert!(html.contains("How each organisation voted"));
    assert!(html.contains(": Canterbury</li>"));
}

#[tokio::test]
async fn only_the_forums_officers_may_put_a_poll_and_no_one_reaches_another_forums() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let poll = put_poll(&app, &fx, &item).await;
    let poll_page = format!("/forums/{}/polls/{poll}", fx.forum);
    let closes_on = in_a_month(&app).to_string();

    for officer in [&fx.secretary, &fx.chair, &fx.admin] {
        let mut browser = signed_in(&app, officer).await;
        browser
            .get(&item.poll_form(&fx))
            .await
            .assert_status(StatusCode::OK);
    }
    for participant in [&fx.member, &fx.observer, &fx.rpd_staff] {
        let mut browser = signed_in(&app, participant).await;
        browser
            .get(&item.poll_form(&fx))
            .await
            .assert_status(StatusCode::FORBIDDEN);
        browser.get(&poll_page).await.assert_status(StatusCode::OK);
        // Nor done by a form sent anyway.
        let token = csrf_token(&text(&browser.get(&poll_page).await));
        let mut fields = vec![("csrf_token", token.clone())];
        fields.extend(venue_poll(&closes_on));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser
            .post_raw(&item.poll_form(&fx), &fields, &[])
            .await
            .assert_status(StatusCode::FORBIDDEN);
        browser
            .post_raw(
                &format!("{poll_page}/cancel"),
                &[
                    ("csrf_token", &token),
                    ("reason", "Mine to cancel?"),
                    ("version", "1"),
                ],
                &[],
            )
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }

    let welsh = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        welsh.id,
        ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;
    for outsider in [&fx.signed_in, &fx.other_member, &welsh] {
        let mut browser = signed_in(&app, outsider).await;
        browser
            .get(&item.poll_form(&fx))
            .await
            .assert_status(StatusCode::NOT_FOUND);
        browser
            .get(&poll_page)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    // This forum's poll and item reached through the Welsh forum's address.
    let mut browser = signed_in(&app, &welsh).await;
    for page in [
        format!("/forums/{}/polls/{poll}", fx.other_forum),
        format!(
            "/forums/{}/meetings/{}/items/{}/poll",
            fx.other_forum, item.meeting, item.id
        ),
    ] {
        browser
            .get(&page)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    let mut secretary = signed_in(&app, &fx.secretary).await;
    secretary
        .get(&format!("/forums/{}/polls/{poll}", fx.other_forum))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    let mut anonymous = PageClient::new(&app);
    for page in [
        item.poll_form(&fx),
        poll_page.clone(),
        format!("/forums/{}/polls", fx.forum),
    ] {
        let sent = anonymous.get(&page).await;
        sent.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(
            sent.header("location"),
            Some(format!("/sign-in?next={page}").as_str())
        );
    }
}

#[tokio::test]
async fn bad_input_is_told_on_its_field_with_what_was_typed_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let form = item.poll_form(&fx);

    let yesterday = (app.state.clock.now() - Duration::days(1))
        .with_timezone(&London)
        .date_naive()
        .to_string();
    let past = submit(&mut secretary, &form, &form, &venue_poll(&yesterday)).await;
    past.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&past);
    assert!(html.contains("There is a problem"));
    assert!(html.contains("href=\"#closes_on\""));
    assert!(html.contains("Closes on must be in the future"));
    assert!(html.contains("value=\"Where should the summer forum meet?\""));
    assert!(html.contains(&format!("value=\"{yesterday}\"")));
    assert!(html.contains("Canterbury Guildhall</textarea>"));

    let mut one_option = venue_poll(&in_a_month(&app).to_string());
    one_option[3] = ("options", "Maidstone Community Hub".into());
    let refused = submit(&mut secretary, &form, &form, &one_option).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("href=\"#options\""));
    assert!(html.contains("Options must list 2 to 20 options"));
    assert!(html.contains(">Maidstone Community Hub</textarea>"));
    assert!(html.contains("value=\"single-choice\" checked"));

    let mut no_kind = venue_poll(&in_a_month(&app).to_string());
    no_kind[2] = ("kind", String::new());
    no_kind[7] = ("closes_time", "teatime".into());
    let refused = submit(&mut secretary, &form, &form, &no_kind).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("href=\"#kind\""));
    assert!(html.contains("href=\"#closes_time\""));
    assert!(html.contains("value=\"teatime\""));

    let poll = put_poll(&app, &fx, &item).await;
    let page = format!("/forums/{}/polls/{poll}", fx.forum);
    let cancel = submit(
        &mut secretary,
        &page,
        &format!("{page}/cancel"),
        &[("reason", "  ".into()), ("version", "1".into())],
    )
    .await;
    cancel.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&cancel);
    assert!(html.contains("There is a problem"));
    assert!(html.contains("href=\"#reason\""));
    assert!(html.contains("Why it is cancelled"));
    let earlier = submit(
        &mut secretary,
        &page,
        &format!("{page}/closes"),
        &[
            ("closes_on", yesterday.clone()),
            ("closes_time", "09:30".into()),
            ("version", "1".into()),
        ],
    )
    .await;
    earlier.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&earlier);
    assert!(html.contains("Closes on must be in the future"));
    assert!(html.contains("value=\"09:30\""), "typed time kept");
    assert_eq!(api_poll(&app, &fx, &poll).await["version"], 1);
}

#[tokio::test]
async fn a_stale_cancel_names_who_changed_the_poll_and_keeps_the_reason() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let poll = put_poll(&app, &fx, &item).await;
    let page = format!("/forums/{}/polls/{poll}", fx.forum);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let shown = text(&secretary.get(&page).await);
    assert!(shown.contains("name=\"version\" value=\"1\""));

    app.request_with_headers(
        axum::http::Method::PATCH,
        &format!("/api/v1/polls/{poll}"),
        Some(&fx.chair.access),
        &[("if-match", "\"1\"")],
        Some(json!({"closes_at": app.state.clock.now() + Duration::days(9)})),
    )
    .await
    .assert_status(StatusCode::OK);

    let reason = [
        ("reason", "Put to the wrong forum".to_string()),
        ("version", "1".to_string()),
    ];
    let stale = submit(&mut secretary, &page, &format!("{page}/cancel"), &reason).await;
    stale.assert_status(StatusCode::PRECONDITION_FAILED);
    let html = text(&stale);
    assert!(html.contains("Changed by Chair at "), "{html}");
    assert!(html.contains("since you opened it"));
    assert!(html.contains(">Put to the wrong forum</textarea>"));
    assert!(html.contains("name=\"version\" value=\"2\""));
    assert_eq!(api_poll(&app, &fx, &poll).await["status"], "open");

    let again = [
        ("reason", "Put to the wrong forum".to_string()),
        ("version", "2".to_string()),
    ];
    let cancelled = submit(&mut secretary, &page, &format!("{page}/cancel"), &again).await;
    cancelled.assert_status(StatusCode::SEE_OTHER);
    let html = text(&secretary.get(&format!("{page}?done=cancelled")).await);
    assert!(html.contains("The poll has been cancelled"));
    assert!(html.contains("Put to the wrong forum"));
    assert!(!html.contains("name=\"reason\""), "nothing left to change");
}

/// Officers cancelling one poll at once, from pages showing one version:
/// the database lets exactly one cancel it, and it is cancelled once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_officers_cancelling_at_once_exactly_one_cancels_the_poll() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let poll = put_poll(&app, &fx, &item).await;
    let page = format!("/forums/{}/polls/{poll}", fx.forum);
    let mut sessions = Vec::new();
    for officer in [&fx.secretary, &fx.chair, &fx.admin] {
        let mut browser = signed_in(&app, officer).await;
        let token = csrf_token(&text(&browser.get(&page).await));
        let cookie = browser
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        sessions.push((cookie, token));
    }
    let served = app.serve().await;

    let statuses = served
        .race(9, |i, client, base| {
            let (cookie, token) = &sessions[i % sessions.len()];
            client
                .post(format!("{base}{page}/cancel"))
                .header("cookie", cookie)
                .header("origin", base)
                .header("accept", "text/html")
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("reason", "Put to the wrong forum"),
                    ("version", "1"),
                ])
        })
        .await;

    // The winner is sent on to the poll page (the client follows it).
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    let refused =
        count(&statuses, StatusCode::PRECONDITION_FAILED) + count(&statuses, StatusCode::CONFLICT);
    assert_eq!(refused, 8, "{statuses:?}");
    let cancellations = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("poll.cancelled"))
        .count(app.db())
        .await
        .expect("a count");
    assert_eq!(cancellations, 1);
}

#[tokio::test]
async fn the_polls_page_costs_the_same_statements_for_three_polls_or_twelve() {
    let (app, recorder) = crate::explain::recorder::Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let item = Item::on_the_agenda(&app, &fx, "Venue for the summer forum").await;
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let list = format!("/forums/{}/polls", fx.forum);
    let mut counts = Vec::new();
    let mut put = 0;
    for polls in [3, 12] {
        while put < polls {
            put_poll(&app, &fx, &item).await;
            put += 1;
        }
        let (response, statements) = recorder.during(secretary.get(&list)).await;
        response.assert_status(StatusCode::OK);
        counts.push(statements.len());
    }
    assert_eq!(counts[0], counts[1], "no statement per poll");
    let poll = format!(
        "/forums/{}/polls/{}",
        fx.forum,
        put_poll(&app, &fx, &item).await
    );
    let (response, statements) = recorder.during(secretary.get(&poll)).await;
    response.assert_status(StatusCode::OK);
    eprintln!(
        "the polls page costs {} statements, a poll's page {}",
        counts[0],
        statements.len()
    );
    assert!(counts[0] <= 8, "{counts:?}");
    assert!(statements.len() <= 15, "{}", statements.len());
}
