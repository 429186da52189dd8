use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{TestApp, TestUser, count};

async fn add(app: &TestApp, by: &TestUser, meeting: Uuid, title: &str, minutes: i32) -> Value {
    let response = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&by.access),
            json!({"title": title, "presenter": "Sam", "minutes_allotted": minutes}),
        )
        .await;
    response.assert_status(StatusCode::CREATED);
    response.json()
}

fn titles(agenda: &Value) -> Vec<(String, String)> {
    agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["title"].as_str().unwrap_or_default().to_string(),
                i["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn members_propose_and_the_secretary_accepts_or_declines() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;

    let welcome = add(&app, &fx.secretary, meeting, "Welcome", 10).await;
    let housing = add(&app, &fx.member, meeting, "Housing on release", 30).await;
    let probation = add(&app, &fx.rpd_staff, meeting, "Probation update", 20).await;
    assert_eq!(welcome["status"], "accepted");
    assert_eq!(housing["status"], "proposed");
    assert_eq!(housing["position"], json!(null));

    let accepted = app
        .patch(
            &format!(
                "/api/v1/agenda-items/{}",
                housing["id"].as_str().unwrap_or_default()
            ),
            Some(&fx.chair.access),
            json!({"status": "accepted"}),
        )
        .await;
    let declined = app
        .patch(
            &format!(
                "/api/v1/agenda-items/{}",
                probation["id"].as_str().unwrap_or_default()
            ),
            Some(&fx.secretary.access),
            json!({"status": "declined"}),
        )
        .await;
    let again = app
        .patch(
            &format!(
                "/api/v1/agenda-items/{}",
                probation["id"].as_str().unwrap_or_default()
            ),
            Some(&fx.secretary.access),
            json!({"status": "accepted"}),
        )
        .await;

    accepted.assert_status(StatusCode::OK);
    assert_eq!(accepted.json()["position"], 2);
    declined.assert_status(StatusCode::OK);
    again.assert_problem(StatusCode::CONFLICT);
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.observer.access),
        )
        .await
        .json();
    assert_eq!(
        titles(&agenda),
        [
            ("Welcome".to_string(), "accepted".to_string()),
            ("Housing on release".to_string(), "accepted".to_string()),
            ("Probation update".to_string(), "declined".to_string())
        ]
    );
    assert_eq!(agenda["total_minutes_allotted"], 40);
    assert_eq!(agenda["meeting_minutes"], 120);
    assert_eq!(agenda["minutes_over"], 0);
}

#[tokio::test]
async fn the_agenda_shows_when_it_runs_over_the_meeting() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    add(&app, &fx.secretary, meeting, "Long item", 100).await;
    add(&app, &fx.secretary, meeting, "Another", 45).await;

    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
        )
        .await
        .json();

    assert_eq!(agenda["total_minutes_allotted"], 145);
    assert_eq!(agenda["minutes_over"], 25);
}

#[tokio::test]
async fn the_order_must_name_exactly_the_accepted_items() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let a = add(&app, &fx.secretary, meeting, "A", 5).await["id"].clone();
    let b = add(&app, &fx.secretary, meeting, "B", 5).await["id"].clone();
    let c = add(&app, &fx.secretary, meeting, "C", 5).await["id"].clone();
    let proposal = add(&app, &fx.member, meeting, "Proposal", 5).await["id"].clone();
    let path = format!("/api/v1/meetings/{meeting}/agenda-order");
    let order = |ids: Value| {
        app.request(
            Method::PUT,
            &path,
            Some(&fx.secretary.access),
            Some(json!({"item_ids": ids})),
        )
    };

    let missing = order(json!([a, b])).await;
    let twice = order(json!([a, b, c, c])).await;
    let with_proposal = order(json!([a, b, c, proposal])).await;
    let good = order(json!([c, a, b])).await;

    assert_eq!(missing.invalid_fields(), ["item_ids"]);
    assert_eq!(twice.invalid_fields(), ["item_ids"]);
    assert_eq!(with_proposal.invalid_fields(), ["item_ids"]);
    good.assert_status(StatusCode::OK);
    let names: Vec<String> = titles(&good.json()).into_iter().map(|(t, _)| t).collect();
    assert_eq!(names, ["C", "A", "B", "Proposal"]);
}

#[tokio::test]
async fn bad_agenda_items_are_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;

    let response = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
            json!({"title": "", "minutes_allotted": 0}),
        )
        .await;

    let mut fields = response.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["minutes_allotted", "title"]);
}

#[tokio::test]
async fn once_held_only_the_secretary_changes_the_agenda() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", -1).await;
    let item = add(&app, &fx.secretary, meeting, "Item", 10).await;
    let item_path = format!(
        "/api/v1/agenda-items/{}",
        item["id"].as_str().unwrap_or_default()
    );
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "held"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let proposal = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
            json!({"title": "Late"}),
        )
        .await;
    let chair_edit = app
        .patch(
            &item_path,
            Some(&fx.chair.access),
            json!({"title": "Edited"}),
        )
        .await;
    let secretary_edit = app
        .patch(
            &item_path,
            Some(&fx.secretary.access),
            json!({"title": "Corrected"}),
        )
        .await;

    proposal.assert_problem(StatusCode::CONFLICT);
    chair_edit.assert_problem(StatusCode::CONFLICT);
    secretary_edit.assert_status(StatusCode::OK);
    app.request(Method::DELETE, &item_path, Some(&fx.secretary.access), None)
        .await
        .assert_status(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_cancelled_meetings_agenda_is_closed() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    app.patch(
        &format!("/api/v1/meetings/{meeting}"),
        Some(&fx.secretary.access),
        json!({"status": "cancelled", "cancel_reason": "Snow"}),
    )
    .await;

    app.post(
        &format!("/api/v1/meetings/{meeting}/agenda-items"),
        Some(&fx.secretary.access),
        json!({"title": "Too late"}),
    )
    .await
    .assert_problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn agenda_items_link_commitments_of_their_own_region() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let ours = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    let welsh_plan = app.plan(&fx.admin, "wales", "Welsh plan").await;
    let theirs = app
        .commitment(&fx.admin, welsh_plan, "WAL-WOM-1", "women", "specific")
        .await;
    let path = format!("/api/v1/meetings/{meeting}/agenda-items");

    let linked = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Housing", "commitment_ids": [ours]}),
        )
        .await;
    let cross = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"title": "Wales", "commitment_ids": [theirs]}),
        )
        .await;

    linked.assert_status(StatusCode::CREATED);
    assert_eq!(linked.json()["commitment_ids"], json!([ours]));
    assert_eq!(cross.invalid_fields(), ["commitment_ids[0]"]);
    let item = linked.json()["id"].as_str().unwrap_or_default().to_string();
    let cleared = app
        .patch(
            &format!("/api/v1/agenda-items/{item}"),
            Some(&fx.secretary.access),
            json!({"commitment_ids": []}),
        )
        .await;
    assert_eq!(cleared.json()["commitment_ids"], json!([]));
    let agenda = app.get(&path, Some(&fx.member.access)).await.json();
    assert_eq!(agenda["items"][0]["commitment_ids"], json!([]));
}

fn id_of(item: &Value) -> String {
    item["id"].as_str().unwrap_or_default().to_string()
}

async fn with_if_match(
    app: &TestApp,
    method: Method,
    by: &TestUser,
    path: &str,
    if_match: &str,
    body: Option<Value>,
) -> crate::support::TestResponse {
    app.request_with_headers(
        method,
        path,
        Some(&by.access),
        &[("if-match", if_match)],
        body,
    )
    .await
}

#[tokio::test]
async fn an_agenda_item_has_an_etag_and_a_stale_if_match_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let created = app
        .post(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
            json!({"title": "Housing on release"}),
        )
        .await;
    created.assert_status(StatusCode::CREATED);
    assert_eq!(created.header("etag"), Some("\"1\""));
    let path = created.header("location").unwrap_or_default().to_string();
    assert_eq!(
        path,
        format!("/api/v1/agenda-items/{}", id_of(&created.json()))
    );

    let read = app.get(&path, Some(&fx.observer.access)).await;
    let edited = with_if_match(
        &app,
        Method::PATCH,
        &fx.secretary,
        &path,
        "\"1\"",
        Some(json!({"title": "Housing on release: first nights"})),
    )
    .await;
    let stale_edit = with_if_match(
        &app,
        Method::PATCH,
        &fx.chair,
        &path,
        "\"1\"",
        Some(json!({"status": "accepted"})),
    )
    .await;
    let weak = with_if_match(
        &app,
        Method::PATCH,
        &fx.chair,
        &path,
        "W/\"2\"",
        Some(json!({"status": "accepted"})),
    )
    .await;
    let stale_delete = with_if_match(&app, Method::DELETE, &fx.chair, &path, "\"1\"", None).await;
    // An empty list names no version (412); an unquoted tag is no tag (400).
    let empty = with_if_match(&app, Method::DELETE, &fx.chair, &path, "", None).await;
    let unquoted = with_if_match(&app, Method::DELETE, &fx.chair, &path, "2", None).await;

    read.assert_status(StatusCode::OK);
    assert_eq!(read.header("etag"), Some("\"1\""));
    edited.assert_status(StatusCode::OK);
    assert_eq!(edited.header("etag"), Some("\"2\""));
    assert_eq!(edited.json()["version"], 2);
    stale_edit.assert_problem(StatusCode::PRECONDITION_FAILED);
    weak.assert_problem(StatusCode::PRECONDITION_FAILED);
    stale_delete.assert_problem(StatusCode::PRECONDITION_FAILED);
    empty.assert_problem(StatusCode::PRECONDITION_FAILED);
    unquoted.assert_problem(StatusCode::BAD_REQUEST);
    let now = app.get(&path, Some(&fx.member.access)).await;
    assert_eq!(now.json()["status"], "proposed");
    with_if_match(&app, Method::DELETE, &fx.chair, &path, "\"2\"", None)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get(&path, Some(&fx.member.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn nothing_changed_keeps_the_version_and_links_changed_raise_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let plan = app.plan(&fx.rpd_staff, "kent-surrey-sussex", "Plan").await;
    let commitment = app
        .commitment(
            &fx.rpd_staff,
            plan,
            "KSS-ACC-1",
            "accommodation",
            "specific",
        )
        .await;
    let item = add(&app, &fx.secretary, meeting, "Housing", 20).await;
    let path = format!("/api/v1/agenda-items/{}", id_of(&item));

    let same = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"title": "Housing", "minutes_allotted": 20, "status": "accepted", "commitment_ids": []}),
        )
        .await;
    let linked = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"commitment_ids": [commitment]}),
        )
        .await;
    let linked_again = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"commitment_ids": [commitment]}),
        )
        .await;

    assert_eq!(same.header("etag"), Some("\"1\""));
    assert_eq!(linked.header("etag"), Some("\"2\""));
    assert_eq!(linked.json()["commitment_ids"], json!([commitment]));
    assert_eq!(linked_again.header("etag"), Some("\"2\""));
}

#[tokio::test]
async fn null_for_an_agenda_field_that_cannot_be_cleared_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let item = add(&app, &fx.secretary, meeting, "Housing", 20).await;
    let path = format!("/api/v1/agenda-items/{}", id_of(&item));

    let refused = app
        .patch(&path, Some(&fx.secretary.access), json!({"title": null}))
        .await;
    let cleared = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"presenter": null, "minutes_allotted": null}),
        )
        .await;
    let control = app
        .patch(
            &path,
            Some(&fx.secretary.access),
            json!({"presenter": "Sam\nBCC", "description": "Notes\u{0}"}),
        )
        .await;

    assert_eq!(refused.invalid_fields(), ["title"]);
    cleared.assert_status(StatusCode::OK);
    assert_eq!(cleared.json()["presenter"], Value::Null);
    assert_eq!(cleared.json()["minutes_allotted"], Value::Null);
    let mut fields = control.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["description", "presenter"]);
}

#[tokio::test]
async fn reordering_raises_the_version_of_each_item_that_moves_and_no_other() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let a = id_of(&add(&app, &fx.secretary, meeting, "A", 5).await);
    let b = id_of(&add(&app, &fx.secretary, meeting, "B", 5).await);
    let c = id_of(&add(&app, &fx.secretary, meeting, "C", 5).await);

    let reordered = app
        .request(
            Method::PUT,
            &format!("/api/v1/meetings/{meeting}/agenda-order"),
            Some(&fx.secretary.access),
            Some(json!({"item_ids": [b, a, c]})),
        )
        .await;

    reordered.assert_status(StatusCode::OK);
    let versions: Vec<(String, i64, i64)> = reordered.json()["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["title"].as_str().unwrap_or_default().to_string(),
                i["position"].as_i64().unwrap_or_default(),
                i["version"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            ("B".to_string(), 1, 2),
            ("A".to_string(), 2, 2),
            ("C".to_string(), 3, 1)
        ]
    );
    let item = app
        .get(
            &format!("/api/v1/agenda-items/{b}"),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(item.header("etag"), Some("\"2\""));
}

#[tokio::test]
async fn nobody_outside_the_forum_finds_an_agenda_item() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let item = add(&app, &fx.member, meeting, "Housing", 20).await;
    let path = format!("/api/v1/agenda-items/{}", id_of(&item));

    for outsider in [&fx.other_member, &fx.other_rpd_staff, &fx.signed_in] {
        app.get(&path, Some(&outsider.access))
            .await
            .assert_problem(StatusCode::NOT_FOUND);
        app.patch(&path, Some(&outsider.access), json!({"status": "accepted"}))
            .await
            .assert_problem(StatusCode::NOT_FOUND);
    }
    app.get(&path, None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.patch(
        &path,
        Some(&fx.member.access),
        json!({"status": "accepted"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

/// Officers accept and decline one proposal at once: the first decision to
/// commit stands, and no answer contradicts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_accepts_and_declines_of_one_proposal_exactly_one_decides() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let item = id_of(&add(&app, &fx.member, meeting, "Housing on release", 30).await);
    let served = app.serve().await;
    let wants = |i: usize| {
        if i.is_multiple_of(2) {
            "accepted"
        } else {
            "declined"
        }
    };

    let statuses = served
        .race(20, |i, client, base| {
            let token = if i % 3 == 0 {
                &fx.chair.access
            } else {
                &fx.secretary.access
            };
            client
                .patch(format!("{base}/api/v1/agenda-items/{item}"))
                .bearer_auth(token)
                .json(&json!({"status": wants(i)}))
        })
        .await;

    let now = app
        .get(
            &format!("/api/v1/agenda-items/{item}"),
            Some(&fx.member.access),
        )
        .await;
    let decided = now.json()["status"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(now.header("etag"), Some("\"2\""), "{statuses:?}");
    assert!(count(&statuses, StatusCode::OK) >= 1, "{statuses:?}");
    for (i, status) in statuses.iter().enumerate() {
        if wants(i) == decided {
            assert!(
                *status == StatusCode::OK || *status == StatusCode::CONFLICT,
                "{statuses:?}"
            );
        } else {
            assert_eq!(*status, StatusCode::CONFLICT, "{i}: {statuses:?}");
        }
    }
    let expected_position = if decided == "accepted" {
        json!(1)
    } else {
        Value::Null
    };
    assert_eq!(now.json()["position"], expected_position);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn proposals_accepted_at_once_each_get_a_place_of_their_own() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let mut proposals = Vec::new();
    for i in 0..12 {
        proposals.push(id_of(
            &add(&app, &fx.member, meeting, &format!("Item {i}"), 5).await,
        ));
    }
    let served = app.serve().await;

    let statuses = served
        .race(proposals.len(), |i, client, base| {
            client
                .patch(format!("{base}/api/v1/agenda-items/{}", proposals[i]))
                .bearer_auth(&fx.secretary.access)
                .json(&json!({"status": "accepted"}))
        })
        .await;

    assert_eq!(
        count(&statuses, StatusCode::OK),
        proposals.len(),
        "{statuses:?}"
    );
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let mut positions: Vec<i64> = agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["position"].as_i64())
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=12).collect::<Vec<i64>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_sent_at_once_leave_one_of_them_whole() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let mut ids = Vec::new();
    for title in ["A", "B", "C", "D", "E", "F"] {
        ids.push(id_of(&add(&app, &fx.secretary, meeting, title, 5).await));
    }
    // Each order is the items rotated by a different amount.
    let orders: Vec<Vec<String>> = (0..12)
        .map(|k| {
            let mut order = ids.clone();
            order.rotate_left(k % ids.len());
            if k >= ids.len() {
                order.reverse();
            }
            order
        })
        .collect();
    let served = app.serve().await;

    let statuses = served
        .race(orders.len(), |i, client, base| {
            client
                .put(format!("{base}/api/v1/meetings/{meeting}/agenda-order"))
                .bearer_auth(&fx.secretary.access)
                .json(&json!({"item_ids": orders[i]}))
        })
        .await;

    assert_eq!(
        count(&statuses, StatusCode::OK),
        orders.len(),
        "{statuses:?}"
    );
    let agenda = app
        .get(
            &format!("/api/v1/meetings/{meeting}/agenda-items"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let final_order: Vec<String> = agenda["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(id_of)
        .collect();
    assert!(
        orders.contains(&final_order),
        "a mixed order: {final_order:?}"
    );
}

#[tokio::test]
async fn an_order_made_on_an_agenda_reordered_since_is_refused() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Forum", 24).await;
    let a = add(&app, &fx.secretary, meeting, "A", 5).await["id"].clone();
    let b = add(&app, &fx.secretary, meeting, "B", 5).await["id"].clone();
    let c = add(&app, &fx.secretary, meeting, "C", 5).await["id"].clone();
    let path = format!("/api/v1/meetings/{meeting}/agenda-order");
    let (app, path) = (&app, &path);
    let order = move |token: String, body: Value| async move {
        app.request(Method::PUT, path, Some(&token), Some(body))
            .await
    };

    // The chair reorders; the secretary's order, made on what they read
    // before, does not undo it.
    order(
        fx.chair.access.clone(),
        json!({"item_ids": [c, a, b], "read_order": [a, b, c]}),
    )
    .await
    .assert_status(StatusCode::OK);
    let stale = order(
        fx.secretary.access.clone(),
        json!({"item_ids": [b, a, c], "read_order": [a, b, c]}),
    )
    .await;
    stale.assert_problem(StatusCode::CONFLICT);
    let now = order(
        fx.secretary.access.clone(),
        json!({"item_ids": [c, b, a], "read_order": [c, a, b]}),
    )
    .await;
    now.assert_status(StatusCode::OK);
    let names: Vec<String> = titles(&now.json()).into_iter().map(|(t, _)| t).collect();
    assert_eq!(names, ["C", "B", "A"]);
}
