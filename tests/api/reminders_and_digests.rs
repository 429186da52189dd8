//! The daily job: reminders of what falls due, once per item and threshold
//! however often it runs; and the digest that gathers a day's news for
//! those who chose it, once a day, grouped by forum, skipped when empty.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use entity::{action_item, raised_issue};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::support::mail::*;
use crate::support::smtp::{Received, SmtpServer};
use crate::support::{ForumFixture, TestApp};

fn london_today(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

fn days_from(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .expect("a day")
}

/// Ten o'clock on London's clock, `days` from the London day of `at`.
fn ten_o_clock(at: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let day = days_from(london_today(at), days);
    London
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).expect("a time"))
        .single()
        .expect("10:00 is never skipped or repeated")
        .with_timezone(&Utc)
}

/// Messages received since `before`, by subject headline.
fn since(smtp: &SmtpServer, before: usize, headline: &str) -> Vec<Received> {
    smtp.received()
        .into_iter()
        .skip(before)
        .filter(|m| m.header("Subject").is_some_and(|s| s.starts_with(headline)))
        .collect()
}

async fn action_due(app: &TestApp, fx: &ForumFixture, title: &str, days: i64) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": title, "owner_user_id": fx.member.id}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    let id: Uuid = made.json()["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id");
    // Written straight to the database: the API refuses a date in the past.
    let due = days_from(london_today(app.state.clock.now()), days);
    action_item::Entity::update_many()
        .col_expr(action_item::Column::DueOn, Expr::val(due))
        .filter(action_item::Column::Id.eq(id))
        .exec(app.db())
        .await
        .expect("set the due date");
    id
}

#[tokio::test]
async fn actions_falling_due_remind_their_owner_and_the_officers_once_per_threshold() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    action_due(&app, &fx, "Map the housing pathway", 5).await;
    action_due(&app, &fx, "Send the survey", 0).await;
    action_due(&app, &fx, "Book the venue", -1).await;
    action_due(&app, &fx, "Write the annual report", 30).await;
    let long_forgotten = action_due(&app, &fx, "Long forgotten", -60).await;
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("the assignments sent");
    let before = smtp.received().len();

    let now = app.state.clock.now();
    let first = worker.daily(now).await.expect("the day's job");
    worker.run_once().await.expect("a pass");

    assert_eq!(first.reminders, 3, "due soon, due today, overdue");
    let officers_and_owner = emails([&fx.member, &fx.secretary, &fx.chair]);
    for (headline, title) in [
        ("Action due soon", "Map the housing pathway"),
        ("Action due today", "Send the survey"),
        ("Action overdue", "Book the venue"),
    ] {
        let told = since(&smtp, before, headline);
        assert_eq!(recipients(&told), officers_and_owner, "{headline}");
        assert!(
            told.iter()
                .all(|m| m.header("Subject") == Some(format!("{headline}: {title}"))),
            "{headline}"
        );
    }
    assert!(
        smtp.received()[before..]
            .iter()
            .all(|m| !m.text().contains(&long_forgotten.to_string())),
        "an action long past its date is not woken"
    );

    // The same day again, on this node or another: nothing new.
    let again = worker.daily(now).await.expect("the day's job again");
    let other_node = smtp_worker(&app, &smtp)
        .daily(now)
        .await
        .expect("another node's job");
    assert_eq!((again.reminders, other_node.reminders), (0, 0));
    let after = smtp.received().len();
    worker.run_once().await.expect("a pass");
    assert_eq!(smtp.received().len(), after);

    // Done actions are not chased.
    action_item::Entity::update_many()
        .col_expr(action_item::Column::Status, Expr::val("done"))
        .exec(app.db())
        .await
        .expect("all done");
    app.state.clock.advance(chrono::Duration::days(1));
    let next_day = worker
        .daily(app.state.clock.now())
        .await
        .expect("the next day");
    assert_eq!(next_day.reminders, 0);
}

#[tokio::test]
async fn an_unanswered_issue_near_or_past_its_date_reminds_the_rpd_team_and_officers() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let mut issues = Vec::new();
    for (title, days) in [("Due soon", 2), ("Past due", -2), ("Not yet", 10)] {
        let raised = app
            .post(
                &format!("/api/v1/forums/{}/issues", fx.forum),
                Some(&fx.member.access),
                json!({"title": title, "body": "Housing referrals stalled."}),
            )
            .await;
        raised.assert_status(StatusCode::CREATED);
        let id: Uuid = raised.json()["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("an id");
        let due = days_from(london_today(app.state.clock.now()), days);
        raised_issue::Entity::update_many()
            .col_expr(raised_issue::Column::ResponseDueOn, Expr::val(due))
            .filter(raised_issue::Column::Id.eq(id))
            .exec(app.db())
            .await
            .expect("set the date due");
        issues.push(id);
    }
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("the raised issues sent");
    let before = smtp.received().len();

    let done = worker
        .daily(app.state.clock.now())
        .await
        .expect("the day's job");
    worker.run_once().await.expect("a pass");

    assert_eq!(done.reminders, 2);
    let rpd_and_officers = emails([&fx.rpd_staff, &fx.secretary, &fx.chair]);
    let soon = since(&smtp, before, "Answer due soon: Due soon");
    let overdue = since(&smtp, before, "Answer overdue: Past due");
    assert_eq!(recipients(&soon), rpd_and_officers);
    assert_eq!(recipients(&overdue), rpd_and_officers);

    // An answered issue is no longer chased.
    app.post(
        &format!("/api/v1/issues/{}/responses", issues[0]),
        Some(&fx.rpd_staff.access),
        json!({"body": "We are on it."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.state.clock.advance(chrono::Duration::days(1));
    let next = worker
        .daily(app.state.clock.now())
        .await
        .expect("the next day");
    assert_eq!(next.reminders, 0, "the past-due one was told already");
}

async fn meeting_at(app: &TestApp, fx: &ForumFixture, title: &str, starts: DateTime<Utc>) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/forums/{}/meetings", fx.forum),
            Some(&fx.secretary.access),
            json!({
                "title": title,
                "starts_at": starts,
                "ends_at": starts + chrono::Duration::hours(2),
                "location": "Maidstone Community Hub"
            }),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

async fn rsvp(app: &TestApp, meeting: Uuid, access: &str, response: &str) {
    app.request(
        Method::PUT,
        &format!("/api/v1/meetings/{meeting}/rsvp"),
        Some(access),
        Some(json!({"response": response})),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_meeting_tomorrow_reminds_who_has_not_declined_and_a_closing_rsvp_who_has_not_answered() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let now = app.state.clock.now();
    let tomorrow = meeting_at(&app, &fx, "Tomorrow's forum", ten_o_clock(now, 1)).await;
    let soon = meeting_at(&app, &fx, "Forum in three days", ten_o_clock(now, 3)).await;
    meeting_at(&app, &fx, "Forum next month", ten_o_clock(now, 30)).await;
    rsvp(&app, tomorrow, &fx.member.access, "no").await;
    rsvp(&app, tomorrow, &fx.chair.access, "maybe").await;
    rsvp(&app, soon, &fx.member.access, "yes").await;
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("the invitations sent");
    let before = smtp.received().len();

    let done = worker.daily(now).await.expect("the day's job");
    worker.run_once().await.expect("a pass");

    assert_eq!(done.reminders, 2);
    assert_eq!(
        recipients(&since(&smtp, before, "Meeting tomorrow: Tomorrow's forum")),
        emails([&fx.observer, &fx.secretary, &fx.chair, &fx.rpd_staff]),
        "not the member who declined"
    );
    let closing = since(&smtp, before, "Will you come?: Forum in three days");
    assert_eq!(
        recipients(&closing),
        emails([&fx.observer, &fx.secretary, &fx.chair, &fx.rpd_staff]),
        "not the member who answered"
    );
    assert!(
        closing[0].text().contains("Starts: "),
        "{}",
        closing[0].text()
    );
    assert!(
        closing[0].calendar().is_none(),
        "a reminder is not an invitation"
    );
    // Its link opens the meeting page at the one-click answer.
    assert!(
        closing[0]
            .text()
            .contains(&format!("/forums/{}/meetings/{soon}#rsvp", fx.forum)),
        "{}",
        closing[0].text()
    );
    assert_eq!(worker.daily(now).await.expect("again").reminders, 0);
}

#[tokio::test]
async fn a_digest_gathers_the_day_by_forum_once_a_day_and_is_skipped_when_empty() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let settings = "/api/v1/me/notification-settings";
    app.request(
        Method::PUT,
        settings,
        Some(&fx.member.access),
        Some(json!({"settings": {
            "meeting.scheduled": "daily-digest",
            "action.assigned": "daily-digest",
        }})),
    )
    .await
    .assert_status(StatusCode::OK);
    app.schedule(&fx, "Quarterly forum <b>", 72).await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Map the housing pathway", "owner_user_id": fx.member.id}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("a pass");
    let at_once = smtp.received();
    assert!(
        !recipients(&at_once).contains(&fx.member.email),
        "the member chose the digest"
    );
    assert!(recipients(&at_once).contains(&fx.observer.email));

    let now = app.state.clock.now();
    let day = worker.daily(now).await.expect("the day's job");
    worker.run_once().await.expect("a pass");

    assert_eq!(day.digests, 1, "only the member has anything gathered");
    let digests = since(&smtp, at_once.len(), "Your Convene digest");
    assert_eq!(recipients(&digests), emails([&fx.member]));
    let digest = &digests[0];
    assert_eq!(
        digest.header("Subject").as_deref(),
        Some("Your Convene digest: 2 updates")
    );
    let text = digest.text();
    assert!(text.contains("KSS Voluntary Sector Forum"), "{text}");
    assert!(
        text.contains("- Meeting scheduled: Quarterly forum <b>"),
        "{text}"
    );
    assert!(
        text.contains("- Action for you: Map the housing pathway"),
        "{text}"
    );
    let html = digest.html();
    assert!(html.contains("Quarterly forum &lt;b&gt;"), "{html}");
    assert_eq!(
        digest.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );

    // Later the same day: gathered for tomorrow, not a second digest today.
    app.schedule(&fx, "Extra forum", 96).await;
    worker.run_once().await.expect("a pass");
    let later = worker.daily(app.state.clock.now()).await.expect("again");
    assert_eq!(later.digests, 0);
    app.state.clock.advance(chrono::Duration::days(1));
    let tomorrow = worker.daily(app.state.clock.now()).await.expect("tomorrow");
    assert_eq!(tomorrow.digests, 1);
    app.state.clock.advance(chrono::Duration::days(1));
    let quiet = worker
        .daily(app.state.clock.now())
        .await
        .expect("a quiet day");
    assert_eq!(quiet.digests, 0, "nothing gathered, no digest");

    // The digest's one-click link stops the digest: every kind it gathered.
    let link = digest
        .header("List-Unsubscribe")
        .expect("a List-Unsubscribe header");
    let path = link
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_start_matches(PUBLIC_URL)
        .to_string();
    app.request(Method::POST, &path, None, None)
        .await
        .assert_status(StatusCode::OK);
    let now_set = app.get(settings, Some(&fx.member.access)).await.json();
    for kind in [
        "meeting.scheduled",
        "action.assigned",
        "minutes.approved",
        "commitment.status-changed",
    ] {
        assert_eq!(now_set["settings"][kind], "off", "{kind}");
    }
    assert_eq!(now_set["settings"]["meeting.cancelled"], "immediate");
}

#[tokio::test]
async fn the_delivery_loop_runs_the_day_s_job_once_its_hour_has_come_and_once_only() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    action_due(&app, &fx, "Send the survey", 0).await;
    // Midnight has always come: the job is due whatever the time of the test.
    let mut worker = smtp_worker(&app, &smtp);
    worker.settings.daily_hour = Some(0);

    let first = worker.run_once().await.expect("a pass");
    let second = worker.run_once().await.expect("a pass");
    let mut other_node = smtp_worker(&app, &smtp);
    other_node.settings.daily_hour = Some(0);
    let third = other_node.run_once().await.expect("another node's pass");

    assert_eq!(first.reminders, 1);
    assert_eq!((second.reminders, third.reminders), (0, 0));
    assert_eq!(
        since(&smtp, 0, "Action due today").len(),
        3,
        "the owner and the two officers, once each"
    );
}

#[tokio::test]
async fn consultations_and_polls_are_announced_and_their_deadlines_reminded_once() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let now = app.state.clock.now();
    let today = london_today(now);
    let registered = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Strengthening probation", "consulting_body": "Ministry of Justice",
                   "closes_on": days_from(today, 5), "internal_deadline": days_from(today, 2),
                   "questions": [{"text": "Do you agree?"}]}),
        )
        .await;
    registered.assert_status(StatusCode::CREATED);
    worker.run_once().await.expect("the announcement sent");
    let everyone = emails([&fx.member, &fx.observer, &fx.chair, &fx.rpd_staff]);
    assert_eq!(
        recipients(&since(
            &smtp,
            0,
            "Consultation to answer: Strengthening probation"
        )),
        everyone,
        "everyone in the forum but the secretary who registered it"
    );
    let poll = entity::poll::ActiveModel {
        id: sea_orm::Set(Uuid::now_v7()),
        forum_id: sea_orm::Set(fx.forum),
        question: sea_orm::Set("Meet in Maidstone next?".into()),
        description: sea_orm::Set(String::new()),
        kind: sea_orm::Set(entity::PollKind::AgreeDisagreeAbstain),
        max_choices: sea_orm::Set(None),
        opens_at: sea_orm::Set(ten_o_clock(now, 0)),
        closes_at: sea_orm::Set(ten_o_clock(now, 1)),
        results_before_close: sea_orm::Set(false),
        open_voting: sea_orm::Set(false),
        agenda_item_id: sea_orm::Set(None),
        consultation_id: sea_orm::Set(None),
        cancelled_at: sea_orm::Set(None),
        cancel_reason: sea_orm::Set(None),
        version: sea_orm::Set(1),
        created_by: sea_orm::Set(None),
        created_at: sea_orm::Set(now),
        updated_at: sea_orm::Set(now),
    };
    sea_orm::ActiveModelTrait::insert(poll, app.db())
        .await
        .expect("a poll");
    let before = smtp.received().len();

    let done = worker.daily(now).await.expect("the day's job");
    worker.run_once().await.expect("a pass");

    assert_eq!(done.reminders, 4);
    let all = emails([
        &fx.member,
        &fx.observer,
        &fx.secretary,
        &fx.chair,
        &fx.rpd_staff,
    ]);
    assert_eq!(
        recipients(&since(
            &smtp,
            before,
            "Contributions close soon: Strengthening probation"
        )),
        all
    );
    assert_eq!(
        recipients(&since(
            &smtp,
            before,
            "Consultation closes soon: Strengthening probation"
        )),
        emails([&fx.secretary, &fx.chair])
    );
    assert_eq!(
        recipients(&since(&smtp, before, "Poll open: Meet in Maidstone next?")),
        all
    );
    assert_eq!(
        recipients(&since(
            &smtp,
            before,
            "Poll closes tomorrow: Meet in Maidstone next?"
        )),
        all
    );
    assert_eq!(
        worker.daily(now).await.expect("again").reminders,
        0,
        "each reminded once"
    );
}
