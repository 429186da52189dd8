//! Search (`?q=`) with each database's own full-text engine: stemmed words,
//! best match first, keyset-paged, within what the caller may read.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::{ForumFixture, TestApp, TestUser};

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str().map(str::to_string))
        .collect()
}

/// An action to be found, written straight to the database (the search
/// index follows the table by its triggers).
async fn action(app: &TestApp, forum: uuid::Uuid, title: &str, description: &str) {
    let now = app.state.clock.now();
    crate::support::builders::action(app.db(), forum, title, description, now).await;
}

#[tokio::test]
async fn actions_are_searched_by_their_words_best_match_first() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    for (title, description) in [
        (
            "Housing on release",
            "Map housing providers for people leaving prison.",
        ),
        (
            "Employment fair",
            "A fair with local employers; housing stall.",
        ),
        ("Women's centre referrals", "Referral routes for women."),
        ("Accommodation audit", "Audit of approved premises."),
    ] {
        action(&app, fx.forum, title, description).await;
    }
    // Another forum's action is never a hit.
    let (_, other_forum) = other_forum(&app, &fx).await;
    action(&app, other_forum, "Housing elsewhere", "housing").await;

    let path = format!("/api/v1/forums/{}/actions", fx.forum);
    let found = app
        .get(&format!("{path}?q=housed"), Some(&fx.member.access))
        .await;
    found.assert_status(StatusCode::OK);
    // Stemmed ("housed" finds "housing"), the title-and-text match first.
    assert_eq!(
        titles(&found.json()),
        ["Housing on release", "Employment fair"]
    );
    // As people type: the last word is also a prefix.
    let typed = app
        .get(&format!("{path}?q=women%20refer"), Some(&fx.member.access))
        .await;
    assert_eq!(titles(&typed.json()), ["Women's centre referrals"]);

    // Keyset pages in the same order.
    let first = app
        .get(
            &format!("{path}?q=housing&limit=1"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = app
        .get(
            &format!("{path}?q=housing&limit=1&cursor={cursor}"),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(
        [titles(&first), titles(&second)].concat(),
        ["Housing on release", "Employment fair"]
    );
    assert!(second["next_cursor"].is_null());

    // Filters still apply; the CSV export has the matching rows.
    let csv = app
        .get_csv(&format!("{path}?q=housing"), Some(&fx.member.access))
        .await;
    let text = String::from_utf8_lossy(&csv.body).to_string();
    assert_eq!(text.lines().count(), 3, "{text}");
    // Operators and quotes are not syntax; a search with no words is no
    // search, and an overlong one is 422.
    let odd = app
        .get(
            &format!("{path}?q=%22housing%20OR%20NEAR(audit"),
            Some(&fx.member.access),
        )
        .await;
    odd.assert_status(StatusCode::OK);
    let none = app
        .get(&format!("{path}?q=%22%22"), Some(&fx.member.access))
        .await;
    assert_eq!(titles(&none.json()).len(), 4);
    let long = app
        .get(
            &format!("{path}?q={}", "housing%20".repeat(30)),
            Some(&fx.member.access),
        )
        .await;
    long.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.invalid_fields(), ["q"]);
    // Outside the forum, nothing.
    app.get(&format!("{path}?q=housing"), Some(&fx.other_member.access))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
}

/// A forum of another region, with its secretary.
async fn other_forum(app: &TestApp, fx: &ForumFixture) -> (TestUser, uuid::Uuid) {
    let secretary = app.user("Other secretary").await;
    app.put_role(&fx.admin, fx.other_forum, secretary.id, "secretary")
        .await
        .assert_status(StatusCode::CREATED);
    (secretary, fx.other_forum)
}

#[tokio::test]
async fn issues_commitments_and_meetings_are_searched_by_their_words() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    for (title, body) in [
        (
            "Prison leavers released on Fridays",
            "They cannot reach housing teams.",
        ),
        (
            "Translation for Welsh speakers",
            "Letters arrive in English only.",
        ),
    ] {
        app.post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": title, "body": body}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    let issues = app
        .get(
            &format!("/api/v1/forums/{}/issues?q=friday%20release", fx.forum),
            Some(&fx.member.access),
        )
        .await;
    issues.assert_status(StatusCode::OK);
    assert_eq!(
        titles(&issues.json()),
        ["Prison leavers released on Fridays"]
    );

    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "2021-22 plan")
        .await;
    for (reference, text) in [
        ("ACC-1", "Accommodation for everyone leaving prison"),
        ("EMP-1", "Employment support through the voluntary sector"),
    ] {
        app.post(
            &format!("/api/v1/plans/{plan}/commitments"),
            Some(&fx.rpd_staff.access),
            json!({"reference": reference, "theme": "accommodation", "firmness": "specific", "text": text}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    // The plan is public, and so is its search.
    let commitments = app
        .get(
            &format!("/api/v1/plans/{plan}/commitments?q=voluntary"),
            None,
        )
        .await
        .json();
    let references: Vec<&str> = commitments["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["reference"].as_str())
        .collect();
    assert_eq!(references, ["EMP-1"]);

    app.meeting(&fx, "Housing summit", 48).await;
    app.meeting(&fx, "Quarterly forum", 72).await;
    let meetings = app
        .get(
            &format!("/api/v1/forums/{}/meetings?q=summit", fx.forum),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(titles(&meetings), ["Housing summit"]);
    app.get(
        &format!("/api/v1/forums/{}/meetings?q=summit", fx.forum),
        Some(&fx.other_member.access),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_confidential_section_is_never_a_hit_for_whoever_may_not_read_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let written = app
        .request(
            axum::http::Method::PUT,
            &format!("/api/v1/meetings/{meeting}/minutes"),
            Some(&fx.secretary.access),
            Some(json!({"sections": [
                {"heading": "Welcome", "body": "The chair welcomed the members."},
                {"heading": "Named case", "body": "Mr Bramley's tenancy.",
                 "visibility": "participants", "visibility_reason": "personal information"},
                {"heading": "Contract dispute", "body": "The settlement terms were agreed.",
                 "visibility": "officers", "visibility_reason": "legal advice"},
            ]})),
        )
        .await;
    written.assert_status(StatusCode::CREATED);
    let path = format!("/api/v1/forums/{}/minutes", fx.forum);
    let hits = |who: Option<&TestUser>, q: &'static str| {
        let app = &app;
        let path = path.clone();
        let token = who.map(|w| w.access.clone());
        async move {
            let found = app.get(&format!("{path}?q={q}"), token.as_deref()).await;
            found.assert_status(StatusCode::OK);
            found.json()["items"].as_array().map(Vec::len).unwrap_or(0)
        }
    };
    // Draft minutes are nobody's hit.
    assert_eq!(hits(Some(&fx.secretary), "welcomed").await, 0);
    app.post(
        &format!("/api/v1/meetings/{meeting}/minutes/approve"),
        Some(&fx.chair.access),
        json!({}),
    )
    .await
    .assert_status(StatusCode::OK);

    for (who, welcome, named, settlement) in [
        (None, 1, 0, 0),
        (Some(&fx.signed_in), 1, 0, 0),
        (Some(&fx.other_member), 1, 0, 0),
        (Some(&fx.member), 1, 1, 0),
        (Some(&fx.rpd_staff), 1, 1, 0),
        (Some(&fx.secretary), 1, 1, 1),
        (Some(&fx.admin), 1, 1, 1),
    ] {
        let name = who.map_or("the public", |w| w.email.as_str());
        assert_eq!(hits(who, "welcomed").await, welcome, "{name}");
        assert_eq!(hits(who, "bramley").await, named, "{name}");
        assert_eq!(hits(who, "settlement%20terms").await, settlement, "{name}");
    }
    let found = app
        .get(&format!("{path}?q=settlement"), Some(&fx.secretary.access))
        .await;
    assert_eq!(found.json()["items"][0]["meeting_id"], meeting.to_string());
}

#[tokio::test]
async fn each_search_is_answered_by_its_database_s_full_text_index() {
    use convene::search::{Corpus, Terms, matches};
    use sea_orm::sea_query::{Alias, Expr, Query};
    use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};

    let app = TestApp::spawn().await;
    let backend = app.db().get_database_backend();
    let terms = Terms::parse("housing").expect("words");
    for corpus in [
        Corpus::Actions,
        Corpus::Issues,
        Corpus::Commitments,
        Corpus::Meetings,
        Corpus::MinutesSections,
    ] {
        let table = corpus.table();
        let select = Query::select()
            .expr(Expr::cust("1"))
            .from(Alias::new(table))
            .and_where(matches(backend, corpus, &terms))
            .to_owned();
        let statement = backend.build(&select);
        let txn = app.db().begin().await.expect("a transaction");
        let (explain, expected) = match backend {
            DbBackend::Postgres => {
                // Told to avoid scanning the table, the planner uses the
                // index if (and only if) the query's document is the index's.
                txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                    .await
                    .expect("a setting");
                ("EXPLAIN ", format!("idx_{table}_search"))
            }
            _ => (
                "EXPLAIN QUERY PLAN ",
                format!("{table}_search VIRTUAL TABLE"),
            ),
        };
        let plan = txn
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                format!("{explain}{}", statement.sql),
                statement.values.map(|v| v.0).unwrap_or_default(),
            ))
            .await
            .expect("a plan");
        let text: Vec<String> = plan
            .iter()
            .filter_map(|row| {
                row.try_get_by_index::<String>(0)
                    .or_else(|_| row.try_get_by_index::<String>(3))
                    .ok()
            })
            .collect();
        assert!(
            text.iter().any(|line| line.contains(&expected)),
            "{table}: {text:?}"
        );
    }
}
