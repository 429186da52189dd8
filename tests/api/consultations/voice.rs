//! Consultations seen from outside the forum's flow: who reaches what, concurrent writes deciding once, and what the report makes of the forum's voice.

use super::*;

#[tokio::test]
async fn each_role_reaches_consultations_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = register(&app, &fx).await;
    let cid = id(&consultation);
    let forum = format!("/api/v1/forums/{}/consultations", fx.forum);

    // A forum's list of its own records is its participants' (the table's
    // row); the public reads the submitted ones as the public record.
    check_row(
        "GET /forums/{id}/consultations",
        participants_via_forum(OK),
        async |caller| app.get(&forum, fx.token(caller)).await,
    )
    .await;
    check_row(
        "GET /forums/{id}/consultation-responses",
        |_| OK,
        async |caller| {
            app.get(
                &format!("/api/v1/forums/{}/consultation-responses", fx.forum),
                fx.token(caller),
            )
            .await
        },
    )
    .await;
    check_row(
        "POST /forums/{id}/consultations",
        |caller| match caller {
            Public => UNAUTHORISED,
            Secretary | Chair | RpdStaff | Admin => CREATED,
            _ => FORBIDDEN,
        },
        async |caller| app.post(&forum, fx.token(caller), registration(&app)).await,
    )
    .await;
    let by_id = |ok| {
        move |caller| match caller {
            Public | SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            _ => ok,
        }
    };
    for path in [
        format!("/api/v1/consultations/{cid}"),
        format!("/api/v1/consultations/{cid}/response"),
    ] {
        check_row(&format!("GET {path}"), by_id(OK), async |caller| {
            app.get(&path, fx.token(caller)).await
        })
        .await;
    }
    check_row(
        "GET /consultations/{id}/contributions",
        participants_by_id(OK),
        async |caller| {
            app.get(
                &format!("/api/v1/consultations/{cid}/contributions"),
                fx.token(caller),
            )
            .await
        },
    )
    .await;
    // Each organisation contributes once: the second caller of one meets
    // 409, so each contributes to a question of a consultation of its own.
    check_row(
        "POST /consultations/{id}/contributions",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            // The fixture's officers and admin belong to no member organisation.
            Member => CREATED,
            _ => FORBIDDEN,
        },
        async |caller| {
            let fresh = register(&app, &fx).await;
            contribute_as(&app, fx.token(caller), &fresh, &question(&fresh, 0)).await
        },
    )
    .await;
    check_row(
        "PUT /consultations/{id}/questions/{question_id}/answer",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Secretary | Chair | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let fresh = register(&app, &fx).await;
            app.request(
                Method::PUT,
                &format!(
                    "/api/v1/consultations/{}/questions/{}/answer",
                    id(&fresh),
                    question(&fresh, 0)
                ),
                fx.token(caller),
                Some(json!({"body": "Agreed."})),
            )
            .await
        },
    )
    .await;
    let made = contribute(
        &app,
        &fx.member,
        &consultation,
        &question(&consultation, 0),
        "Yes.",
    )
    .await;
    made.assert_status(StatusCode::CREATED);
    let contribution = format!("/api/v1/contributions/{}", id(&made.json()));
    check_row(
        "GET /contributions/{id}",
        participants_by_id(OK),
        async |caller| app.get(&contribution, fx.token(caller)).await,
    )
    .await;
    let revisions = format!(
        "/api/v1/consultations/{cid}/questions/{}/answer/revisions",
        question(&consultation, 0)
    );
    check_row(
        "GET /consultations/{id}/questions/{question_id}/answer/revisions",
        participants_by_id(OK),
        async |caller| app.get(&revisions, fx.token(caller)).await,
    )
    .await;
    // Only the organisation that wrote it edits a contribution.
    check_row(
        "PATCH /contributions/{id}",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Member | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let tag = app
                .get(&contribution, Some(&fx.member.access))
                .await
                .header("etag")
                .unwrap_or_default()
                .to_string();
            app.request_with_headers(
                Method::PATCH,
                &contribution,
                fx.token(caller),
                &[("if-match", &tag)],
                Some(json!({"body": format!("Yes, says {caller:?}.")})),
            )
            .await
        },
    )
    .await;
    check_row(
        "PATCH /consultations/{id} (details)",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Secretary | Chair | RpdStaff | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            app.patch(
                &format!("/api/v1/consultations/{cid}"),
                fx.token(caller),
                json!({"description": format!("Edited by {caller:?}")}),
            )
            .await
        },
    )
    .await;
    check_row(
        "PATCH /consultations/{id} (status)",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Secretary | Chair | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let fresh = register(&app, &fx).await;
            app.patch(
                &format!("/api/v1/consultations/{}", id(&fresh)),
                fx.token(caller),
                json!({"status": "drafting"}),
            )
            .await
        },
    )
    .await;
}

async fn contribute_as(
    app: &TestApp,
    token: Option<&str>,
    consultation: &Value,
    question: &str,
) -> TestResponse {
    app.post(
        &format!("/api/v1/consultations/{}/contributions", id(consultation)),
        token,
        json!({"question_id": question, "body": "Our view."}),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_of_one_organisation_contributing_at_once_make_one_contribution() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let served = app.serve().await;
    for _ in 0..5 {
        let consultation = register(&app, &fx).await;
        let path = format!("/api/v1/consultations/{}/contributions", id(&consultation));
        let question = question(&consultation, 0);
        let tokens = [fx.member.access.clone(), colleague.access.clone()];
        let statuses = served
            .race(2, |i, client, base| {
                client
                    .post(format!("{base}{path}"))
                    .bearer_auth(&tokens[i])
                    .json(&json!({"question_id": question, "body": format!("Our view, by {i}.")}))
            })
            .await;
        assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
        assert_eq!(count(&statuses, StatusCode::CONFLICT), 1, "{statuses:?}");
    }
}

/// A consultation of the forum as it stands after the fact.
async fn past_consultation(
    app: &TestApp,
    fx: &ForumFixture,
    status: entity::ConsultationStatus,
    closes_on: NaiveDate,
    submitted_on: Option<NaiveDate>,
) -> Uuid {
    let now = app.state.clock.now();
    entity::consultation::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(fx.forum),
        title: Set("Past consultation".into()),
        consulting_body: Set("Ministry of Justice".into()),
        source_url: Set(None),
        description: Set(String::new()),
        closes_on: Set(closes_on),
        internal_deadline: Set(closes_on - Duration::days(7)),
        status: Set(status),
        submitted_on: Set(submitted_on),
        submission_reference: Set(submitted_on.map(|_| "sent by email".into())),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(app.db())
    .await
    .expect("a consultation")
    .id
}

#[tokio::test]
async fn the_report_shows_consultations_answered_in_time_and_the_members_taking_part() {
    use entity::ConsultationStatus::{Drafting, Submitted, Withdrawn};
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, voter, _) = app.forum_member(&fx.admin, fx.forum, "Voter").await;
    let (_, long_ago, _) = app.forum_member(&fx.admin, fx.forum, "Long Ago").await;
    app.forum_member(&fx.admin, fx.forum, "Quiet").await;
    let today = today(&app);
    past_consultation(
        &app,
        &fx,
        Submitted,
        today - Duration::days(40),
        Some(today - Duration::days(41)),
    )
    .await;
    past_consultation(
        &app,
        &fx,
        Submitted,
        today - Duration::days(40),
        Some(today - Duration::days(35)),
    )
    .await;
    past_consultation(&app, &fx, Drafting, today - Duration::days(2), None).await;
    past_consultation(&app, &fx, Withdrawn, today - Duration::days(2), None).await;

    // The member contributes now; the voter votes now; the other
    // contributed thirteen months ago, which no longer counts.
    let consultation = register(&app, &fx).await;
    contribute(
        &app,
        &fx.member,
        &consultation,
        &question(&consultation, 0),
        "Yes.",
    )
    .await
    .assert_status(StatusCode::CREATED);
    poll_on(
        &app,
        &fx,
        &id(&consultation),
        Duration::hours(1),
        &[(voter, 0)],
    )
    .await;
    let now = app.state.clock.now();
    entity::consultation_contribution::ActiveModel {
        id: Set(Uuid::now_v7()),
        consultation_id: Set(id(&consultation).parse().expect("an id")),
        question_id: Set(question(&consultation, 1).parse().expect("an id")),
        organisation_id: Set(long_ago),
        body: Set("Back then.".into()),
        version: Set(1),
        written_by: Set(None),
        created_at: Set(now - Duration::days(400)),
        updated_at: Set(now - Duration::days(400)),
    }
    .insert(app.db())
    .await
    .expect("an old contribution");

    let members = app
        .get(
            &format!(
                "/api/v1/forums/{}/memberships?status=active&limit=200",
                fx.forum
            ),
            Some(&fx.secretary.access),
        )
        .await
        .json()["items"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    let report = app
        .get("/api/v1/regions/kent-surrey-sussex/accountability", None)
        .await
        .json();
    // The report says which twelve months it counted: the report's day and
    // the same day a year before.
    let report_day = app.state.clock.now().date_naive();
    let year_before = report_day
        .checked_sub_months(chrono::Months::new(12))
        .expect("a date");
    assert_eq!(
        report["voice"],
        json!({
            "consultations_registered": 4,
            "consultations_responded": 2,
            "consultations_responded_before_closing": 1,
            "member_organisations": members,
            "organisations_taking_part": 2,
            "participation_share": 2.0 / members as f64,
            "window_months": 12,
            "window_from": year_before,
            "window_to": report_day,
        })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_officers_writing_the_first_answer_at_once_make_one_answer() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let served = app.serve().await;
    for _ in 0..5 {
        let consultation = register(&app, &fx).await;
        let path = format!(
            "/api/v1/consultations/{}/questions/{}/answer",
            id(&consultation),
            question(&consultation, 0)
        );
        let tokens = [fx.secretary.access.clone(), fx.chair.access.clone()];
        let statuses = served
            .race(2, |i, client, base| {
                client
                    .put(format!("{base}{path}"))
                    .bearer_auth(&tokens[i])
                    .json(&json!({"body": format!("The forum agrees, by {i}.")}))
            })
            .await;
        // The loser met the unique key (409), or, come second, found the
        // answer and was asked for its ETag (428): never a second answer.
        assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
        assert_eq!(
            count(&statuses, StatusCode::CONFLICT)
                + count(&statuses, StatusCode::PRECONDITION_REQUIRED),
            1,
            "{statuses:?}"
        );
        let revisions = app
            .get(&format!("{path}/revisions"), Some(&fx.member.access))
            .await
            .json();
        assert_eq!(revisions.as_array().map(Vec::len), Some(1));
    }
}
