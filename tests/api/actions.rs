use axum::http::{Method, StatusCode};
use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::id;
use crate::support::{ForumFixture, TestApp, TestUser};

struct Plans {
    accommodation: Uuid,
    women: Uuid,
    welsh: Uuid,
}

async fn plans(app: &TestApp, fx: &ForumFixture) -> Plans {
    let plan = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let welsh_plan = app.plan(&fx.admin, "wales", "Wales plan").await;
    Plans {
        accommodation: app
            .commitment(
                &fx.rpd_staff,
                plan,
                "KSS-ACC-1",
                "accommodation",
                "specific",
            )
            .await,
        women: app
            .commitment(&fx.rpd_staff, plan, "KSS-WOM-1", "women", "general")
            .await,
        welsh: app
            .commitment(&fx.admin, welsh_plan, "WAL-WOM-1", "women", "specific")
            .await,
    }
}

fn day(offset: i64) -> NaiveDate {
    chrono::Utc::now().date_naive() + Duration::days(offset)
}

async fn create(app: &TestApp, by: &TestUser, fx: &ForumFixture, body: Value) -> Value {
    let response = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&by.access),
            body,
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

#[tokio::test]
async fn a_member_records_an_action_tied_to_a_commitment() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let p = plans(&app, &fx).await;
    let meeting = app.meeting(&fx, "Forum", -1).await;

    let action = create(
        &app,
        &fx.member,
        &fx,
        json!({"title": "Map move-on accommodation in Kent", "meeting_id": meeting, "owner_organisation_id": fx.member_organisation,
               "owner_user_id": fx.member.id, "due_on": day(30), "commitment_ids": [p.accommodation]}),
    )
    .await;

    assert_eq!(action["status"], "open");
    assert_eq!(action["commitment_ids"], json!([p.accommodation]));
    assert_eq!(action["overdue"], false);
    let read = app
        .get(
            &format!("/api/v1/actions/{}", id(&action)),
            Some(&fx.observer.access),
        )
        .await;
    read.assert_status(StatusCode::OK);
    assert_eq!(read.header("etag"), Some("\"1\""));
}

#[tokio::test]
async fn an_action_refers_only_to_its_own_forum_and_region() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let p = plans(&app, &fx).await;
    let path = format!("/api/v1/forums/{}/actions", fx.forum);

    let welsh_owner = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "T", "owner_organisation_id": fx.other_member_organisation}),
        )
        .await;
    let outsider_owner = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "T", "owner_user_id": fx.signed_in.id}),
        )
        .await;
    let welsh_commitment = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "T", "commitment_ids": [p.women, p.welsh]}),
        )
        .await;
    let unknown_commitment = app
        .post(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "T", "commitment_ids": [Uuid::now_v7()]}),
        )
        .await;

    assert_eq!(welsh_owner.invalid_fields(), ["owner_organisation_id"]);
    assert_eq!(outsider_owner.invalid_fields(), ["owner_user_id"]);
    assert_eq!(welsh_commitment.invalid_fields(), ["commitment_ids[1]"]);
    assert_eq!(unknown_commitment.invalid_fields(), ["commitment_ids[0]"]);
}

#[tokio::test]
async fn statuses_follow_the_state_machine_and_done_sets_completed_at() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = create(&app, &fx.secretary, &fx, json!({"title": "T"})).await;
    let path = format!("/api/v1/actions/{}", id(&action));
    let set = |status: &'static str| {
        let app = &app;
        let path = path.clone();
        let token = fx.secretary.access.clone();
        async move {
            app.patch(&path, Some(&token), json!({"status": status}))
                .await
        }
    };

    set("done").await.assert_problem(StatusCode::CONFLICT);
    set("blocked").await.assert_status(StatusCode::OK);
    set("done").await.assert_problem(StatusCode::CONFLICT);
    set("in-progress").await.assert_status(StatusCode::OK);
    let done = set("done").await;
    done.assert_status(StatusCode::OK);
    assert!(done.json()["completed_at"].is_string());
    set("cancelled").await.assert_problem(StatusCode::CONFLICT);
    set("open").await.assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn only_officers_and_the_owning_organisation_update_an_action() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let owned = create(
        &app,
        &fx.secretary,
        &fx,
        json!({"title": "Owned", "owner_organisation_id": fx.member_organisation}),
    )
    .await;
    let unowned = create(&app, &fx.secretary, &fx, json!({"title": "Unowned"})).await;
    let owned_path = format!("/api/v1/actions/{}", id(&owned));
    let unowned_path = format!("/api/v1/actions/{}", id(&unowned));

    app.patch(
        &owned_path,
        Some(&fx.member.access),
        json!({"status": "in-progress"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.patch(
        &unowned_path,
        Some(&fx.member.access),
        json!({"status": "in-progress"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    app.patch(
        &owned_path,
        Some(&fx.rpd_staff.access),
        json!({"title": "RPD edit"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    app.patch(
        &owned_path,
        Some(&fx.observer.access),
        json!({"title": "Observer edit"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    app.patch(
        &owned_path,
        Some(&fx.other_member.access),
        json!({"title": "Welsh edit"}),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn progress_updates_form_a_log_and_can_move_the_status() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = create(
        &app,
        &fx.secretary,
        &fx,
        json!({"title": "T", "owner_organisation_id": fx.member_organisation}),
    )
    .await;
    let path = format!("/api/v1/actions/{}/updates", id(&action));

    app.post(
        &path,
        Some(&fx.member.access),
        json!({"body": "Called the council", "status": "in-progress"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.post(
        &path,
        Some(&fx.member.access),
        json!({"body": "Waiting for their reply"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    app.post(
        &path,
        Some(&fx.member.access),
        json!({"body": "Reopen?", "status": "open"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
    app.post(
        &path,
        Some(&fx.rpd_staff.access),
        json!({"body": "From RPD"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    app.post(&path, Some(&fx.member.access), json!({"body": ""}))
        .await
        .invalid_fields();

    let log = app.get(&path, Some(&fx.observer.access)).await.json();
    let entries: Vec<(Value, Value)> = log["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| (u["body"].clone(), u["status_to"].clone()))
        .collect();
    assert_eq!(
        entries,
        [
            (json!("Called the council"), json!("in-progress")),
            (json!("Waiting for their reply"), json!(null))
        ]
    );
    let action = app
        .get(
            &format!("/api/v1/actions/{}", id(&action)),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(action["status"], "in-progress");
}

#[tokio::test]
async fn links_to_commitments_are_made_and_undone_within_the_region() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let p = plans(&app, &fx).await;
    let action = create(&app, &fx.secretary, &fx, json!({"title": "T"})).await;
    let link = |commitment: Uuid, method: Method| {
        let app = &app;
        let path = format!("/api/v1/actions/{}/commitments/{commitment}", id(&action));
        let token = fx.secretary.access.clone();
        async move { app.request(method, &path, Some(&token), None).await }
    };

    let linked = link(p.women, Method::PUT).await;
    link(p.women, Method::PUT)
        .await
        .assert_status(StatusCode::OK);
    let cross_region = link(p.welsh, Method::PUT).await;
    let unknown = link(Uuid::now_v7(), Method::PUT).await;

    linked.assert_status(StatusCode::OK);
    assert_eq!(linked.json()["commitment_ids"], json!([p.women]));
    assert_eq!(cross_region.invalid_fields(), ["commitment_id"]);
    unknown.assert_problem(StatusCode::NOT_FOUND);
    let behind = app
        .get(
            &format!("/api/v1/commitments/{}/actions", p.women),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(behind["items"][0]["id"], action["id"]);
    link(p.women, Method::DELETE)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    link(p.women, Method::DELETE)
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    let behind = app
        .get(
            &format!("/api/v1/commitments/{}/actions", p.women),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(behind["items"].as_array().map_or(0, Vec::len), 0);
}

async fn many_actions(app: &TestApp, fx: &ForumFixture, p: &Plans) {
    for (title, due, status, owner, commitment) in [
        (
            "Late housing audit",
            Some(-10),
            "open",
            true,
            Some(p.accommodation),
        ),
        ("Late but done", Some(-5), "done", false, None),
        ("Due soon", Some(3), "open", true, Some(p.women)),
        ("Later", Some(60), "open", false, Some(p.accommodation)),
        ("Undated", None, "open", false, None),
    ] {
        let mut body = json!({"title": title, "due_on": due.map(day)});
        if owner {
            body["owner_organisation_id"] = json!(fx.member_organisation);
        }
        if let Some(c) = commitment {
            body["commitment_ids"] = json!([c]);
        }
        let action = create(app, &fx.secretary, fx, body).await;
        if status == "done" {
            let path = format!("/api/v1/actions/{}", id(&action));
            app.patch(
                &path,
                Some(&fx.secretary.access),
                json!({"status": "in-progress"}),
            )
            .await;
            app.patch(&path, Some(&fx.secretary.access), json!({"status": "done"}))
                .await;
        }
    }
}

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str().map(String::from))
        .collect()
}

#[tokio::test]
async fn actions_are_listed_soonest_due_first_and_filtered() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let p = plans(&app, &fx).await;
    many_actions(&app, &fx, &p).await;
    let path = format!("/api/v1/forums/{}/actions", fx.forum);
    let get = |query: String| {
        let app = &app;
        let url = format!("{path}{query}");
        let token = fx.observer.access.clone();
        async move { app.get(&url, Some(&token)).await.json() }
    };

    let first = get("?limit=3".into()).await;
    let cursor = first["next_cursor"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let second = get(format!("?limit=3&cursor={cursor}")).await;
    assert_eq!(
        titles(&first),
        ["Late housing audit", "Late but done", "Due soon"]
    );
    assert_eq!(titles(&second), ["Later", "Undated"]);

    assert_eq!(
        titles(&get("?overdue=true".into()).await),
        ["Late housing audit"]
    );
    assert_eq!(titles(&get("?status=done".into()).await), ["Late but done"]);
    assert_eq!(
        titles(&get(format!("?owner_organisation_id={}", fx.member_organisation)).await),
        ["Late housing audit", "Due soon"]
    );
    assert_eq!(
        titles(&get(format!("?commitment_id={}", p.accommodation)).await),
        ["Late housing audit", "Later"]
    );
    assert_eq!(
        titles(&get(format!("?due_before={}", day(10))).await),
        ["Late housing audit", "Late but done", "Due soon"]
    );
    let overdue = get("?overdue=true".into()).await;
    assert_eq!(overdue["items"][0]["overdue"], true);
}

#[tokio::test]
async fn the_actions_list_answers_csv_with_every_row() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let p = plans(&app, &fx).await;
    many_actions(&app, &fx, &p).await;
    let response = app
        .get_csv(
            &format!("/api/v1/forums/{}/actions?limit=1&overdue=false", fx.forum),
            Some(&fx.secretary.access),
        )
        .await;

    response.assert_status(StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    let mut reader = csv::Reader::from_reader(response.body.as_ref());
    let headers = reader.headers().cloned().unwrap_or_default();
    assert!(headers.iter().any(|h| h == "title") && headers.iter().any(|h| h == "commitment_ids"));
    let title_at = headers
        .iter()
        .position(|h| h == "title")
        .unwrap_or_default();
    let rows: Vec<String> = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.get(title_at).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        rows,
        ["Late but done", "Due soon", "Later", "Undated"],
        "all matching rows, not one page"
    );
}

#[tokio::test]
async fn the_work_behind_a_commitment_is_for_the_regions_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let p = plans(&app, &fx).await;
    many_actions(&app, &fx, &p).await;

    let behind = app
        .get(
            &format!("/api/v1/commitments/{}/actions", p.accommodation),
            Some(&fx.rpd_staff.access),
        )
        .await;

    behind.assert_status(StatusCode::OK);
    assert_eq!(titles(&behind.json()), ["Late housing audit", "Later"]);
    app.get(
        &format!("/api/v1/commitments/{}/actions", p.accommodation),
        Some(&fx.other_rpd_staff.access),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_progress_note_sent_with_a_stale_if_match_is_refused_and_a_fresh_one_raises_the_version()
{
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let now = app.state.clock.now();
    let action =
        crate::support::builders::action(app.db(), fx.forum, "Write to the council", "", now).await;
    let updates = format!("/api/v1/actions/{action}/updates");

    let fresh = app
        .request_with_headers(
            Method::POST,
            &updates,
            Some(&fx.secretary.access),
            &[("If-Match", "\"1\"")],
            Some(json!({"body": "Drafted the letter"})),
        )
        .await;
    let stale = app
        .request_with_headers(
            Method::POST,
            &updates,
            Some(&fx.secretary.access),
            &[("If-Match", "\"1\"")],
            Some(json!({"body": "Drafted it again"})),
        )
        .await;

    fresh.assert_status(StatusCode::CREATED);
    assert_eq!(fresh.header("etag"), Some("\"2\""));
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    let log = app.get(&updates, Some(&fx.secretary.access)).await;
    assert_eq!(log.json()["items"].as_array().map(Vec::len), Some(1));
}
