//! Notifications: a write records an event in its own transaction; the
//! worker turns it into one email per person concerned and delivers it to a
//! real SMTP server, retrying with backoff, at least once and, with several
//! workers, still once.

use std::collections::{BTreeSet, HashMap};

use axum::http::StatusCode;
use chrono::Utc;
use convene::jobs::notify::Mailer;
use convene::jobs::notify::worker::Worker;
use convene::jobs::pacing::Settings;
use convene::kernel::events::{Kind, emit};
use entity::{DeliveryStatus, delivery, outbox_event};
use icalendar::Component;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use crate::support::mail::*;
use crate::support::smtp::{Received, SmtpServer};
use crate::support::{ForumFixture, TestApp};

mod retries;

async fn schedule(app: &TestApp, fx: &ForumFixture) -> Uuid {
    app.schedule(fx, "Quarterly forum <with> & 'care'", 48)
        .await
}

#[tokio::test]
async fn scheduling_a_meeting_emails_every_participant_but_the_one_who_scheduled_it() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let meeting = schedule(&app, &fx).await;

    let pass = smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let received = smtp.received();
    assert_eq!(
        recipients(&received),
        emails([&fx.member, &fx.observer, &fx.chair, &fx.rpd_staff]),
        "the forum's participants, not the secretary, nor anyone of another forum"
    );
    assert_eq!((pass.dispatched, pass.sent), (1, 4));
    for message in &received {
        assert_eq!(message.from, "convene@forum.example.org");
        let subject = message.header("Subject").expect("a subject");
        assert!(subject.starts_with("Meeting scheduled: "), "{subject}");
        let message_id = message.header("Message-ID").expect("a Message-ID");
        assert!(
            message_id.ends_with("@convene.example.org>"),
            "{message_id}"
        );
        assert!(message.header("Date").is_some());
        let content_type = message.header("Content-Type").expect("a content type");
        assert!(
            content_type.starts_with("multipart/alternative"),
            "{content_type}"
        );
        let link = format!("{PUBLIC_URL}/api/v1/meetings/{meeting}");
        let (text, html) = (message.text(), message.html());
        assert!(
            text.contains(&link) && html.contains(&link),
            "{text}\n{html}"
        );
        assert!(
            text.contains("Title: Quarterly forum <with> & 'care'"),
            "{text}"
        );
        assert!(text.contains("Where: Maidstone Community Hub"), "{text}");
        // The title is the secretary's text: in HTML it is shown, not obeyed.
        assert!(
            html.contains("Quarterly forum &lt;with&gt; &amp; &#39;care&#39;"),
            "{html}"
        );
        assert!(!html.contains("<with>"));
        // The invitation, read back with a calendar parser.
        let (method, ics) = message.calendar().expect("an invitation");
        assert_eq!(method, "REQUEST");
        let event = only_event(&ics);
        assert_eq!(event.get_uid(), Some(format!("{meeting}@convene").as_str()));
        assert_eq!(event.get_sequence(), Some(0));
        assert_eq!(
            property(&event, "ORGANIZER").as_deref(),
            Some("mailto:convene@forum.example.org")
        );
        assert_eq!(
            property(&event, "ATTENDEE"),
            Some(format!("mailto:{}", message.to[0]))
        );
    }

    // Nothing is sent twice: the next pass finds no work.
    let again = smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    assert_eq!((again.dispatched, again.sent), (0, 0));
    assert_eq!(smtp.received().len(), 4);
}

#[tokio::test]
async fn moving_and_cancelling_a_meeting_tell_its_participants() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let meeting = schedule(&app, &fx).await;
    let path = format!("/api/v1/meetings/{meeting}");
    let read = app.get(&path, Some(&fx.secretary.access)).await;
    let starts = read.json()["starts_at"]
        .as_str()
        .expect("start")
        .to_string();
    let later: chrono::DateTime<Utc> =
        starts.parse::<chrono::DateTime<Utc>>().expect("a time") + chrono::Duration::days(7);
    // A minute between changes, as between people's edits.
    app.state.clock.advance(chrono::Duration::minutes(1));
    app.patch(
        &path,
        Some(&fx.secretary.access),
        json!({"starts_at": later, "ends_at": later + chrono::Duration::hours(2)}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.state.clock.advance(chrono::Duration::minutes(1));
    app.patch(
        &path,
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "The venue flooded"}),
    )
    .await
    .assert_status(StatusCode::OK);

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    // Several messages are in flight at once, so they may arrive in any
    // order; each is dated when its change was made, which mail clients sort by.
    let mut told: Vec<(chrono::DateTime<chrono::FixedOffset>, String)> = smtp
        .received()
        .iter()
        .filter(|m| m.to == [fx.member.email.clone()])
        .map(|m| {
            let date = m.header("Date").expect("a date");
            let date = chrono::DateTime::parse_from_rfc2822(&date).expect("an RFC 2822 date");
            let subject = m.header("Subject").expect("a subject");
            (
                date,
                subject.split(':').next().unwrap_or_default().to_string(),
            )
        })
        .collect();
    told.sort();
    let subjects: Vec<&str> = told.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        subjects,
        ["Meeting scheduled", "Meeting moved", "Meeting cancelled"]
    );
    // Each invitation is the meeting as it was at its change: calendar apps
    // add it, move it (a higher SEQUENCE, same UID), then remove it.
    let mut invitations: Vec<(String, u32, String)> = smtp
        .received()
        .iter()
        .filter(|m| m.to == [fx.member.email.clone()])
        .map(|m| {
            let (method, ics) = m.calendar().expect("an invitation");
            let event = only_event(&ics);
            let uid = event.get_uid().unwrap_or_default().to_string();
            (method, event.get_sequence().unwrap_or(99), uid)
        })
        .collect();
    invitations.sort_by_key(|(_, sequence, _)| *sequence);
    let uid = format!("{meeting}@convene");
    assert_eq!(
        invitations,
        [
            ("REQUEST".to_string(), 0, uid.clone()),
            ("REQUEST".to_string(), 1, uid.clone()),
            ("CANCEL".to_string(), 2, uid),
        ]
    );
    let cancelled = with_subject(&smtp, "Meeting cancelled").expect("the cancellation");
    assert!(cancelled.text().contains("Reason: The venue flooded"));
}

#[tokio::test]
async fn a_raised_issue_reaches_the_rpd_staff_and_officers_and_its_answer_the_raiser() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Housing referrals stalled", "body": "Since March."}),
        )
        .await;
    raised.assert_status(StatusCode::CREATED);
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("a pass");
    assert_eq!(
        recipients(&smtp.received()),
        emails([&fx.secretary, &fx.chair, &fx.rpd_staff])
    );

    let issue = raised.json()["id"].as_str().expect("an id").to_string();
    app.post(
        &format!("/api/v1/issues/{issue}/responses"),
        Some(&fx.rpd_staff.access),
        json!({"body": "We have spoken to the accommodation team."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    worker.run_once().await.expect("a pass");
    let answers: Vec<Received> = smtp
        .received()
        .into_iter()
        .filter(|m| {
            m.header("Subject")
                .is_some_and(|s| s.starts_with("Issue answered"))
        })
        .collect();
    assert_eq!(
        recipients(&answers),
        emails([&fx.member, &fx.secretary, &fx.chair])
    );
}

#[tokio::test]
async fn an_action_given_to_an_organisation_reaches_its_people_in_the_forum() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Map the housing pathway", "owner_organisation_id": fx.member_organisation}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Nobody's yet"}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let received = smtp.received();
    assert_eq!(recipients(&received), emails([&fx.member]));
    assert_eq!(
        received[0].header("Subject").as_deref(),
        Some("Action for you: Map the housing pathway")
    );
}

#[tokio::test]
async fn an_event_of_a_rolled_back_write_is_never_sent() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let meeting = schedule(&app, &fx).await;
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    let before = smtp.received().len();
    let model = entity::meeting::Entity::find_by_id(meeting)
        .one(app.db())
        .await
        .expect("query")
        .expect("the meeting");

    let txn = app.db().begin().await.expect("begin");
    emit(
        &txn,
        Utc::now(),
        convene::meetings::events::meeting(Kind::MeetingCancelled, &model, None, None),
    )
    .await
    .expect("emit");
    txn.rollback().await.expect("roll back");

    let pass = smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    assert_eq!((pass.dispatched, pass.sent), (0, 0));
    assert_eq!(smtp.received().len(), before);
}

/// The subjects each person received, by email address.
fn subjects_by_recipient(received: &[Received]) -> HashMap<String, Vec<String>> {
    let mut by = HashMap::<String, Vec<String>>::new();
    for message in received {
        for to in &message.to {
            by.entry(to.clone())
                .or_default()
                .push(message.header("Subject").unwrap_or_default());
        }
    }
    by
}

#[tokio::test]
async fn progress_and_moves_of_an_action_reach_its_owners() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let created = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Map the pathway", "owner_organisation_id": fx.member_organisation}),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    let action = created.json()["id"].as_str().expect("an id").to_string();
    app.post(
        &format!("/api/v1/actions/{action}/updates"),
        Some(&fx.secretary.access),
        json!({"body": "Met the council's housing lead.", "status": "in-progress"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.patch(
        &format!("/api/v1/actions/{action}"),
        Some(&fx.secretary.access),
        json!({"status": "blocked"}),
    )
    .await
    .assert_status(StatusCode::OK);

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let received = smtp.received();
    assert_eq!(recipients(&received), emails([&fx.member]));
    let mut subjects = subjects_by_recipient(&received)
        .remove(&fx.member.email)
        .unwrap_or_default();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "Action for you: Map the pathway",
            "Action moved: Map the pathway",
            "Progress on an action: Map the pathway",
        ]
    );
    let progress = with_subject(&smtp, "Progress").expect("the progress");
    let text = progress.text();
    assert!(
        text.contains("Note: Met the council's housing lead."),
        "{text}"
    );
    assert!(
        text.contains("Status was: open") && text.contains("Status now: in-progress"),
        "{text}"
    );
}

#[tokio::test]
async fn each_move_of_an_issue_reaches_the_other_side() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Referrals stalled", "body": "Since March."}),
        )
        .await;
    raised.assert_status(StatusCode::CREATED);
    let issue = format!(
        "/api/v1/issues/{}",
        raised.json()["id"].as_str().expect("an id")
    );
    let moves = [
        (&fx.rpd_staff, json!({"status": "acknowledged"})),
        (&fx.rpd_staff, json!({"status": "responded"})),
        (
            &fx.member,
            json!({"status": "open", "reason": "Still stalled."}),
        ),
        (&fx.rpd_staff, json!({"status": "responded"})),
        (&fx.member, json!({"status": "closed"})),
    ];
    for (by, change) in moves {
        if change["status"] == "responded" {
            app.post(
                &format!("{issue}/responses"),
                Some(&by.access),
                json!({"body": "We are on it."}),
            )
            .await
            .assert_status(StatusCode::CREATED);
        } else {
            app.patch(&issue, Some(&by.access), change)
                .await
                .assert_status(StatusCode::OK);
        }
    }

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let by = subjects_by_recipient(&smtp.received());
    let heads = |person: &crate::support::TestUser| headlines(&by, &person.email);
    // The raiser hears what the RPD's team did; the team, what the forum did.
    assert_eq!(
        heads(&fx.member),
        ["Issue acknowledged", "Issue answered", "Issue answered"]
    );
    assert_eq!(
        heads(&fx.rpd_staff),
        ["Issue closed", "Issue raised", "Issue re-opened"]
    );
    assert_eq!(heads(&fx.chair).len(), 6, "officers hear of every move");
    assert!(heads(&fx.observer).is_empty());
    let reopened = with_subject(&smtp, "Issue re-opened").expect("the re-opening");
    assert!(reopened.text().contains("Reason: Still stalled."));
}

#[tokio::test]
async fn a_commitment_moving_on_is_told_to_its_region_s_forum_in_the_daily_digest() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let commitment = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    app.patch(
        &format!("/api/v1/commitments/{commitment}"),
        Some(&fx.rpd_staff.access),
        json!({"status": "in-progress", "status_note": "CAS3 beds commissioned"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("a pass");
    assert!(
        smtp.received().is_empty(),
        "news of the whole forum waits for the digest by default"
    );

    worker
        .daily(app.state.clock.now())
        .await
        .expect("the day's job");
    worker.run_once().await.expect("a pass");
    let received = smtp.received();
    assert_eq!(
        recipients(&received),
        emails([&fx.member, &fx.observer, &fx.secretary, &fx.chair]),
        "the region's forum, not the RPD staff who moved it, nor another region's"
    );
    let text = received[0].text();
    assert!(text.contains("KSS Voluntary Sector Forum"), "{text}");
    assert!(text.contains("Commitment moved: KSS-ACC-1"), "{text}");
    assert!(text.contains(&format!("{PUBLIC_URL}/api/v1/commitments/{commitment}")));
}

#[tokio::test]
async fn sent_notifications_are_purged_after_thirty_days_and_failed_ones_kept() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let worker = worker(
        &app,
        Mailer::smtp(&smtp.url()).expect("a mailer"),
        Settings {
            max_attempts: 1,
            ..Settings::default()
        },
    );
    // The fixture's own news (roles given), told to nobody in particular.
    let earlier = outbox_event::Entity::find()
        .count(app.db())
        .await
        .expect("count");
    app.schedule(&fx, "One message fails", 24).await;
    smtp.refuse_next(1);
    assert_eq!(worker.run_once().await.expect("a pass").failed, 1);
    app.schedule(&fx, "All sent", 48).await;
    assert_eq!(worker.run_once().await.expect("a pass").sent, 4);

    let purge = || convene::jobs::housekeeping::purge_all(app.db(), app.state.clock.now());
    assert_eq!(purge().await.expect("purge").notifications, 0, "not yet");
    app.state.clock.advance(chrono::Duration::days(31));
    assert_eq!(purge().await.expect("purge").notifications, earlier + 1);

    let left = delivery::Entity::find().all(app.db()).await.expect("query");
    assert_eq!(
        left.len(),
        4,
        "the event with a failed message keeps all of them"
    );
    assert!(left.iter().any(|d| d.status == DeliveryStatus::Failed));
    assert_eq!(
        outbox_event::Entity::find()
            .count(app.db())
            .await
            .expect("count"),
        1
    );
}

#[tokio::test]
async fn a_proposed_agenda_item_reaches_the_officers_and_their_decision_its_proposer() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let meeting = schedule(&app, &fx).await;
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("a pass");
    let before = smtp.received().len();
    let proposed = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
            json!({"title": "Housing on release"}),
        )
        .await;
    proposed.assert_status(StatusCode::CREATED);
    let item = proposed.json()["id"].as_str().expect("an id").to_string();
    app.patch(
        &format!("/api/v1/agenda-items/{item}"),
        Some(&fx.chair.access),
        json!({"status": "accepted"}),
    )
    .await
    .assert_status(StatusCode::OK);

    worker.run_once().await.expect("a pass");

    let new: Vec<Received> = smtp.received().into_iter().skip(before).collect();
    let by = subjects_by_recipient(&new);
    assert_eq!(
        by.keys().cloned().collect::<BTreeSet<_>>(),
        emails([&fx.secretary, &fx.chair, &fx.member])
    );
    assert_eq!(
        by[&fx.secretary.email],
        ["Agenda item proposed: Housing on release"]
    );
    assert_eq!(
        by[&fx.member.email],
        ["Your agenda item: Housing on release"]
    );
    let decided = new
        .iter()
        .find(|m| m.to == [fx.member.email.clone()])
        .expect("the decision");
    assert!(decided.text().contains("Status: accepted"));
    assert!(
        decided.calendar().is_none(),
        "no invitation with an agenda item"
    );
}

#[tokio::test]
async fn an_application_reaches_the_officers_and_the_decision_the_applicants() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let (founder, _org) = app.organisation_member("Founder").await;
    let applied = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&founder.access),
            json!({"statement": "Housing advice for prison leavers"}),
        )
        .await;
    applied.assert_status(StatusCode::CREATED);
    let membership = applied.json()["id"].as_str().expect("an id").to_string();
    app.patch(
        &format!("/api/v1/forums/{}/memberships/{membership}", fx.forum),
        Some(&fx.secretary.access),
        json!({"status": "active"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.put_role(&fx.secretary, fx.forum, founder.id, "member")
        .await
        .assert_status(StatusCode::CREATED);

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let by = subjects_by_recipient(&smtp.received());
    let heads = |email: &str| headlines(&by, email);
    // The applicant takes no part in the forum yet, and is still told.
    assert_eq!(
        heads(&founder.email),
        ["Your membership", "Your role in a forum"]
    );
    assert_eq!(heads(&fx.chair.email), ["Membership application"]);
    assert!(heads(&fx.member.email).is_empty());
}

#[tokio::test]
async fn a_person_whose_role_is_taken_away_is_told() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.request(
        axum::http::Method::DELETE,
        &format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.observer.id),
        Some(&fx.secretary.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    let received = smtp.received();
    assert_eq!(recipients(&received), emails([&fx.observer]));
    assert!(
        received[0]
            .header("Subject")
            .is_some_and(|s| s.starts_with("Your role in a forum ended"))
    );
}

#[tokio::test]
async fn a_person_who_turned_a_kind_off_is_not_told_of_it() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    let path = "/api/v1/me/notification-settings";
    let defaults = app.get(path, Some(&fx.member.access)).await;
    defaults.assert_status(StatusCode::OK);
    assert_eq!(
        defaults.json()["settings"]["meeting.scheduled"],
        "immediate"
    );
    assert_eq!(
        defaults.json()["settings"].as_object().map(|o| o.len()),
        Some(Kind::chosen().count())
    );

    let set = app
        .request(
            axum::http::Method::PUT,
            path,
            Some(&fx.member.access),
            Some(json!({"settings": {"meeting.scheduled": "off", "issue.raised": "immediate"}})),
        )
        .await;
    set.assert_status(StatusCode::OK);
    assert_eq!(set.json()["settings"]["meeting.scheduled"], "off");
    assert_eq!(set.json()["settings"]["meeting.cancelled"], "immediate");
    let unknown = app
        .request(
            axum::http::Method::PUT,
            path,
            Some(&fx.member.access),
            Some(json!({"settings": {"meeting.held": "off"}})),
        )
        .await;
    assert_eq!(unknown.invalid_fields(), ["settings.meeting.held"]);
    let bad_mode = app
        .request(
            axum::http::Method::PUT,
            path,
            Some(&fx.member.access),
            Some(json!({"settings": {"meeting.scheduled": "weekly"}})),
        )
        .await;
    bad_mode.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    app.get(path, None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    schedule(&app, &fx).await;
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    assert_eq!(
        recipients(&smtp.received()),
        emails([&fx.observer, &fx.chair, &fx.rpd_staff])
    );
}

#[tokio::test]
async fn an_email_s_unsubscribe_link_turns_that_kind_off_without_signing_in() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    schedule(&app, &fx).await;
    let worker = smtp_worker(&app, &smtp);
    worker.run_once().await.expect("a pass");
    let message = smtp
        .received()
        .into_iter()
        .find(|m| m.to == [fx.member.email.clone()])
        .expect("the member's invitation");
    assert_eq!(
        message.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let header = message
        .header("List-Unsubscribe")
        .expect("a List-Unsubscribe header");
    let link = header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    assert!(
        link.starts_with(&format!("{PUBLIC_URL}/api/v1/unsubscribe/")),
        "{link}"
    );
    assert!(message.text().contains(&link));
    let path = link.trim_start_matches(PUBLIC_URL).to_string();

    // Opening the link asks; it turns nothing off.
    let page = app.get(&path, None).await;
    page.assert_status(StatusCode::OK);
    assert!(String::from_utf8_lossy(&page.body).contains("meeting.scheduled"));
    let settings = "/api/v1/me/notification-settings";
    let unchanged = app.get(settings, Some(&fx.member.access)).await;
    assert_eq!(
        unchanged.json()["settings"]["meeting.scheduled"],
        "immediate"
    );

    // A mail client's one-click POST, with no sign-in.
    let one_click = axum::http::Request::builder()
        .method(axum::http::Method::POST)
        .uri(&path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from("List-Unsubscribe=One-Click"))
        .expect("a request");
    app.send(one_click).await.assert_status(StatusCode::OK);
    let after = app.get(settings, Some(&fx.member.access)).await;
    assert_eq!(after.json()["settings"]["meeting.scheduled"], "off");
    assert_eq!(after.json()["settings"]["meeting.cancelled"], "immediate");

    // Nothing else opens that door.
    let tampered = format!("{path}x");
    app.request(axum::http::Method::POST, &tampered, None, None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let access_token = format!("/api/v1/unsubscribe/{}", fx.member.access);
    app.request(axum::http::Method::POST, &access_token, None, None)
        .await
        .assert_problem(StatusCode::NOT_FOUND);

    let before = smtp.received().len();
    schedule(&app, &fx).await;
    worker.run_once().await.expect("a pass");
    let next: Vec<Received> = smtp.received().into_iter().skip(before).collect();
    assert_eq!(
        recipients(&next),
        emails([&fx.observer, &fx.chair, &fx.rpd_staff])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_admins_retrying_one_failed_message_at_once_queue_it_once() {
    let app = TestApp::spawn().await;
    let fx = fixture(&app).await;
    let smtp = SmtpServer::start();
    app.schedule(&fx, "Quarterly forum", 48).await;
    smtp.refuse_next(100);
    let failing = worker(
        &app,
        Mailer::smtp(&smtp.url()).expect("a mailer"),
        Settings {
            max_attempts: 1,
            ..Settings::default()
        },
    );
    assert_eq!(failing.run_once().await.expect("a pass").failed, 4);
    let id = delivery::Entity::find()
        .filter(delivery::Column::Status.eq(DeliveryStatus::Failed))
        .one(app.db())
        .await
        .expect("a query")
        .expect("a failed message")
        .id;
    let other_admin = app.admin().await;
    let served = app.serve().await;
    let tokens = [fx.admin.access.clone(), other_admin.access.clone()];

    let statuses = served
        .race(2, |i, client, base| {
            client
                .post(format!("{base}/api/v1/admin/deliveries/{id}/retry"))
                .bearer_auth(&tokens[i])
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::OK),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        crate::support::count(&statuses, StatusCode::CONFLICT),
        1,
        "{statuses:?}"
    );
}
