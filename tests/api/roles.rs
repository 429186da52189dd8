use axum::http::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::support::TestApp;

#[tokio::test]
async fn a_member_must_belong_to_an_active_member_organisation() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (applicant, _) = app.organisation_member("Applicant").await;
    app.post(
        &format!("/api/v1/forums/{}/memberships", fx.forum),
        Some(&applicant.access),
        json!({"statement": "Hi"}),
    )
    .await;

    let no_organisation = app
        .put_role(&fx.secretary, fx.forum, fx.signed_in.id, "member")
        .await;
    let only_applied = app
        .put_role(&fx.secretary, fx.forum, applicant.id, "member")
        .await;
    let other_forums_member = app
        .put_role(&fx.secretary, fx.forum, fx.other_member.id, "member")
        .await;

    assert_eq!(no_organisation.invalid_fields(), ["role"]);
    assert_eq!(only_applied.invalid_fields(), ["role"]);
    assert_eq!(other_forums_member.invalid_fields(), ["role"]);
}

#[tokio::test]
async fn a_person_holds_one_role_per_forum_and_may_take_part_in_several() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let changed = app
        .put_role(&fx.secretary, fx.forum, fx.member.id, "observer")
        .await;
    let elsewhere = app
        .put_role(&fx.admin, fx.other_forum, fx.member.id, "observer")
        .await;

    changed.assert_status(StatusCode::OK);
    assert_eq!(changed.json()["role"], "observer");
    elsewhere.assert_status(StatusCode::CREATED);
    let roles = app
        .get(
            &format!("/api/v1/forums/{}/roles", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let mine: Vec<_> = roles["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["user_id"] == json!(fx.member.id))
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["role"], "observer");
    assert_eq!(mine[0]["display_name"], "Member");
    app.get(
        &format!("/api/v1/forums/{}/roles", fx.other_forum),
        Some(&fx.member.access),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_secretary_cannot_change_or_remove_an_officers_role() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.chair.id);

    app.put_role(&fx.secretary, fx.forum, fx.chair.id, "observer")
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.request(Method::DELETE, &path, Some(&fx.secretary.access), None)
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    app.put_role(&fx.secretary, fx.forum, fx.rpd_staff.id, "member")
        .await
        .assert_problem(StatusCode::FORBIDDEN);

    let roles = app
        .get(
            &format!("/api/v1/forums/{}/roles?role=chair", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(roles["items"][0]["user_id"], json!(fx.chair.id));
}

#[tokio::test]
async fn roles_of_unknown_people_or_forums_are_404() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    app.put_role(&fx.secretary, fx.forum, Uuid::now_v7(), "observer")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.put_role(&fx.admin, Uuid::now_v7(), fx.member.id, "observer")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.request(
        Method::DELETE,
        &format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.signed_in.id),
        Some(&fx.secretary.access),
        None,
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unknown_role_is_422() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let response = app
        .put_role(&fx.admin, fx.forum, fx.signed_in.id, "president")
        .await;

    assert_eq!(response.invalid_fields(), ["role"]);
}

#[tokio::test]
async fn roles_are_listed_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let first = app
        .get(
            &format!("/api/v1/forums/{}/roles?limit=3", fx.forum),
            Some(&fx.chair.access),
        )
        .await
        .json();
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = app
        .get(
            &format!("/api/v1/forums/{}/roles?limit=3&cursor={cursor}", fx.forum),
            Some(&fx.chair.access),
        )
        .await
        .json();

    // Member, observer, secretary, chair and RPD staff.
    assert_eq!(first["items"].as_array().map_or(0, Vec::len), 3);
    assert_eq!(second["items"].as_array().map_or(0, Vec::len), 2);
    assert_eq!(second["next_cursor"], json!(null));
}

/// The same role given to one person by several officers at the same moment
/// is given once: one 201, and every other answer a 409 (it met the role
/// being given) or a 200 (it read the role already given) — never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_role_given_several_times_at_once_is_given_once() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let newcomer = app.bare_user("Newcomer").await;
    let served = app.serve().await;

    let statuses = served
        .race(10, |i, client, base| {
            let officer = if i % 2 == 0 { &fx.secretary } else { &fx.chair };
            client
                .put(format!(
                    "{base}/api/v1/forums/{}/roles/{newcomer}",
                    fx.forum
                ))
                .bearer_auth(&officer.access)
                .json(&json!({"role": "observer"}))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::CREATED),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::CREATED, StatusCode::CONFLICT, StatusCode::OK].contains(s)),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn giving_a_role_someone_already_holds_changes_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let again = app
        .put_role(&fx.admin, fx.forum, fx.observer.id, "observer")
        .await;

    again.assert_status(StatusCode::OK);
    assert_eq!(again.json()["role"], "observer");
}

#[tokio::test]
async fn a_role_removed_meanwhile_cannot_be_changed_by_a_stale_request() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/roles/{}", fx.forum, fx.observer.id);
    app.request(Method::DELETE, &path, Some(&fx.secretary.access), None)
        .await
        .assert_status(StatusCode::NO_CONTENT);

    let again = app
        .request(Method::DELETE, &path, Some(&fx.chair.access), None)
        .await;

    again.assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_role_given_is_located_at_its_own_url() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let newcomer = app.bare_user("Newcomer").await;

    let given = app
        .put_role(&fx.secretary, fx.forum, newcomer, "observer")
        .await;

    given.assert_status(StatusCode::CREATED);
    assert_eq!(
        given.header("location"),
        Some(format!("/api/v1/forums/{}/roles/{newcomer}", fx.forum).as_str())
    );
}

#[tokio::test]
async fn role_candidates_are_the_people_of_member_organisations_without_a_role() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (colleague, _) = app.organisation_member("Colleague").await;
    app.patch(
        &format!("/api/v1/users/{}", colleague.id),
        Some(&fx.admin.access),
        json!({"organisation_id": fx.member_organisation}),
    )
    .await
    .assert_status(StatusCode::OK);

    let candidates = app
        .get(
            &format!("/api/v1/forums/{}/role-candidates", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;

    candidates.assert_status(StatusCode::OK);
    let body = candidates.json();
    let ids: Vec<&serde_json::Value> = body["items"]
        .as_array()
        .map(|items| items.iter().map(|c| &c["user_id"]).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [&json!(colleague.id)],
        "the member already holds a role"
    );
    assert_eq!(body["more"], false);
}
