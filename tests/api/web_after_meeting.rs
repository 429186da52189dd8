//! After the meeting, in the browser over HTTP: attendance by organisation,
//! marking the meeting held, an outcome per item with the action agreed on
//! it, and the forum's actions list; who may reach each page, and what a
//! refused or stale form keeps.

use axum::http::StatusCode;
use entity::ForumRole;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::builders;
use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, uuid};

async fn item(app: &TestApp, fx: &ForumFixture, meeting: Uuid, body: Value) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    uuid(&made.json())
}

async fn hold(app: &TestApp, fx: &ForumFixture, meeting: Uuid) {
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
}

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

fn meeting_path(fx: &ForumFixture, meeting: Uuid, tail: &str) -> String {
    format!("/forums/{}/meetings/{meeting}/{tail}", fx.forum)
}

/// A held meeting with one item on its agenda.
async fn held_meeting_with_item(app: &TestApp, fx: &ForumFixture) -> (Uuid, Uuid) {
    let meeting = app.meeting(fx, "Spring forum", -3).await;
    let housing = item(app, fx, meeting, json!({"title": "Housing on release"})).await;
    hold(app, fx, meeting).await;
    (meeting, housing)
}

async fn meeting_version(app: &TestApp, fx: &ForumFixture, meeting: Uuid) -> String {
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    read.json()["version"].to_string()
}

fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[tokio::test]
async fn secretary_ticks_who_came_and_sees_the_organisations_represented() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, "attendance");

    let shown = browser.get(&path).await;
    shown.assert_status(StatusCode::OK);
    let html = text(&shown);
    assert!(
        html.contains(
            "<title>Attendance: Spring forum – KSS Voluntary Sector Forum – Convene</title>"
        ),
        "{html}"
    );
    assert!(
        html.contains("charity</legend>"),
        "grouped by organisation: {html}"
    );
    let member = fx.member.id.to_string();
    let secretary = fx.secretary.id.to_string();
    let version = meeting_version(&app, &fx, meeting).await;
    let saved = browser
        .submit(
            &path,
            &path,
            &[
                ("version", &version),
                ("attended", &member),
                ("attended", &secretary),
            ],
        )
        .await;

    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(format!("{path}?done=saved").as_str())
    );
    let html = text(&browser.get(&format!("{path}?done=saved")).await);
    assert!(
        between(&html, "id=\"represented\"", "</dd>").contains("charity"),
        "{html}"
    );
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(read.json()["attendance"]["attended"], 2);
    assert_eq!(read.json()["attendance"]["organisations_represented"], 1);
}

#[tokio::test]
async fn a_stale_attendance_list_replaces_nothing_and_shows_the_list_as_it_now_is() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, "attendance");
    let opened = meeting_version(&app, &fx, meeting).await;
    app.request_with_headers(
        axum::http::Method::PUT,
        &format!("/api/v1/meetings/{meeting}/attendance"),
        Some(&fx.chair.access),
        &[("if-match", &format!("\"{opened}\""))],
        Some(json!({"entries": [{"user_id": fx.chair.id, "attendance": "attended"}]})),
    )
    .await
    .assert_status(StatusCode::OK);
    let member = fx.member.id.to_string();

    let stale = browser
        .submit(&path, &path, &[("version", &opened), ("attended", &member)])
        .await;

    stale.assert_status(StatusCode::CONFLICT);
    let html = text(&stale);
    assert!(html.contains("Changed by Chair at"), "{html}");
    assert!(
        between(&html, "id=\"their-version\"", "</div>").contains("Chair"),
        "{html}"
    );
    assert!(
        html.contains(&format!("value=\"{member}\" checked")),
        "my ticks kept: {html}"
    );
    let now = meeting_version(&app, &fx, meeting).await;
    assert!(html.contains(&format!("name=\"version\" value=\"{now}\"")));
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(read.json()["attendance"]["attended"], 1);
}

#[tokio::test]
async fn secretary_marks_the_meeting_held_and_a_stale_page_says_who_changed_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, "attendance");
    let held = meeting_path(&fx, meeting, "held");
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.chair.access),
        json!({"title": "Spring forum (rearranged)"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let stale = browser.submit(&path, &held, &[("version", "1")]).await;

    stale.assert_status(StatusCode::CONFLICT);
    let html = text(&stale);
    assert!(html.contains("Changed by Chair at"), "{html}");
    assert!(html.contains("since you opened it"), "{html}");
    let marked = browser.submit(&path, &held, &[("version", "2")]).await;
    marked.assert_status(StatusCode::SEE_OTHER);
    let read = app
        .get(
            &format!("/api/v1/meetings/{meeting}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(read.json()["status"], "held");
}

#[tokio::test]
async fn secretary_records_an_outcome_with_an_action_that_lands_in_the_owner_s_list() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
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
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, &format!("outcomes/{housing}"));
    let owner = fx.member_organisation.to_string();
    let linked = commitment.to_string();
    let form = text(&browser.get(&path).await);
    assert!(form.contains("KSS-ACC-1"), "the plan's commitments: {form}");

    let saved = browser
        .submit(
            &path,
            &path,
            &[
                ("version", "1"),
                ("decision", "The forum asks the RPD for a housing pathway."),
                ("votes_for", "1"),
                ("votes_against", "0"),
                ("votes_abstain", "0"),
                ("title", "Map the housing pathway"),
                ("owner_organisation_id", &owner),
                ("due_on", "2031-03-27"),
            ],
        )
        .await;

    // One organisation was represented: one vote is all there can be, so
    // attendance comes first.
    saved.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&saved).contains("0 member organisations were represented"));
    let attendance = meeting_path(&fx, meeting, "attendance");
    let member = fx.member.id.to_string();
    let version = meeting_version(&app, &fx, meeting).await;
    browser
        .submit(
            &attendance,
            &attendance,
            &[("version", &version), ("attended", &member)],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let saved = browser
        .submit(
            &path,
            &path,
            &[
                ("version", "1"),
                ("decision", "The forum asks the RPD for a housing pathway."),
                ("votes_for", "1"),
                ("votes_against", "0"),
                ("votes_abstain", "0"),
                ("title", "Map the housing pathway"),
                ("owner_organisation_id", &owner),
                ("due_on", "2031-03-27"),
                ("commitment_ids", &linked),
            ],
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let actions = app
        .get(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(
        actions.json()["items"][0]["commitment_ids"],
        json!([commitment])
    );
    assert_eq!(actions.json()["items"][0]["agenda_item_id"], json!(housing));
    let outcomes = text(
        &browser
            .get(saved.header("location").unwrap_or_default())
            .await,
    );
    assert!(outcomes.contains("The forum asks the RPD for a housing pathway."));
    assert!(outcomes.contains("For: 1, against: 0, abstained: 0"));

    let mut member_browser = signed_in(&app, &fx.member).await;
    let list = member_browser
        .get(&format!("/forums/{}/actions?owner={owner}", fx.forum))
        .await;
    list.assert_status(StatusCode::OK);
    let html = text(&list);
    assert!(html.contains("Map the housing pathway"), "{html}");
    assert!(html.contains("27 March 2031"), "{html}");
}

#[tokio::test]
async fn an_item_not_reached_is_carried_over_without_an_outcome() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, &format!("outcomes/{housing}"));

    let saved = browser
        .submit(&path, &path, &[("version", "1"), ("carried_over", "yes")])
        .await;

    saved.assert_status(StatusCode::SEE_OTHER);
    let read = app
        .get(
            &format!("/api/v1/agenda-items/{housing}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(read.json()["carried_over"], true);
    assert_eq!(read.json()["outcome"], Value::Null);
    let outcomes = text(&browser.get(&meeting_path(&fx, meeting, "outcomes")).await);
    assert!(outcomes.contains("Carried over"));
}

#[tokio::test]
async fn an_action_with_no_owner_or_a_bad_due_date_is_refused_and_what_was_typed_is_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, &format!("outcomes/{housing}"));

    let bad_date = browser
        .submit(
            &path,
            &path,
            &[
                ("version", "1"),
                ("decision", "Noted the update on housing."),
                ("title", "Write to the council"),
                ("due_on", "2031-02-30"),
            ],
        )
        .await;

    bad_date.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&bad_date);
    assert!(html.contains("Due date must be a real date"), "{html}");
    assert!(html.contains("Noted the update on housing."));
    assert!(html.contains("value=\"Write to the council\""));
    assert!(html.contains("value=\"2031-02-30\""));
    assert!(html.contains("<title>Error: Outcome: Housing on release"));

    let no_owner = browser
        .submit(
            &path,
            &path,
            &[
                ("version", "1"),
                ("decision", "Noted the update on housing."),
                ("title", "Write to the council"),
            ],
        )
        .await;

    no_owner.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&no_owner);
    assert!(html.contains("Owner organisation is required"), "{html}");
    assert!(html.contains("href=\"#owner_organisation_id\""), "{html}");
    assert!(html.contains("value=\"Write to the council\""));
    assert!(html.contains("Noted the update on housing."));
    // Nothing was saved: the form goes back with the version it came with.
    assert!(html.contains("name=\"version\" value=\"1\""), "{html}");
    assert_nothing_saved(&app, &fx, housing).await;
}

/// The item as it was before any outcome, and no action made.
async fn assert_nothing_saved(app: &TestApp, fx: &ForumFixture, housing: Uuid) {
    let read = app
        .get(
            &format!("/api/v1/agenda-items/{housing}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(read.header("etag"), Some("\"1\""));
    assert_eq!(read.json()["outcome"], Value::Null);
    assert_eq!(read.json()["carried_over"], false);
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(listed.json()["items"], json!([]));
}

#[tokio::test]
async fn an_outcome_with_a_bad_action_saves_nothing_and_names_every_wrong_field_at_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, &format!("outcomes/{housing}"));
    let owner = fx.member_organisation.to_string();

    // No organisation was represented, so one vote is one too many; and
    // the action is due years before the meeting that agreed it.
    let refused = browser
        .submit(
            &path,
            &path,
            &[
                ("version", "1"),
                ("decision", "The forum asks the RPD for a housing pathway."),
                ("votes_for", "1"),
                ("carried_over", "yes"),
                ("title", "Map the housing pathway"),
                ("description", "Beds, by district."),
                ("owner_organisation_id", &owner),
                ("due_on", "2020-01-31"),
            ],
        )
        .await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(
        html.contains("0 member organisations were represented"),
        "{html}"
    );
    assert!(html.contains("href=\"#votes_for\""), "{html}");
    assert!(
        html.contains("Due date must not be before the meeting"),
        "{html}"
    );
    assert!(html.contains("href=\"#due_on\""), "{html}");
    assert!(html.contains("The forum asks the RPD for a housing pathway."));
    assert!(html.contains("value=\"Map the housing pathway\""));
    assert!(html.contains("Beds, by district."));
    assert!(html.contains("value=\"2020-01-31\""));
    assert!(
        html.contains(&format!("value=\"{owner}\" selected")),
        "{html}"
    );
    assert!(html.contains("value=\"yes\" checked"), "{html}");
    assert!(html.contains("name=\"version\" value=\"1\""), "{html}");
    assert_nothing_saved(&app, &fx, housing).await;
}

#[tokio::test]
async fn a_stale_outcome_is_not_saved_and_shows_both_versions_to_merge() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    let path = meeting_path(&fx, meeting, &format!("outcomes/{housing}"));
    app.request_with_headers(
        axum::http::Method::PUT,
        &format!("/api/v1/agenda-items/{housing}/outcome"),
        Some(&fx.chair.access),
        &[("if-match", "\"1\"")],
        Some(json!({"decision": "Chair's words: agreed in principle."})),
    )
    .await
    .assert_status(StatusCode::OK);

    let stale = browser
        .submit(
            &path,
            &path,
            &[("version", "1"), ("decision", "My own words.")],
        )
        .await;

    stale.assert_status(StatusCode::CONFLICT);
    let html = text(&stale);
    assert!(html.contains("Changed by Chair at"), "{html}");
    assert!(html.contains("agreed in principle."), "their text: {html}");
    assert!(html.contains("My own words."), "mine: {html}");
    assert!(html.contains("name=\"version\" value=\"2\""), "{html}");
    let read = app
        .get(
            &format!("/api/v1/agenda-items/{housing}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert!(
        read.json()["outcome"]["decision"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Chair")
    );
}

#[tokio::test]
async fn members_observers_and_rpd_staff_get_the_403_page_on_the_officers_pages() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    for who in [&fx.member, &fx.observer, &fx.rpd_staff] {
        let mut browser = signed_in(&app, who).await;
        for tail in ["attendance", "outcomes", &format!("outcomes/{housing}")] {
            let path = meeting_path(&fx, meeting, tail);
            browser
                .get(&path)
                .await
                .assert_status(StatusCode::FORBIDDEN);
        }
        let forum = format!("/forums/{}", fx.forum);
        let posted = browser
            .submit(
                &forum,
                &meeting_path(&fx, meeting, &format!("outcomes/{housing}")),
                &[("version", "1"), ("decision", "Not mine to record")],
            )
            .await;
        posted.assert_status(StatusCode::FORBIDDEN);
        let posted = browser
            .submit(&forum, &meeting_path(&fx, meeting, "attendance"), &[])
            .await;
        posted.assert_status(StatusCode::FORBIDDEN);
    }
    let read = app
        .get(
            &format!("/api/v1/agenda-items/{housing}"),
            Some(&fx.secretary.access),
        )
        .await;
    assert_eq!(read.json()["outcome"], Value::Null);
}

#[tokio::test]
async fn another_region_s_secretary_finds_nothing_and_the_signed_out_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    let welsh = app.user("Welsh Secretary").await;
    let now = app.state.clock.now();
    builders::role(
        app.db(),
        fx.other_forum,
        welsh.id,
        ForumRole::Secretary,
        now,
    )
    .await;
    let mut browser = signed_in(&app, &welsh).await;
    let paths = [
        meeting_path(&fx, meeting, "attendance"),
        meeting_path(&fx, meeting, "outcomes"),
        meeting_path(&fx, meeting, &format!("outcomes/{housing}")),
        // Kent's meeting at Wales's address is not there either.
        format!("/forums/{}/meetings/{meeting}/outcomes", fx.other_forum),
    ];
    for path in &paths {
        browser.get(path).await.assert_status(StatusCode::NOT_FOUND);
    }
    browser
        .get(&format!("/forums/{}/actions", fx.forum))
        .await
        .assert_status(StatusCode::FORBIDDEN);

    let mut nobody = PageClient::new(&app);
    for path in &paths[..3] {
        let sent = nobody.get(path).await;
        sent.assert_status(StatusCode::SEE_OTHER);
        assert_eq!(
            sent.header("location"),
            Some(format!("/sign-in?next={path}").as_str())
        );
    }
}

#[tokio::test]
async fn a_member_sees_the_actions_but_never_an_officers_only_item_s_text() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let secret = item(
        &app,
        &fx,
        meeting,
        json!({"title": "Redundancies at Kent Mentoring Trust", "visibility": "officers",
               "visibility_reason": "staffing matter"}),
    )
    .await;
    hold(&app, &fx, meeting).await;
    app.post(
        &format!("/api/v1/agenda-items/{secret}/actions"),
        Some(&fx.secretary.access),
        json!({"title": "Offer the trust's clients other mentors",
               "owner_organisation_id": fx.member_organisation}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let mut browser = signed_in(&app, &fx.member).await;

    let list = browser.get(&format!("/forums/{}/actions", fx.forum)).await;

    list.assert_status(StatusCode::OK);
    let html = text(&list);
    assert!(html.contains("Offer the trust"), "{html}");
    assert!(!html.contains("Redundancies"), "{html}");
    assert!(!html.contains("Kent Mentoring Trust"), "{html}");
}

#[tokio::test]
async fn the_actions_list_goes_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    for n in 0..27 {
        builders::action(
            app.db(),
            fx.forum,
            &format!("Action number {n:02}"),
            "",
            now,
        )
        .await;
    }
    let mut browser = signed_in(&app, &fx.member).await;

    let first = text(&browser.get(&format!("/forums/{}/actions", fx.forum)).await);

    let next = between(&first, "rel=\"next\"", ">");
    let href = first
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("cursor="))
        .unwrap_or_else(|| panic!("no next page in {first} ({next})"))
        .replace("&#38;", "&");
    let second = text(&browser.get(&href).await);
    assert!(second.contains("First page"), "{href}: {second}");
    assert_eq!(second.matches("Action number").count(), 2);
    assert_eq!(first.matches("Action number").count(), 25);
}

#[tokio::test]
async fn the_after_meeting_pages_cost_a_bounded_number_of_statements() {
    let (app, recorder) = crate::explain::recorder::Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let (meeting, housing) = held_meeting_with_item(&app, &fx).await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    app.commitment(
        &fx.rpd_staff,
        plan,
        "KSS-ACC-1",
        "accommodation",
        "specific",
    )
    .await;
    let mut browser = signed_in(&app, &fx.secretary).await;
    // The session, the meeting and the caller's access, then the page's
    // own reads; the outcome form's include the forum's member
    // organisations (one statement) and its region's current plan's
    // commitments.
    let pages = [
        (meeting_path(&fx, meeting, "attendance"), 9),
        (meeting_path(&fx, meeting, "outcomes"), 7),
        (
            meeting_path(&fx, meeting, &format!("outcomes/{housing}")),
            14,
        ),
        (format!("/forums/{}/actions", fx.forum), 5),
    ];
    for (path, most) in pages {
        let (response, statements) = recorder.during(browser.get(&path)).await;
        response.assert_status(StatusCode::OK);
        eprintln!("{path}: {} statements", statements.len());
        assert!(
            statements.len() <= most,
            "{path} ran {} statements:\n{}",
            statements.len(),
            statements
                .iter()
                .map(|s| s.sql.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
