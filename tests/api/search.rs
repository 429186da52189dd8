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

async fn action(app: &TestApp, by: &TestUser, forum: uuid::Uuid, title: &str, description: &str) {
    app.post(
        &format!("/api/v1/forums/{forum}/actions"),
        Some(&by.access),
        json!({"title": title, "description": description}),
    )
    .await
    .assert_status(StatusCode::CREATED);
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
        action(&app, &fx.secretary, fx.forum, title, description).await;
    }
    // Another forum's action is never a hit.
    let (other_secretary, other_forum) = other_forum(&app, &fx).await;
    action(
        &app,
        &other_secretary,
        other_forum,
        "Housing elsewhere",
        "housing",
    )
    .await;

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
    // Operators and quotes are words, not syntax; no words at all is 422.
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
    none.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(none.invalid_fields(), ["q"]);
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
