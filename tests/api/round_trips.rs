//! What a request costs in round trips to the database: the caller comes from
//! one statement, their access to a forum from one more, then the page, with
//! what it links to read in the page's own statement where it can be.
//! Counted from the application's own connection.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use convene::auth::sessions;
use convene::kernel::access::AuthUser;
use convene::kernel::access::require_plan_editor;
use entity::{ForumRole, MembershipStatus, region, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::explain::recorder::Recorder;
use crate::support::{TestApp, TestUser, builders};

fn listing(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(|s| s.sql.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_page_of_fifty_from_a_participants_list_costs_four_statements_at_most() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
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
    let today = app.state.clock.now().date_naive();
    for n in 0..55 {
        app.post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": format!("Action {n}"), "due_on": today + Duration::days(n % 9),
                   "commitment_ids": [commitment]}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    for title in ["Housing", "Debt", "Transport"] {
        app.post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": title, "body": "Details", "commitment_ids": [commitment]}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    for hours in [24, 48, 72] {
        app.meeting(&fx, "Forum meeting", hours).await;
    }

    // Actions and issues read their commitment links in the page's own
    // statement: caller, access, page.
    for (list, items, most) in [("actions", 50, 3), ("issues", 3, 3), ("meetings", 3, 4)] {
        let path = format!("/api/v1/forums/{}/{list}?limit=50", fx.forum);
        let (response, statements) = recorder
            .during(app.get(&path, Some(&fx.secretary.access)))
            .await;

        response.assert_status(StatusCode::OK);
        assert_eq!(
            response.json()["items"].as_array().map(Vec::len),
            Some(items)
        );
        if list != "meetings" {
            for item in response.json()["items"].as_array().into_iter().flatten() {
                assert_eq!(
                    item["commitment_ids"],
                    json!([commitment]),
                    "{path}: {item}"
                );
            }
        }
        assert!(
            statements.len() <= most,
            "{path} ran {} statements:\n{}",
            statements.len(),
            listing(&statements)
        );
    }
}

#[tokio::test]
async fn whether_one_may_keep_a_plan_is_one_statement() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let region = region::Entity::find()
        .filter(region::Column::Code.eq("kent-surrey-sussex"))
        .one(app.db())
        .await
        .expect("query")
        .expect("the region")
        .id;

    for (person, allowed) in [(&fx.rpd_staff, true), (&fx.other_rpd_staff, false)] {
        let caller = AuthUser {
            user: user::Entity::find_by_id(person.id)
                .one(app.db())
                .await
                .expect("query")
                .expect("the person"),
            session_id: Uuid::nil(),
        };
        let (decided, statements) = recorder
            .during(require_plan_editor(app.db(), region, Some(&caller)))
            .await;

        assert_eq!(decided.is_ok(), allowed);
        assert_eq!(statements.len(), 1, "{}", listing(&statements));
    }
}

/// The caller's token, with the session it names.
fn session_of(app: &TestApp, person: &TestUser) -> Uuid {
    app.state
        .tokens
        .verify(&person.access)
        .expect("a valid token")
        .sid
}

#[tokio::test]
async fn the_one_query_for_the_caller_refuses_what_the_session_and_account_refuse() {
    let (app, recorder) = Recorder::spawn().await;
    let alice = app.user("Alice").await;
    let bob = app.user("Bob").await;
    let carol = app.user("Carol").await;
    let now = app.state.clock.now();
    let me = |token: String| {
        let app = &app;
        async move { app.get("/api/v1/me", Some(&token)).await }
    };

    let (fine, statements) = recorder.during(me(alice.access.clone())).await;
    fine.assert_status(StatusCode::OK);
    assert!(
        statements
            .first()
            .is_some_and(|s| s.sql.contains("sessions")),
        "the caller comes from users joined to sessions:\n{}",
        listing(&statements)
    );

    // A token naming someone else's live session.
    let borrowed = app
        .state
        .tokens
        .issue(alice.id, session_of(&app, &bob), now)
        .expect("a token");
    me(borrowed).await.assert_problem(StatusCode::UNAUTHORIZED);

    // A revoked session.
    sessions::revoke(
        app.db(),
        session_of(&app, &bob),
        sessions::REASON_LOGOUT,
        now,
    )
    .await
    .expect("revoke");
    me(bob.access.clone())
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);

    // A disabled account whose session was left live.
    user::Entity::update_many()
        .col_expr(user::Column::Disabled, Expr::value(true))
        .filter(user::Column::Id.eq(carol.id))
        .exec(app.db())
        .await
        .expect("disable");
    me(carol.access.clone())
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_home_page_costs_three_statements_whatever_the_regions() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    for hours in [24, 48] {
        app.meeting(&fx, "Forum meeting", hours).await;
    }

    let (response, statements) = recorder.during(app.get("/", None)).await;

    response.assert_status(StatusCode::OK);
    assert!(
        statements.len() <= 3,
        "the home page ran {} statements:\n{}",
        statements.len(),
        listing(&statements)
    );
}

/// A region's and a forum's pages, as the public reads them, on the demo
/// data: each at most four statements, whatever the region's history.
#[tokio::test]
async fn the_region_and_forum_pages_cost_four_statements_at_most() {
    let (app, recorder) = Recorder::spawn().await;
    convene::demo::seed(app.db(), app.state.clock.now())
        .await
        .expect("the demo data");
    let forum = entity::forum::Entity::find()
        .one(app.db())
        .await
        .expect("query")
        .expect("a forum");
    let region = region::Entity::find_by_id(forum.region_id)
        .one(app.db())
        .await
        .expect("query")
        .expect("its region");

    for path in [
        format!("/regions/{}", region.code),
        format!("/regions/{}?status=open&mechanism=grant", region.code),
        format!("/regions/{}/plan", region.code),
        format!("/forums/{}", forum.id),
    ] {
        let (response, statements) = recorder
            .during(app.request_with_headers(
                axum::http::Method::GET,
                &path,
                None,
                &[("accept", "text/html")],
                None,
            ))
            .await;

        response.assert_status(StatusCode::OK);
        assert!(
            statements.len() <= 4,
            "{path} ran {} statements:\n{}",
            statements.len(),
            listing(&statements)
        );
    }
}

/// Six people of six member organisations, each owning an action with an
/// update, raising an issue the RPD's team answers, proposing an agenda
/// item, answering a meeting's invitation and receiving an award: every
/// list that names them reads their names in its own statements, so what
/// it costs does not grow with the people it names.
#[tokio::test]
async fn lists_that_name_people_cost_the_same_however_many_they_name() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let meeting = app.meeting(&fx, "Forum meeting", 48).await;
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let commitment = app
        .commitment(&fx.rpd_staff, plan, "KSS-ACC-1", "accommodation", "general")
        .await;
    let opportunity = app
        .post(
            "/api/v1/regions/kent-surrey-sussex/opportunities",
            Some(&fx.rpd_staff.access),
            json!({"title": "Women's centre services", "description": "Support.",
                   "mechanism": "grant", "commissioner": "probation",
                   "value_band": "10k-100k", "opens_on": "2020-01-01",
                   "closes_on": "2020-02-01"}),
        )
        .await;
    opportunity.assert_status(StatusCode::CREATED);
    let opportunity = opportunity.json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (mut action, mut issue) = (String::new(), String::new());
    for n in 0..6 {
        let organisation = builders::organisation(app.db(), &format!("Charity {n}"), now).await;
        builders::membership(
            app.db(),
            fx.forum,
            organisation,
            MembershipStatus::Active,
            now,
        )
        .await;
        let person = app.user(&format!("Person {n}")).await;
        builders::works_for(app.db(), person.id, organisation).await;
        builders::role(app.db(), fx.forum, person.id, ForumRole::Member, now).await;
        let made = |path: String, by: &str, body: Value| {
            let app = &app;
            let by = by.to_string();
            async move {
                let response = app.post(&path, Some(&by), body).await;
                response.assert_status(StatusCode::CREATED);
                response.json()["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            }
        };
        action = made(
            format!("/api/v1/forums/{}/actions", fx.forum),
            &fx.secretary.access,
            json!({"title": format!("Action {n}"), "owner_organisation_id": organisation,
                   "owner_user_id": person.id}),
        )
        .await;
        made(
            format!("/api/v1/actions/{action}/updates"),
            &person.access,
            json!({"body": format!("Update {n}")}),
        )
        .await;
        issue = made(
            format!("/api/v1/forums/{}/issues", fx.forum),
            &person.access,
            json!({"title": format!("Issue {n}"), "body": "Details"}),
        )
        .await;
        made(
            format!("/api/v1/issues/{issue}/responses"),
            &fx.rpd_staff.access,
            json!({"body": format!("Answer {n}")}),
        )
        .await;
        made(
            format!("/api/v1/meetings/{meeting}/agenda-items"),
            &person.access,
            json!({"title": format!("Item {n}")}),
        )
        .await;
        app.request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/rsvp"),
            Some(&person.access),
            Some(json!({"response": "yes"})),
        )
        .await
        .assert_status(StatusCode::OK);
        made(
            format!("/api/v1/opportunities/{opportunity}/awards"),
            &fx.rpd_staff.access,
            json!({"organisation_id": organisation, "amount_pence": 100_000 + n}),
        )
        .await;
        let status = if n % 2 == 0 {
            "in-progress"
        } else {
            "not-started"
        };
        app.patch(
            &format!("/api/v1/commitments/{commitment}"),
            Some(&fx.rpd_staff.access),
            json!({"status": status, "status_note": format!("Move {n}")}),
        )
        .await
        .assert_status(StatusCode::OK);
    }

    // The caller and their access to the forum (or, for a region's records,
    // whether they take part in its forum), then the page with its names,
    // and what else it shows beside: links, counts, lists.
    let mut too_many = Vec::new();
    for (path, most) in [
        (format!("/api/v1/forums/{}/actions", fx.forum), 3),
        (format!("/api/v1/forums/{}/issues", fx.forum), 3),
        (format!("/api/v1/actions/{action}/updates"), 4),
        (format!("/api/v1/issues/{issue}/responses"), 4),
        (format!("/api/v1/issues/{issue}"), 5),
        (format!("/api/v1/meetings/{meeting}/agenda-items"), 5),
        (format!("/api/v1/meetings/{meeting}/rsvps"), 6),
        (format!("/api/v1/forums/{}/roles", fx.forum), 4),
        (format!("/api/v1/audit?forum_id={}", fx.forum), 3),
        (format!("/api/v1/commitments/{commitment}/history"), 4),
        (format!("/api/v1/opportunities/{opportunity}/awards"), 5),
        (format!("/api/v1/opportunities/{opportunity}"), 9),
        (
            "/api/v1/regions/kent-surrey-sussex/opportunities".to_string(),
            7,
        ),
    ] {
        let (response, statements) = recorder
            .during(app.get(&path, Some(&fx.secretary.access)))
            .await;

        response.assert_status(StatusCode::OK);
        let body = response.json().to_string();
        assert!(
            body.contains("Person 5") || body.contains("Charity 5") || body.contains("Rpd"),
            "{path} names them: {body}"
        );
        if statements.len() > most {
            too_many.push(format!(
                "{path} ran {} statements:\n{}",
                statements.len(),
                listing(&statements)
            ));
        }
    }
    // The public is shown no one's name, so is not asked whether it takes
    // part: the region's records cost it what they did before names.
    for (path, most) in [
        (format!("/api/v1/commitments/{commitment}/history"), 2),
        (format!("/api/v1/opportunities/{opportunity}/awards"), 3),
        (format!("/api/v1/opportunities/{opportunity}"), 7),
        (
            "/api/v1/regions/kent-surrey-sussex/opportunities".to_string(),
            5,
        ),
    ] {
        let (response, statements) = recorder.during(app.get(&path, None)).await;

        response.assert_status(StatusCode::OK);
        if statements.len() > most {
            too_many.push(format!(
                "{path} ran {} statements for the public:\n{}",
                statements.len(),
                listing(&statements)
            ));
        }
    }
    assert!(too_many.is_empty(), "{}", too_many.join("\n\n"));
}
