//! An action's page, over HTTP with plain forms: what it shows to the
//! forum's participants, the one form that logs progress and moves its
//! status (to the version the page was shown at), the search that links it
//! to the region's commitments; each refusal as the API refuses it, each
//! bad input told on its field with what was typed kept.

use axum::http::StatusCode;
use entity::{ForumRole, MembershipStatus, action_item, action_update};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::support::pages::{PageClient, csrf_token, hidden_field, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders, count, uuid};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// The region's current plan with two commitments, and an action of the
/// member's organisation serving the first, due a week ago and in
/// progress: recorded and moved through the API, as officers do.
struct Overdue {
    action: Uuid,
    housing: Uuid,
    jobs: Uuid,
}

impl Overdue {
    async fn of(app: &TestApp, fx: &ForumFixture) -> Self {
        let plan = app
            .plan(
                &fx.rpd_staff,
                "kent-surrey-sussex",
                "Reducing reoffending 2021-22",
            )
            .await;
        let housing = commitment(
            app,
            fx,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "Find housing for prison leavers",
        )
        .await;
        let jobs = commitment(
            app,
            fx,
            plan,
            "KSS-EMP-1",
            "employment-education",
            "Open jobs to people on probation",
        )
        .await;
        let due = (app.state.clock.now() - chrono::Duration::days(7)).date_naive();
        let made = app
            .post(
                &format!("/api/v1/forums/{}/actions", fx.forum),
                Some(&fx.secretary.access),
                json!({"title": "Map supported housing in Medway",
                       "description": "Every provider, with its referral route.",
                       "owner_organisation_id": fx.member_organisation,
                       "due_on": due, "commitment_ids": [housing]}),
            )
            .await;
        made.assert_status(StatusCode::CREATED);
        let action = uuid(&made.json());
        app.patch(
            &format!("/api/v1/actions/{action}"),
            Some(&fx.secretary.access),
            json!({"status": "in-progress"}),
        )
        .await
        .assert_status(StatusCode::OK);
        Self {
            action,
            housing,
            jobs,
        }
    }

    fn page(&self, fx: &ForumFixture) -> String {
        format!("/forums/{}/actions/{}", fx.forum, self.action)
    }
}

async fn commitment(
    app: &TestApp,
    fx: &ForumFixture,
    plan: Uuid,
    reference: &str,
    theme: &str,
    words: &str,
) -> Uuid {
    let made = app
        .post(
            &format!("/api/v1/plans/{plan}/commitments"),
            Some(&fx.rpd_staff.access),
            json!({"reference": reference, "theme": theme, "firmness": "specific", "text": words}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    uuid(&made.json())
}

async fn notes(app: &TestApp, action: Uuid) -> u64 {
    action_update::Entity::find()
        .filter(action_update::Column::ActionId.eq(action))
        .count(app.db())
        .await
        .expect("a count")
}

/// A person of another member organisation of the same forum.
async fn other_organisations_member(app: &TestApp, fx: &ForumFixture) -> TestUser {
    let now = app.state.clock.now();
    let person = app.user("Other Member").await;
    let organisation = builders::organisation(app.db(), "Medway Mentors", now).await;
    builders::works_for(app.db(), person.id, organisation).await;
    builders::membership(
        app.db(),
        fx.forum,
        organisation,
        MembershipStatus::Active,
        now,
    )
    .await;
    builders::role(app.db(), fx.forum, person.id, ForumRole::Member, now).await;
    person
}

#[tokio::test]
async fn a_member_organisations_worker_logs_progress_on_an_overdue_action_and_marks_it_done() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    let mut member = signed_in(&app, &fx.member).await;

    let shown = member.get(&page).await;
    shown.assert_status(StatusCode::OK);
    let html = text(&shown);
    assert!(html.contains("Map supported housing in Medway"));
    assert!(html.contains("Member&#39;s charity"), "{html}");
    assert!(html.contains("7 days overdue"), "{html}");
    assert!(html.contains("KSS-ACC-1"));
    assert!(html.contains("href=\"/regions/kent-surrey-sussex/plan\""));
    assert!(
        html.contains("value=\"done\""),
        "the moves from in progress are offered"
    );
    assert!(
        !html.contains("value=\"open\""),
        "back to open is no move it can make"
    );
    let version = hidden_field(&html, "version");
    let saved = member
        .post_raw(
            &page,
            &[
                ("csrf_token", &csrf_token(&html)),
                ("version", &version),
                ("status", "done"),
                (
                    "body",
                    "Every provider mapped; the list is with the council.",
                ),
            ],
            &[],
        )
        .await;

    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(format!("{page}?done=logged").as_str())
    );
    let after = text(&member.get(&format!("{page}?done=logged")).await);
    assert!(after.contains("Your progress has been saved"));
    assert!(after.contains("In progress to Done"), "{after}");
    assert!(after.contains("Every provider mapped; the list is with the council."));
    assert!(!after.contains("days overdue"), "done is never overdue");
    let read = app
        .get(
            &format!("/api/v1/actions/{}", action.action),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(read.json()["status"], "done");
    assert_eq!(read.json()["overdue"], false);
}

#[tokio::test]
async fn the_forums_action_list_leads_to_each_actions_page() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let mut member = signed_in(&app, &fx.member).await;

    let list = text(&member.get(&format!("/forums/{}/actions", fx.forum)).await);

    assert!(
        list.contains(&format!("href=\"{}\"", action.page(&fx))),
        "{list}"
    );
}

#[tokio::test]
async fn those_who_may_read_an_action_but_not_change_it_see_no_form_and_are_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    let other = other_organisations_member(&app, &fx).await;
    for who in [&fx.observer, &fx.rpd_staff, &other] {
        let mut browser = signed_in(&app, who).await;
        let shown = browser.get(&page).await;
        shown.assert_status(StatusCode::OK);
        let html = text(&shown);
        assert!(html.contains("Map supported housing in Medway"));
        assert!(
            !html.contains("name=\"body\""),
            "no progress form for {}",
            who.email
        );
        assert!(
            !html.contains("name=\"q\""),
            "no commitment search for {}",
            who.email
        );

        let sent = browser
            .post_raw(
                &page,
                &[
                    ("csrf_token", &csrf_token(&html)),
                    ("version", "2"),
                    ("status", "done"),
                    ("body", "Not ours to say"),
                ],
                &[],
            )
            .await;
        sent.assert_status(StatusCode::FORBIDDEN);
        let link = browser
            .post_raw(
                &format!("{page}/commitments/{}/link", action.jobs),
                &[("csrf_token", &csrf_token(&html)), ("version", "2")],
                &[],
            )
            .await;
        link.assert_status(StatusCode::FORBIDDEN);
    }
    assert_eq!(notes(&app, action.action).await, 0);
}

#[tokio::test]
async fn officers_may_change_any_action_of_their_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    for who in [&fx.secretary, &fx.chair, &fx.admin] {
        let mut browser = signed_in(&app, who).await;
        let html = text(&browser.get(&page).await);
        let sent = browser
            .post_raw(
                &page,
                &[
                    ("csrf_token", &csrf_token(&html)),
                    ("version", &hidden_field(&html, "version")),
                    ("status", ""),
                    ("body", "Chased the council again"),
                ],
                &[],
            )
            .await;
        sent.assert_status(StatusCode::SEE_OTHER);
    }
    assert_eq!(notes(&app, action.action).await, 3);
}

#[tokio::test]
async fn another_regions_member_and_outsiders_are_told_the_action_is_not_found() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    for who in [&fx.other_member, &fx.other_rpd_staff, &fx.signed_in] {
        let mut browser = signed_in(&app, who).await;
        let shown = browser.get(&page).await;
        shown.assert_status(StatusCode::NOT_FOUND);
        assert!(!text(&shown).contains("Map supported housing"));
        let token = csrf_token(&text(&browser.get("/account").await));
        let sent = browser
            .post_raw(
                &page,
                &[("csrf_token", &token), ("version", "2"), ("body", "Hello")],
                &[],
            )
            .await;
        sent.assert_status(StatusCode::NOT_FOUND);
    }
    let mut public = PageClient::new(&app);
    let asked = public.get(&page).await;
    asked.assert_status(StatusCode::SEE_OTHER);
    assert!(
        asked
            .header("location")
            .is_some_and(|l| l.starts_with("/sign-in"))
    );
    assert_eq!(notes(&app, action.action).await, 0);
}

#[tokio::test]
async fn an_action_reached_at_another_forums_address_is_not_found() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let welsh = builders::action(app.db(), fx.other_forum, "Cardiff housing", "", now).await;
    let mut admin = signed_in(&app, &fx.admin).await;

    let shown = admin
        .get(&format!("/forums/{}/actions/{welsh}", fx.forum))
        .await;

    shown.assert_status(StatusCode::NOT_FOUND);
    admin
        .get(&format!("/forums/{}/actions/{welsh}", fx.other_forum))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_stale_save_names_who_changed_the_action_and_keeps_the_note_typed() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    let mut member = signed_in(&app, &fx.member).await;
    let html = text(&member.get(&page).await);
    let read_at = hidden_field(&html, "version");
    app.patch(
        &format!("/api/v1/actions/{}", action.action),
        Some(&fx.secretary.access),
        json!({"status": "blocked"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let sent = member
        .post_raw(
            &page,
            &[
                ("csrf_token", &csrf_token(&html)),
                ("version", &read_at),
                ("status", "done"),
                ("body", "Finished the map at last"),
            ],
            &[],
        )
        .await;

    sent.assert_status(StatusCode::CONFLICT);
    let again = text(&sent);
    assert!(again.contains("Changed by Secretary at"), "{again}");
    assert!(again.contains("href=\"#their-version\""));
    assert!(again.contains("Its status now: Blocked"));
    assert!(
        again.contains(">Finished the map at last</textarea>"),
        "the note is kept"
    );
    assert_ne!(
        hidden_field(&again, "version"),
        read_at,
        "the new version is carried"
    );
    assert_eq!(notes(&app, action.action).await, 0, "nothing was saved");
}

#[tokio::test]
async fn a_move_the_action_cannot_make_is_told_on_the_status_field_with_the_note_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let open = builders::action(app.db(), fx.forum, "Write to the council", "", now).await;
    let page = format!("/forums/{}/actions/{open}", fx.forum);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let html = text(&secretary.get(&page).await);
    assert!(
        !html.contains("value=\"done\""),
        "done is not offered from open"
    );

    let sent = secretary
        .post_raw(
            &page,
            &[
                ("csrf_token", &csrf_token(&html)),
                ("version", &hidden_field(&html, "version")),
                ("status", "done"),
                ("body", "Sent the letter"),
            ],
            &[],
        )
        .await;

    sent.assert_status(StatusCode::CONFLICT);
    let again = text(&sent);
    assert!(again.contains("id=\"status-error\""), "{again}");
    assert!(again.contains("href=\"#status\""));
    assert!(again.contains(">Sent the letter</textarea>"));
    let empty = secretary
        .post_raw(
            &page,
            &[
                ("csrf_token", &csrf_token(&html)),
                ("version", &hidden_field(&html, "version")),
                ("status", "in-progress"),
                ("body", "   "),
            ],
            &[],
        )
        .await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let told = text(&empty);
    assert!(told.contains("id=\"body-error\""), "{told}");
    assert!(
        told.contains("value=\"in-progress\" checked"),
        "the status chosen is kept"
    );
    assert_eq!(notes(&app, open).await, 0);
}

#[tokio::test]
async fn a_commitment_found_by_its_words_is_linked_and_unlinked_from_the_page() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    let mut member = signed_in(&app, &fx.member).await;

    let found = text(&member.get(&format!("{page}?q=jobs+probation")).await);
    assert!(found.contains("KSS-EMP-1"), "{found}");
    let link = format!("{page}/commitments/{}/link", action.jobs);
    assert!(found.contains(&format!("action=\"{link}\"")));
    let linked = member
        .post_raw(
            &link,
            &[
                ("csrf_token", &csrf_token(&found)),
                ("version", &hidden_field(&found, "version")),
                ("q", "jobs probation"),
            ],
            &[],
        )
        .await;
    linked.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        linked.header("location"),
        Some(format!("{page}?done=linked&q=jobs+probation").as_str())
    );
    let shown = text(&member.get(&format!("{page}?q=jobs+probation")).await);
    assert!(shown.contains("The commitment has been linked") || shown.contains("KSS-EMP-1"));
    assert!(
        !shown.contains(&format!("action=\"{link}\"")),
        "linked already"
    );
    let read = app
        .get(
            &format!("/api/v1/actions/{}", action.action),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(
        read.json()["commitment_ids"].as_array().map(Vec::len),
        Some(2)
    );

    let unlink = format!("{page}/commitments/{}/unlink", action.housing);
    let unlinked = member
        .post_raw(
            &unlink,
            &[
                ("csrf_token", &csrf_token(&shown)),
                ("version", &hidden_field(&shown, "version")),
            ],
            &[],
        )
        .await;
    unlinked.assert_status(StatusCode::SEE_OTHER);
    let after = text(&member.get(&page).await);
    assert!(!after.contains("KSS-ACC-1"), "{after}");

    // A link sent from the page as it was before the unlink is stale.
    let stale = member
        .post_raw(
            &link.replace(&action.jobs.to_string(), &action.housing.to_string()),
            &[
                ("csrf_token", &csrf_token(&shown)),
                ("version", &hidden_field(&shown, "version")),
            ],
            &[],
        )
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert!(text(&stale).contains("Changed by Member"));
}

#[tokio::test]
async fn the_confidential_item_an_action_was_agreed_on_is_named_only_to_officers() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.schedule(&fx, "Spring forum", 24 * 7).await;
    let item = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.secretary.access),
            json!({"title": "Provider performance", "visibility": "officers",
                   "visibility_reason": "commercially sensitive"}),
        )
        .await;
    item.assert_status(StatusCode::CREATED);
    let now = app.state.clock.now();
    let action = builders::action(app.db(), fx.forum, "Ask for the figures", "", now).await;
    let mut row: action_item::ActiveModel = action_item::Entity::find_by_id(action)
        .one(app.db())
        .await
        .expect("a read")
        .expect("the action")
        .into();
    row.agenda_item_id = Set(Some(uuid(&item.json())));
    row.update(app.db()).await.expect("agreed on the item");
    let page = format!("/forums/{}/actions/{action}", fx.forum);

    let to_member = text(&signed_in(&app, &fx.member).await.get(&page).await);
    let to_secretary = text(&signed_in(&app, &fx.secretary).await.get(&page).await);

    assert!(!to_member.contains("Provider performance"), "{to_member}");
    assert!(to_member.contains("A confidential item, at Spring forum"));
    assert!(to_secretary.contains("Provider performance, at Spring forum"));
}

#[tokio::test]
async fn the_action_page_costs_the_same_statements_with_one_note_or_twenty() {
    let (app, recorder) = crate::explain::recorder::Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    let mut member = signed_in(&app, &fx.member).await;
    let mut counts = Vec::new();
    let mut logged = 0;
    for wanted in [1, 20] {
        while logged < wanted {
            app.post(
                &format!("/api/v1/actions/{}/updates", action.action),
                Some(&fx.member.access),
                json!({"body": format!("Note {logged}")}),
            )
            .await
            .assert_status(StatusCode::CREATED);
            logged += 1;
        }
        let (shown, statements) = recorder
            .during(member.get(&format!("{page}?q=housing")))
            .await;
        shown.assert_status(StatusCode::OK);
        counts.push(statements.len());
    }
    assert_eq!(counts[0], counts[1], "no statement per note");
    assert!(counts[0] <= 7, "{counts:?}");
}

/// Two people saving notes from pages showing one version, at once: the
/// database lets exactly one through, and the log has its one note.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_people_saving_one_version_at_once_exactly_one_is_saved() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = Overdue::of(&app, &fx).await;
    let page = action.page(&fx);
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let mut sessions = Vec::new();
    let mut version = String::new();
    for who in [&fx.member, &colleague, &fx.secretary] {
        let mut browser = signed_in(&app, who).await;
        let html = text(&browser.get(&page).await);
        version = hidden_field(&html, "version");
        let cookie = browser
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        sessions.push((cookie, csrf_token(&html)));
    }
    let served = app.serve().await;

    let statuses = served
        .race(6, |i, client, base| {
            let (cookie, token) = &sessions[i % sessions.len()];
            client
                .post(format!("{base}{page}"))
                .header("cookie", cookie)
                .header("origin", base)
                .header("accept", "text/html")
                .form(&[
                    ("csrf_token", token.as_str()),
                    ("version", version.as_str()),
                    ("status", if i % 2 == 0 { "done" } else { "" }),
                    ("body", "All providers mapped"),
                ])
        })
        .await;

    // The winner is sent on to the page (the client follows it).
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 5, "{statuses:?}");
    assert_eq!(notes(&app, action.action).await, 1);
}
