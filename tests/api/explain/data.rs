//! A forum with at least two records behind every list and every filter, so
//! that each list has a second page whose query can be read too.

use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp, TestUser};

pub struct World {
    pub fx: ForumFixture,
    pub plan: Uuid,
    pub commitment: Uuid,
    pub meeting: Uuid,
    /// A meeting that has been held, with two drafts of its minutes.
    pub held_meeting: Uuid,
    pub action: Uuid,
    pub issue: Uuid,
    pub due_before: NaiveDate,
    /// A consultation with contributions from two organisations.
    pub consultation: Uuid,
    /// An opportunity with two awards and the interest of two organisations.
    pub opportunity: Uuid,
}

pub fn id_of(v: &Value) -> Uuid {
    v["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

async fn created(app: &TestApp, path: &str, by: &TestUser, body: Value) -> Uuid {
    let response = app.post(path, Some(&by.access), body).await;
    response.assert_status(StatusCode::CREATED);
    id_of(&response.json())
}

pub async fn build(app: &TestApp) -> World {
    let fx = app.forum_fixture().await;
    let forum = fx.forum;
    // A second member organisation, and a second person in the first.
    let (second, _, _) = app.forum_member(&fx.admin, forum, "Second").await;
    let colleague = app.bare_user("Colleague").await;
    app.patch(
        &format!("/api/v1/users/{colleague}"),
        Some(&fx.admin.access),
        json!({"organisation_id": fx.member_organisation}),
    )
    .await
    .assert_status(StatusCode::OK);

    // Two plans; the second is current.
    app.plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2021")
        .await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan 2022")
        .await;
    let mut commitments = Vec::new();
    for (reference, theme, firmness) in [
        ("KSS-ACC-1", "accommodation", "specific"),
        ("KSS-ACC-2", "accommodation", "specific"),
        ("KSS-WOM-1", "women", "general"),
    ] {
        commitments.push(
            app.commitment(&fx.rpd_staff, plan, reference, theme, firmness)
                .await,
        );
    }
    let commitment = commitments[0];
    app.patch(
        &format!("/api/v1/commitments/{commitment}"),
        Some(&fx.rpd_staff.access),
        json!({"status": "in-progress", "status_note": "Started"}),
    )
    .await
    .assert_status(StatusCode::OK);

    // Issues, raised now and due in 28 days; after the clock moves on past
    // that, they are overdue and unanswered, bar the one that is answered.
    let issues_path = format!("/api/v1/forums/{forum}/issues");
    let issue_body = |title: &str| {
        json!({"title": title, "body": "Release on a Friday", "priority": "urgent",
               "commitment_ids": [commitment]})
    };
    let issue = created(app, &issues_path, &fx.member, issue_body("Friday releases")).await;
    created(app, &issues_path, &fx.member, issue_body("Housing")).await;
    created(app, &issues_path, &fx.member, issue_body("Debt")).await;
    for body in ["We are looking into it", "Here is what we found"] {
        app.post(
            &format!("/api/v1/issues/{issue}/responses"),
            Some(&fx.rpd_staff.access),
            json!({"body": body}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    app.state.clock.advance(Duration::days(60));
    created(app, &issues_path, &fx.member, issue_body("Transport")).await;
    created(app, &issues_path, &fx.member, issue_body("Benefits")).await;

    // Actions: two overdue, two due later, two undated.
    let today = app.state.clock.now().date_naive();
    let actions_path = format!("/api/v1/forums/{forum}/actions");
    let mut actions = Vec::new();
    for due in [Some(-10), Some(-5), Some(5), Some(10), None, None] {
        let due_on = due.map(|days| today + Duration::days(days));
        actions.push(
            created(
                app,
                &actions_path,
                &fx.secretary,
                json!({"title": "Map housing providers", "due_on": due_on,
                       "owner_organisation_id": fx.member_organisation,
                       "commitment_ids": [commitment]}),
            )
            .await,
        );
    }
    // The undated two are done.
    for done in &actions[4..] {
        for status in ["in-progress", "done"] {
            app.patch(
                &format!("/api/v1/actions/{done}"),
                Some(&fx.secretary.access),
                json!({"status": status}),
            )
            .await
            .assert_status(StatusCode::OK);
        }
    }
    let action = actions[0];
    for body in ["Called three providers", "Two more to go"] {
        app.post(
            &format!("/api/v1/actions/{action}/updates"),
            Some(&fx.secretary.access),
            json!({"body": body}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }

    // Two polls open for a week.
    let polls_path = format!("/api/v1/forums/{forum}/polls");
    for question in ["Meet in Maidstone next?", "Endorse the statement?"] {
        created(
            app,
            &polls_path,
            &fx.secretary,
            json!({"question": question, "kind": "agree-disagree-abstain",
                   "closes_at": app.state.clock.now() + Duration::days(7)}),
        )
        .await;
    }

    // Meetings, with answers to the first.
    let mut meetings = Vec::new();
    for hours in [24, 48, 72] {
        meetings.push(app.meeting(&fx, "Forum meeting", hours).await);
    }
    let meeting = meetings[0];
    for user in [&fx.member, &fx.secretary, &fx.chair] {
        app.request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/rsvp"),
            Some(&user.access),
            Some(json!({"response": "yes"})),
        )
        .await
        .assert_status(StatusCode::OK);
    }
    let held = app.meeting(&fx, "Last meeting", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{held}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let minutes_path = format!("/api/v1/meetings/{held}/minutes");
    let first = app
        .request(
            Method::PUT,
            &minutes_path,
            Some(&fx.secretary.access),
            Some(json!({"body": "Draft"})),
        )
        .await;
    first.assert_status(StatusCode::CREATED);
    let etag = first.header("etag").expect("an ETag").to_string();
    app.request_with_headers(
        Method::PUT,
        &minutes_path,
        Some(&fx.secretary.access),
        &[("if-match", &etag)],
        Some(json!({"body": "Second draft"})),
    )
    .await
    .assert_status(StatusCode::OK);
    // Two consultations, the later answered by two member organisations.
    let in_days =
        |days| convene::consultations::london_today(app.state.clock.now()) + Duration::days(days);
    let consultations = format!("/api/v1/forums/{forum}/consultations");
    let register = || {
        app.post(
            &consultations,
            Some(&fx.secretary.access),
            json!({"title": "Strengthening probation", "consulting_body": "Ministry of Justice",
                   "closes_on": in_days(30), "internal_deadline": in_days(14),
                   "questions": [{"text": "Do you agree?"}]}),
        )
    };
    register().await.assert_status(StatusCode::CREATED);
    let consultation = register().await;
    consultation.assert_status(StatusCode::CREATED);
    let question = consultation.json()["questions"][0]["id"].clone();
    let consultation = id_of(&consultation.json());
    for who in [&fx.member, &second] {
        created(
            app,
            &format!("/api/v1/consultations/{consultation}/contributions"),
            who,
            json!({"question_id": question, "body": "Yes."}),
        )
        .await;
    }
    // Three open grants for women's organisations; the last with the
    // interest of two organisations and two awards.
    let opportunities_path = "/api/v1/regions/kent-surrey-sussex/opportunities";
    let mut opportunity = Uuid::nil();
    for title in ["Women's centres", "Family visits", "Housing advice"] {
        opportunity = created(
            app,
            opportunities_path,
            &fx.rpd_staff,
            json!({"title": title, "mechanism": "grant", "commissioner": "probation",
                   "value_band": "10k-100k", "opens_on": in_days(-1), "closes_on": in_days(30),
                   "themes": ["women"], "led_by_and_for": ["women"]}),
        )
        .await;
    }
    for who in [&fx.member, &second] {
        created(
            app,
            &format!("/api/v1/opportunities/{opportunity}/interest"),
            who,
            json!({}),
        )
        .await;
    }
    for recipient in ["Kent Women's Trust", "Sussex Family Support"] {
        created(
            app,
            &format!("/api/v1/opportunities/{opportunity}/awards"),
            &fx.rpd_staff,
            json!({"recipient_name": recipient, "amount_pence": 2_000_000}),
        )
        .await;
    }
    // The messages of what happened above, written to files.
    let mail = tempfile::tempdir().expect("a directory");
    let worker = crate::support::mail::worker(
        app,
        convene::jobs::notify::Mailer::files(mail.path()),
        Default::default(),
    );
    let pass = worker.run_once().await.expect("a delivery pass");
    assert!(pass.sent >= 2, "the lists of messages need two pages");

    World {
        fx,
        plan,
        commitment,
        meeting,
        held_meeting: held,
        action,
        issue,
        due_before: today + Duration::days(30),
        consultation,
        opportunity,
    }
}
