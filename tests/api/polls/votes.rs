//! Votes: one per active member organisation, replaced by a later one until the poll closes, and the results they make.

use super::*;

#[tokio::test]
async fn a_member_votes_for_their_organisation_and_reads_it_back() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        single_choice(&app, "Where?", &["Maidstone", "Brighton"]),
    )
    .await;
    let options = option_ids(&poll);

    let voted = vote(&app, &fx.member, &id(&poll), &[&options[1]]).await;

    voted.assert_status(StatusCode::OK);
    let voted = voted.json();
    assert_eq!(voted["poll_id"], json!(id(&poll)));
    assert_eq!(voted["organisation_id"], json!(fx.member_organisation));
    assert_eq!(voted["option_ids"], json!([options[1]]));
    assert_eq!(voted["cast_by"], json!(fx.member.id));
    let read = app
        .get(
            &format!("/api/v1/polls/{}", id(&poll)),
            Some(&fx.member.access),
        )
        .await;
    assert_eq!(read.json()["my_vote"], voted);
    assert_eq!(read.header("etag"), Some("\"1\""), "a vote is not an edit");
}

#[tokio::test]
async fn a_later_vote_by_the_same_organisation_replaces_its_earlier_one() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = colleague(&app, &fx).await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            json!({"question": "Which themes?", "kind": "multiple-choice",
                   "options": ["Housing", "Women", "Debt"], "closes_at": at(&app, Duration::days(7))}),
            json!({"results_before_close": true, "open_voting": true}),
        ),
    )
    .await;
    let options = option_ids(&poll);
    let poll = id(&poll);

    vote(&app, &fx.member, &poll, &[&options[0], &options[1]])
        .await
        .assert_status(StatusCode::OK);
    let replaced = vote(&app, &colleague, &poll, &[&options[2]]).await;

    replaced.assert_status(StatusCode::OK);
    let counted = results(&app, &fx.member, &poll).await.json();
    assert_eq!(counted["votes_cast"], 1);
    let votes: Vec<u64> = counted["options"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| o["votes"].as_u64().unwrap_or_default())
        .collect();
    assert_eq!(votes, [0, 0, 1]);
    assert_eq!(counted["voted"][0]["option_ids"], json!([options[2]]));
    let mine = app
        .get(&format!("/api/v1/polls/{poll}"), Some(&fx.member.access))
        .await
        .json();
    assert_eq!(mine["my_vote"]["option_ids"], json!([options[2]]));
    assert_eq!(mine["my_vote"]["cast_by"], json!(colleague.id));
}

#[tokio::test]
async fn every_invalid_vote_is_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let single = new_poll(&app, &fx, single_choice(&app, "Where?", &["A", "B", "C"])).await;
    let agree = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let multiple = new_poll(
        &app,
        &fx,
        json!({"question": "Which?", "kind": "multiple-choice", "options": ["A", "B", "C"],
               "max_choices": 2, "closes_at": at(&app, Duration::days(7))}),
    )
    .await;
    let (s, a, m) = (
        option_ids(&single),
        option_ids(&agree),
        option_ids(&multiple),
    );

    let cases: [(&Value, Vec<&String>, Vec<&str>); 7] = [
        (&single, vec![], vec!["option_ids"]),
        (&single, vec![&s[0], &s[0]], vec!["option_ids[1]"]),
        (&single, vec![&a[0]], vec!["option_ids[0]"]),
        (&single, vec![&s[0], &s[1]], vec!["option_ids"]),
        (&agree, vec![&a[0], &a[2]], vec!["option_ids"]),
        (&multiple, vec![&m[0], &m[1], &m[2]], vec!["option_ids"]),
        (&multiple, vec![&m[0], &s[1]], vec!["option_ids[1]"]),
    ];

    for (poll, chosen, fields) in cases {
        let refused = vote(&app, &fx.member, &id(poll), &chosen).await;
        assert_eq!(refused.invalid_fields(), fields, "{chosen:?}");
    }
    for poll in [&single, &agree, &multiple] {
        let read = app
            .get(
                &format!("/api/v1/polls/{}", id(poll)),
                Some(&fx.member.access),
            )
            .await
            .json();
        assert_eq!(read["my_vote"], Value::Null, "no vote was recorded");
    }
    vote(&app, &fx.member, &id(&multiple), &[&m[2], &m[0]])
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_poll_not_yet_open_takes_no_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Later"),
            json!({"opens_at": at(&app, Duration::days(1)), "closes_at": at(&app, Duration::days(8))}),
        ),
    )
    .await;
    let agree = option_ids(&poll)[0].clone();

    let early = vote(&app, &fx.member, &id(&poll), &[&agree]).await;
    app.state.clock.advance(Duration::days(1));
    let on_time = vote(&app, &fx.member, &id(&poll), &[&agree]).await;

    early.assert_problem(StatusCode::CONFLICT);
    assert!(
        detail(&early).contains("not open yet"),
        "{}",
        detail(&early)
    );
    on_time.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_closed_poll_takes_no_more_votes() {
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
    let agree = option_ids(&poll)[0].clone();
    vote(&app, &fx.member, &id(&poll), &[&agree])
        .await
        .assert_status(StatusCode::OK);

    app.state.clock.advance(Duration::hours(1));
    let late = vote(&app, &fx.member, &id(&poll), &[&option_ids(&poll)[1]]).await;

    late.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&late).contains("closed"), "{}", detail(&late));
    let counted = results(&app, &fx.member, &id(&poll)).await.json();
    assert_eq!(counted["options"][0]["votes"], 1, "the vote stands as cast");
}

#[tokio::test]
async fn a_cancelled_poll_takes_no_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    cancel(&app, &fx, &id(&poll)).await;

    let refused = vote(&app, &fx.member, &id(&poll), &[&option_ids(&poll)[0]]).await;

    refused.assert_problem(StatusCode::CONFLICT);
    assert!(detail(&refused).contains("cancelled"));
}

#[tokio::test]
async fn observers_and_rpd_staff_do_not_vote_even_for_a_member_organisation() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let organisation = active_organisation(&app, &fx, "Watching Brief").await;
    for user in [fx.observer.id, fx.rpd_staff.id] {
        link(&app, &fx, user, organisation).await;
    }
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let agree = option_ids(&poll)[0].clone();

    for user in [&fx.observer, &fx.rpd_staff] {
        let refused = vote(&app, user, &id(&poll), &[&agree]).await;
        refused.assert_problem(StatusCode::FORBIDDEN);
        assert!(detail(&refused).contains("vote"), "{}", detail(&refused));
    }
}

#[tokio::test]
async fn someone_whose_organisation_is_not_an_active_member_cannot_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(&app, &fx, agreement(&app, "Agree?")).await;
    let (poll, agree) = (id(&poll), option_ids(&poll)[0].clone());
    // The secretary, for an organisation that has only applied.
    let (applied, _) = app.applicant(&fx.admin, fx.forum, "Applied").await;
    link(&app, &fx, fx.secretary.id, applied).await;
    // The chair, for no organisation at all.
    let chair = &fx.chair;

    let applicant = vote(&app, &fx.secretary, &poll, &[&agree]).await;
    let nobody = vote(&app, chair, &poll, &[&agree]).await;
    // The member, once the membership is suspended (made directly, keeping
    // the role, as a suspension decided while they were signed in would
    // leave their access until it was noticed).
    let membership = forum_membership::Entity::find_by_id(fx.member_membership)
        .one(app.db())
        .await
        .expect("read")
        .expect("the membership");
    let mut suspended = membership.into_active_model();
    suspended.status = Set(MembershipStatus::Suspended);
    suspended.update(app.db()).await.expect("suspend");
    let member = vote(&app, &fx.member, &poll, &[&agree]).await;

    applicant.assert_problem(StatusCode::FORBIDDEN);
    assert!(detail(&applicant).contains("not an active member"));
    nobody.assert_problem(StatusCode::FORBIDDEN);
    assert!(detail(&nobody).contains("belongs to none"));
    member.assert_problem(StatusCode::FORBIDDEN);
    assert!(detail(&member).contains("not an active member"));
}

#[tokio::test]
async fn a_member_of_another_regions_forum_cannot_find_these_polls() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Agree?"),
            json!({"results_before_close": true}),
        ),
    )
    .await;
    let (path, agree) = (
        format!("/api/v1/polls/{}", id(&poll)),
        option_ids(&poll)[0].clone(),
    );
    let welsh = &fx.other_member;

    for response in [
        app.get(&path, Some(&welsh.access)).await,
        app.get(&format!("{path}/results"), Some(&welsh.access))
            .await,
        vote(&app, welsh, &id(&poll), &[&agree]).await,
        edit(
            &app,
            welsh,
            &id(&poll),
            Some("\"1\""),
            json!({"question": "Mine now"}),
        )
        .await,
    ] {
        response.assert_problem(NOT_FOUND);
    }
    let listed = app
        .get(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&welsh.access),
        )
        .await;
    listed.assert_problem(StatusCode::FORBIDDEN);
}

// Results.

#[tokio::test]
async fn results_are_shown_once_the_poll_closes_unless_it_shows_them_before() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let hidden = new_poll(&app, &fx, agreement(&app, "Hidden until it closes")).await;
    let shown = new_poll(
        &app,
        &fx,
        with(
            agreement(&app, "Shown"),
            json!({"results_before_close": true}),
        ),
    )
    .await;
    let cancelled = new_poll(&app, &fx, agreement(&app, "Cancelled")).await;
    cancel(&app, &fx, &id(&cancelled)).await;

    let too_soon = results(&app, &fx.member, &id(&hidden)).await;
    let running = results(&app, &fx.member, &id(&shown)).await;
    let never = results(&app, &fx.member, &id(&cancelled)).await;
    let in_detail = app
        .get(
            &format!("/api/v1/polls/{}", id(&shown)),
            Some(&fx.member.access),
        )
        .await
        .json();
    app.state.clock.advance(Duration::days(7));
    let after = results(&app, &fx.member, &id(&hidden)).await;

    too_soon.assert_problem(StatusCode::CONFLICT);
    let closes = hidden["closes_at"].as_str().unwrap_or_default();
    let closes: DateTime<Utc> = closes.parse().expect("a time");
    assert!(
        detail(&too_soon).contains(&closes.to_rfc3339()),
        "says when: {}",
        detail(&too_soon)
    );
    running.assert_status(StatusCode::OK);
    assert_eq!(running.json()["status"], "open");
    assert_eq!(in_detail["results"], running.json());
    never.assert_problem(StatusCode::CONFLICT);
    after.assert_status(StatusCode::OK);
    assert_eq!(after.json()["status"], "closed");
}

#[tokio::test]
async fn results_count_each_option_the_turnout_and_who_voted_but_not_how() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, _, _) = app.forum_member(&fx.admin, fx.forum, "Second").await;
    let (third, _, _) = app.forum_member(&fx.admin, fx.forum, "Third").await;
    app.forum_member(&fx.admin, fx.forum, "Silent").await;
    // Applied, not yet a member: not counted as eligible.
    app.applicant(&fx.admin, fx.forum, "Hopeful").await;
    let poll = new_poll(
        &app,
        &fx,
        with(
            single_choice(&app, "Where?", &["Maidstone", "Brighton", "Guildford"]),
            json!({"closes_at": at(&app, Duration::hours(1))}),
        ),
    )
    .await;
    let options = option_ids(&poll);
    let poll_id = id(&poll);
    for (user, option) in [(&fx.member, 1), (&second, 1), (&third, 0)] {
        vote(&app, user, &poll_id, &[&options[option]])
            .await
            .assert_status(StatusCode::OK);
    }
    app.state.clock.advance(Duration::hours(1));

    let counted = results(&app, &fx.observer, &poll_id).await;

    counted.assert_status(StatusCode::OK);
    let counted = counted.json();
    assert_eq!(
        counted["options"],
        json!([
            {"option_id": options[0], "label": "Maidstone", "votes": 1},
            {"option_id": options[1], "label": "Brighton", "votes": 2},
            {"option_id": options[2], "label": "Guildford", "votes": 0},
        ])
    );
    assert_eq!(counted["votes_cast"], 3);
    assert_eq!(counted["eligible_organisations"], 4);
    assert_eq!(counted["turnout"], 0.75);
    assert_eq!(counted["carried"], Value::Null, "not an agreement");
    let voted: Vec<(String, Value)> = counted["voted"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or_default().to_string(),
                v["option_ids"].clone(),
            )
        })
        .collect();
    assert_eq!(
        voted,
        [
            ("Member's charity".to_string(), Value::Null),
            ("Second's charity".to_string(), Value::Null),
            ("Third's charity".to_string(), Value::Null),
        ]
    );
    assert_eq!(
        counted["voted"][0]["organisation_id"],
        json!(fx.member_organisation)
    );
}

#[tokio::test]
async fn with_open_voting_the_results_show_how_each_organisation_voted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, _, _) = app.forum_member(&fx.admin, fx.forum, "Second").await;
    let poll = new_poll(
        &app,
        &fx,
        json!({"question": "Which themes?", "kind": "multiple-choice",
               "options": ["Housing", "Women", "Debt"], "open_voting": true,
               "results_before_close": true, "closes_at": at(&app, Duration::days(7))}),
    )
    .await;
    let options = option_ids(&poll);
    // Sent out of order; kept in the options' order.
    vote(&app, &fx.member, &id(&poll), &[&options[2], &options[0]])
        .await
        .assert_status(StatusCode::OK);
    vote(&app, &second, &id(&poll), &[&options[1]])
        .await
        .assert_status(StatusCode::OK);

    let counted = results(&app, &fx.member, &id(&poll)).await.json();

    let voted: Vec<Value> = counted["voted"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| json!([v["name"], v["option_ids"]]))
        .collect();
    assert_eq!(
        voted,
        [
            json!(["Member's charity", [options[0], options[2]]]),
            json!(["Second's charity", [options[1]]]),
        ]
    );
    assert_eq!(counted["eligible_organisations"], 2);
    assert_eq!(counted["turnout"], 1.0);
}

#[tokio::test]
async fn an_agreement_carries_when_more_organisations_agree_than_disagree() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (second, _, _) = app.forum_member(&fx.admin, fx.forum, "Second").await;
    let (third, _, _) = app.forum_member(&fx.admin, fx.forum, "Third").await;
    let body = |question: &str| {
        with(
            agreement(&app, question),
            json!({"results_before_close": true, "closes_at": at(&app, Duration::hours(1))}),
        )
    };
    let carried = new_poll(&app, &fx, body("Carried")).await;
    let tied = new_poll(&app, &fx, body("Tied")).await;
    let (c, t) = (option_ids(&carried), option_ids(&tied));
    // Carried: agree, agree, disagree. Tied: agree, disagree, abstain.
    for (user, on_carried, on_tied) in [(&fx.member, 0, 0), (&second, 0, 1), (&third, 1, 2)] {
        vote(&app, user, &id(&carried), &[&c[on_carried]])
            .await
            .assert_status(StatusCode::OK);
        vote(&app, user, &id(&tied), &[&t[on_tied]])
            .await
            .assert_status(StatusCode::OK);
    }

    let while_open = results(&app, &fx.member, &id(&carried)).await.json();
    app.state.clock.advance(Duration::hours(1));
    let carried = results(&app, &fx.member, &id(&carried)).await.json();
    let tied = results(&app, &fx.member, &id(&tied)).await.json();

    assert_eq!(while_open["carried"], Value::Null, "not decided while open");
    assert_eq!(carried["carried"], true);
    assert_eq!(tied["carried"], false);
    assert_eq!(tied["options"][2]["label"], "Abstain");
    assert_eq!(tied["options"][2]["votes"], 1);
}
