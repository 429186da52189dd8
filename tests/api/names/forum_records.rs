//! The forum's own records — read only by those who take part in it, so
//! always with people's names — name who owns, raised, answered, proposed,
//! wrote and did each thing; to anyone else they stay as hidden as ever.

use super::*;

#[tokio::test]
async fn participants_see_an_action_s_owners_and_author_by_name_wherever_it_is_read() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let made = owned_action(&app, &fx).await;

    let one = format!("/api/v1/actions/{}", uuid_of(&made));
    let listed = read(
        &app,
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.observer),
    )
    .await;
    let changed = app
        .patch(
            &one,
            Some(&fx.member.access),
            json!({"title": "Map the housing pathway in Kent"}),
        )
        .await;
    changed.assert_status(StatusCode::OK);
    for (read_as, action) in [
        ("created", made.clone()),
        ("read", read(&app, &one, Some(&fx.rpd_staff)).await),
        ("listed", listed["items"][0].clone()),
        ("changed", changed.json()),
    ] {
        assert_eq!(
            action["owner_organisation_id"],
            json!(fx.member_organisation)
        );
        assert_eq!(
            action["owner_organisation_name"], MEMBER_ORGANISATION,
            "{read_as}"
        );
        assert_eq!(action["owner_user_id"], json!(fx.member.id));
        assert_eq!(action["owner_user_name"], MEMBER, "{read_as}");
        assert_eq!(action["created_by_name"], SECRETARY, "{read_as}");
    }
    // Another forum's people still cannot learn it exists.
    app.get(&one, Some(&fx.other_member.access))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_action_s_progress_log_names_who_wrote_each_update() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let action = uuid_of(&owned_action(&app, &fx).await);
    let updates = format!("/api/v1/actions/{action}/updates");

    let logged = app
        .post(
            &updates,
            Some(&fx.member.access),
            json!({"body": "Met the council's housing lead"}),
        )
        .await;

    logged.assert_status(StatusCode::CREATED);
    assert_eq!(logged.json()["author_name"], MEMBER);
    let log = read(&app, &updates, Some(&fx.chair)).await;
    assert_eq!(log["items"][0]["author_id"], json!(fx.member.id));
    assert_eq!(log["items"][0]["author_name"], MEMBER);
}

#[tokio::test]
async fn an_issue_names_who_raised_it_for_which_organisation_and_who_answered() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let raised = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Housing referrals stalled", "body": "Since March."}),
        )
        .await;
    raised.assert_status(StatusCode::CREATED);
    let issue = uuid_of(&raised.json());
    let answered = app
        .post(
            &format!("/api/v1/issues/{issue}/responses"),
            Some(&fx.rpd_staff.access),
            json!({"body": "We have spoken to the accommodation team."}),
        )
        .await;
    answered.assert_status(StatusCode::CREATED);

    let one = read(&app, &format!("/api/v1/issues/{issue}"), Some(&fx.observer)).await;
    let listed = read(
        &app,
        &format!("/api/v1/forums/{}/issues", fx.forum),
        Some(&fx.chair),
    )
    .await;
    for (read_as, issue) in [
        ("raised", raised.json()),
        ("read", one.clone()),
        ("listed", listed["items"][0].clone()),
    ] {
        assert_eq!(issue["raised_by"], json!(fx.member.id));
        assert_eq!(issue["raised_by_name"], MEMBER, "{read_as}");
        assert_eq!(
            issue["raised_by_organisation_name"], MEMBER_ORGANISATION,
            "{read_as}"
        );
    }
    assert_eq!(answered.json()["author_name"], RPD);
    assert_eq!(one["responses"][0]["author_id"], json!(fx.rpd_staff.id));
    assert_eq!(one["responses"][0]["author_name"], RPD);
    let thread = read(
        &app,
        &format!("/api/v1/issues/{issue}/responses"),
        Some(&fx.member),
    )
    .await;
    assert_eq!(thread["items"][0]["author_name"], RPD);
    app.get(
        &format!("/api/v1/issues/{issue}"),
        Some(&fx.other_rpd_staff.access),
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_agenda_names_each_proposer_but_not_of_an_item_withheld_from_the_reader() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Summer forum", 48).await;
    let items = format!("/api/v1/meetings/{meeting}/agenda-items");
    let proposed = app
        .post(
            &items,
            Some(&fx.member.access),
            json!({"title": "Women's services review"}),
        )
        .await;
    proposed.assert_status(StatusCode::CREATED);
    app.post(
        &items,
        Some(&fx.secretary.access),
        json!({"title": "Provider performance", "visibility": "officers",
               "visibility_reason": "commercially sensitive"}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let agenda = read(&app, &items, Some(&fx.observer)).await;

    assert_eq!(proposed.json()["proposed_by_name"], MEMBER);
    let item = |title: &str| -> Value {
        agenda["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["title"].as_str().is_some_and(|t| t.contains(title)))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(item("Women's")["proposed_by_name"], MEMBER);
    let withheld = item("commercially sensitive");
    assert_eq!(withheld["withheld"], true);
    assert!(withheld["proposed_by"].is_null());
    assert!(withheld["proposed_by_name"].is_null());
    let officers = read(&app, &items, Some(&fx.chair)).await;
    let shown = officers["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["title"] == "Provider performance")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(shown["proposed_by_name"], SECRETARY);
}

#[tokio::test]
async fn answers_and_roles_name_the_organisation_each_person_speaks_for() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Summer forum", 48).await;

    let answered = app
        .request(
            axum::http::Method::PUT,
            &format!("/api/v1/meetings/{meeting}/rsvp"),
            Some(&fx.member.access),
            Some(json!({"response": "yes"})),
        )
        .await;

    answered.assert_status(StatusCode::OK);
    assert_eq!(answered.json()["organisation_name"], MEMBER_ORGANISATION);
    let answers = read(
        &app,
        &format!("/api/v1/meetings/{meeting}/rsvps"),
        Some(&fx.secretary),
    )
    .await;
    assert_eq!(answers["items"][0]["display_name"], MEMBER);
    assert_eq!(
        answers["items"][0]["organisation_name"],
        MEMBER_ORGANISATION
    );
    let roles = read(
        &app,
        &format!("/api/v1/forums/{}/roles", fx.forum),
        Some(&fx.observer),
    )
    .await;
    let of = |person: Uuid| -> Value {
        roles["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["user_id"] == json!(person))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(of(fx.member.id)["organisation_name"], MEMBER_ORGANISATION);
    assert!(of(fx.secretary.id)["organisation_name"].is_null());
}

#[tokio::test]
async fn the_next_agenda_s_matters_arising_name_an_open_action_s_owners() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let held = app.meeting(&fx, "Spring forum", -3).await;
    app.post(
        &format!("/api/v1/forums/{}/actions", fx.forum),
        Some(&fx.secretary.access),
        json!({"title": "Map the housing pathway", "meeting_id": held,
               "owner_organisation_id": fx.member_organisation,
               "owner_user_id": fx.member.id}),
    )
    .await
    .assert_status(StatusCode::CREATED);

    let next = app.schedule(&fx, "Summer forum", 48).await;

    let matters = read(
        &app,
        &format!("/api/v1/meetings/{next}/matters-arising"),
        Some(&fx.observer),
    )
    .await;
    let action = &matters["items"][0];
    assert_eq!(action["kind"], "action");
    assert_eq!(action["owner_organisation_name"], MEMBER_ORGANISATION);
    assert_eq!(action["owner_user_name"], MEMBER);
}

#[tokio::test]
async fn a_poll_names_who_put_it_and_the_organisation_s_vote_who_cast_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let closes = app.state.clock.now() + chrono::Duration::days(7);
    let made = app
        .post(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.secretary.access),
            json!({"question": "Where?", "kind": "single-choice",
                   "options": ["Maidstone", "Brighton"], "closes_at": closes}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    let poll = made.json();
    let option = poll["options"][0]["id"].clone();

    let voted = app
        .request(
            axum::http::Method::PUT,
            &format!("/api/v1/polls/{}/vote", uuid_of(&poll)),
            Some(&fx.member.access),
            Some(json!({"option_ids": [option]})),
        )
        .await;

    voted.assert_status(StatusCode::OK);
    assert_eq!(voted.json()["organisation_name"], MEMBER_ORGANISATION);
    assert_eq!(voted.json()["cast_by_name"], MEMBER);
    assert_eq!(poll["created_by_name"], SECRETARY);
    let mine = read(
        &app,
        &format!("/api/v1/polls/{}", uuid_of(&poll)),
        Some(&fx.member),
    )
    .await;
    assert_eq!(mine["created_by_name"], SECRETARY);
    assert_eq!(mine["my_vote"], voted.json());
    let listed = read(
        &app,
        &format!("/api/v1/forums/{}/polls", fx.forum),
        Some(&fx.observer),
    )
    .await;
    assert_eq!(listed["items"][0]["created_by_name"], SECRETARY);
}

#[tokio::test]
async fn the_audit_trail_names_each_actor_to_those_who_may_read_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    owned_action(&app, &fx).await;

    for reader in [&fx.secretary, &fx.rpd_staff, &fx.admin] {
        let trail = read(
            &app,
            &format!("/api/v1/audit?forum_id={}&entity=action", fx.forum),
            Some(reader),
        )
        .await;
        assert_eq!(trail["items"][0]["actor_id"], json!(fx.secretary.id));
        assert_eq!(trail["items"][0]["actor_name"], SECRETARY);
    }
    app.get(
        &format!("/api/v1/audit?forum_id={}", fx.forum),
        Some(&fx.member.access),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_contribution_names_its_organisation_and_who_wrote_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Strengthening probation", "consulting_body": "Ministry of Justice",
                   "closes_on": "2099-01-31", "internal_deadline": "2099-01-15",
                   "questions": [{"text": "Do you agree?"}]}),
        )
        .await
        .json();
    let question = consultation["questions"][0]["id"].clone();
    let contributions = format!(
        "/api/v1/consultations/{}/contributions",
        uuid_of(&consultation)
    );

    let written = app
        .post(
            &contributions,
            Some(&fx.member.access),
            json!({"question_id": question, "body": "Yes, locally."}),
        )
        .await;

    written.assert_status(StatusCode::CREATED);
    assert_eq!(consultation["created_by_name"], SECRETARY);
    assert_eq!(written.json()["organisation_name"], MEMBER_ORGANISATION);
    assert_eq!(written.json()["written_by_name"], MEMBER);
    let listed = read(&app, &contributions, Some(&fx.chair)).await;
    assert_eq!(listed["items"][0]["written_by_name"], MEMBER);
    let one = read(
        &app,
        &format!("/api/v1/contributions/{}", uuid_of(&written.json())),
        Some(&fx.observer),
    )
    .await;
    assert_eq!(one["written_by_name"], MEMBER);
}
