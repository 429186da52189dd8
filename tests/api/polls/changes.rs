//! Changing a poll: freely before it opens, only later or cancelled once open, never once closed; every change with the ETag last read and audited.

use super::*;

#[tokio::test]
async fn before_it_opens_a_poll_changes_in_anything_but_its_kind() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        json!({"question": "Which themes?", "kind": "multiple-choice",
               "options": ["Housing", "Women"], "opens_at": at(&app, Duration::days(1)),
               "closes_at": at(&app, Duration::days(8))}),
    )
    .await;
    let poll_id = id(&poll);
    let closes = at(&app, Duration::days(10));

    let changed = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"1\""),
        json!({"question": "Which themes next year?", "options": ["Housing", "Women", "Debt"],
               "max_choices": 2, "closes_at": closes, "open_voting": true}),
    )
    .await;
    let same_again = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"question": "Which themes next year?", "options": ["Housing", "Women", "Debt"]}),
    )
    .await;
    let new_kind = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"kind": "single-choice"}),
    )
    .await;
    let too_many = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"options": ["Housing"], "max_choices": 3}),
    )
    .await;
    let set_open = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"status": "open"}),
    )
    .await;
    let null_question = edit(
        &app,
        &fx.secretary,
        &poll_id,
        Some("\"2\""),
        json!({"question": null}),
    )
    .await;

    changed.assert_status(StatusCode::OK);
    assert_eq!(changed.header("etag"), Some("\"2\""));
    let changed = changed.json();
    assert_eq!(changed["question"], "Which themes next year?");
    assert_eq!(labels(&changed), ["Housing", "Women", "Debt"]);
    assert!(
        option_ids(&changed)
            .iter()
            .all(|o| !option_ids(&poll).contains(o)),
        "the options are new"
    );
    assert_eq!(changed["max_choices"], 2);
    assert_eq!(changed["closes_at"], json!(closes));
    assert_eq!(changed["open_voting"], true);
    same_again.assert_status(StatusCode::OK);
    assert_eq!(same_again.header("etag"), Some("\"2\""), "nothing changed");
    assert_eq!(option_ids(&same_again.json()), option_ids(&changed));
    assert_eq!(new_kind.invalid_fields(), ["kind"]);
    assert_eq!(too_many.invalid_fields(), ["options", "max_choices"]);
    assert_eq!(set_open.invalid_fields(), ["status"]);
    assert_eq!(null_question.invalid_fields(), ["question"]);
}

#[tokio::test]
async fn an_open_poll_only_closes_later_or_is_cancelled() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        single_choice(&app, "Where?", &["Maidstone", "Brighton"]),
    )
    .await;
    let poll_id = id(&poll);
    let closes: DateTime<Utc> = serde_json::from_value(poll["closes_at"].clone()).expect("a time");

    let reworded = edit_current(&app, &fx, &poll_id, json!({"question": "Where, then?"})).await;
    let new_options =
        edit_current(&app, &fx, &poll_id, json!({"options": ["Hove", "Lewes"]})).await;
    let sooner = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"closes_at": closes - Duration::days(1)}),
    )
    .await;
    let later = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"closes_at": closes + Duration::days(1), "question": "Where?"}),
    )
    .await;
    let no_reason = edit_current(&app, &fx, &poll_id, json!({"status": "cancelled"})).await;
    let stray_reason = edit_current(&app, &fx, &poll_id, json!({"cancel_reason": "Why not"})).await;
    let cancelled = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"status": "cancelled", "cancel_reason": "  Superseded by the meeting  "}),
    )
    .await;
    let afterwards = edit_current(
        &app,
        &fx,
        &poll_id,
        json!({"closes_at": closes + Duration::days(5)}),
    )
    .await;

    reworded.assert_problem(StatusCode::CONFLICT);
    assert!(
        detail(&reworded).contains("question"),
        "{}",
        detail(&reworded)
    );
    new_options.assert_problem(StatusCode::CONFLICT);
    sooner.assert_problem(StatusCode::CONFLICT);
    later.assert_status(StatusCode::OK);
    assert_eq!(later.header("etag"), Some("\"2\""));
    assert_eq!(later.json()["closes_at"], json!(closes + Duration::days(1)));
    assert_eq!(no_reason.invalid_fields(), ["cancel_reason"]);
    assert_eq!(stray_reason.invalid_fields(), ["cancel_reason"]);
    cancelled.assert_status(StatusCode::OK);
    let cancelled = cancelled.json();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Superseded by the meeting");
    assert!(cancelled["cancelled_at"].is_string());
    afterwards.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&afterwards).contains("cancelled"));
}

#[tokio::test]
async fn a_closed_poll_cannot_be_changed() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Closing"),
            json!({"closes_at": at(&app, Duration::hours(1))}),
        ),
    )
    .await;
    app.state.clock.advance(Duration::hours(2));

    let extended = edit_current(
        &app,
        &fx,
        &id(&poll),
        json!({"closes_at": at(&app, Duration::days(1))}),
    )
    .await;
    let cancelled = edit_current(
        &app,
        &fx,
        &id(&poll),
        json!({"status": "cancelled", "cancel_reason": "Too late"}),
    )
    .await;

    for refused in [extended, cancelled] {
        refused.assert_problem(StatusCode::CONFLICT);
        assert!(detail(&refused).contains("closed"), "{}", detail(&refused));
    }
}

#[tokio::test]
async fn a_change_needs_the_etag_last_read() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let later = json!({"closes_at": at(&app, Duration::days(8))});

    let without = edit(&app, &fx.secretary, &id(&poll), None, later.clone()).await;
    let first = edit(
        &app,
        &fx.secretary,
        &id(&poll),
        Some("\"1\""),
        later.clone(),
    )
    .await;
    let stale = edit(
        &app,
        &fx.chair,
        &id(&poll),
        Some("\"1\""),
        json!({"closes_at": at(&app, Duration::days(9))}),
    )
    .await;

    without.assert_problem(StatusCode::PRECONDITION_REQUIRED);
    first.assert_status(StatusCode::OK);
    stale.assert_problem(StatusCode::PRECONDITION_FAILED);
    assert!(detail(&stale).contains("\"2\""));
}

#[tokio::test]
async fn every_write_is_audited_and_a_secret_ballot_stays_secret() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let secret = new_poll(&app, &fx, agreement(&app, "Secret")).await;
    let open = new_poll(
        &app,
        &fx,
        with(agreement(&app, "Open"), json!({"open_voting": true})),
    )
    .await;
    for poll in [&secret, &open] {
        vote(&app, &fx.member, &id(poll), &[&option_ids(poll)[1]])
            .await
            .assert_status(StatusCode::OK);
    }
    cancel(&app, &fx, &id(&open)).await;

    let secret_trail = audit_trail(&app, &fx, &secret).await;
    let open_trail = audit_trail(&app, &fx, &open).await;

    let actions = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(actions(&secret_trail), ["poll.voted", "poll.created"]);
    assert_eq!(
        actions(&open_trail),
        ["poll.cancelled", "poll.voted", "poll.created"]
    );
    assert_eq!(
        secret_trail[0]["changes"],
        json!({"organisation_id": fx.member_organisation}),
        "no choice recorded"
    );
    assert_eq!(
        open_trail[1]["changes"],
        json!({"organisation_id": fx.member_organisation, "option_ids": [option_ids(&open)[1]]})
    );
    assert_eq!(secret_trail[0]["actor_id"], json!(fx.member.id));
    assert_eq!(open_trail[0]["changes"]["status"]["to"], "cancelled");
    assert_eq!(secret_trail[1]["changes"]["question"], "Secret");
    assert_eq!(secret_trail[1]["forum_id"], json!(fx.forum));
}

/// The poll's audit events, newest first.
async fn audit_trail(app: &TestApp, fx: &ForumFixture, poll: &Value) -> Vec<Value> {
    let events = app
        .get(
            &format!("/api/v1/audit?entity_id={}", id(poll)),
            Some(&fx.admin.access),
        )
        .await
        .json();
    events["items"].as_array().cloned().unwrap_or_default()
}
