//! A region's records — its plan's commitments, its funding opportunities
//! and their awards — are public: organisations are named to everyone,
//! people only to those who take part in the region's forum.

use super::*;

#[tokio::test]
async fn a_commitment_s_history_names_who_moved_it_only_to_the_region_s_forum() {
    let app = TestApp::spawn().await;
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
    app.patch(
        &format!("/api/v1/commitments/{commitment}"),
        Some(&fx.rpd_staff.access),
        json!({"status": "in-progress", "status_note": "Two housing officers in post"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let history = format!("/api/v1/commitments/{commitment}/history");

    for (who, reader) in participants(&fx) {
        let items = read(&app, &history, Some(reader)).await["items"].clone();
        let moved = items.as_array().and_then(|i| i.last()).cloned();
        let moved = moved.unwrap_or(Value::Null);
        assert_eq!(moved["to_status"], "in-progress", "{who}");
        assert_eq!(moved["changed_by_name"], RPD, "{who}");
    }
    for (who, reader) in outsiders(&fx) {
        let items = read(&app, &history, reader).await["items"].clone();
        for change in items.as_array().into_iter().flatten() {
            assert_eq!(change["changed_by"], json!(fx.rpd_staff.id), "{who}");
            assert!(change["changed_by_name"].is_null(), "{who}: {change}");
        }
    }
}

#[tokio::test]
async fn an_award_names_its_recipient_to_everyone_and_who_made_it_to_the_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opportunity = uuid_of(&publish_opportunity(&app, &fx).await);
    let made = app
        .post(
            &format!("/api/v1/opportunities/{opportunity}/awards"),
            Some(&fx.rpd_staff.access),
            json!({"organisation_id": fx.member_organisation, "amount_pence": 4_500_000}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    assert_eq!(made.json()["organisation_name"], MEMBER_ORGANISATION);
    assert_eq!(made.json()["created_by_name"], RPD);
    let award = uuid_of(&made.json());
    app.request_with_headers(
        axum::http::Method::PATCH,
        &format!("/api/v1/awards/{award}"),
        Some(&fx.rpd_staff.access),
        &[("if-match", "\"1\"")],
        Some(json!({"amount_pence": 450_000, "reason": "Typed in pounds"})),
    )
    .await
    .assert_status(StatusCode::OK);

    for (who, reader) in participants(&fx) {
        let [listed, one, revised, in_detail] =
            award_readings(&app, opportunity, award, Some(reader)).await;
        for award in [&listed, &one, &revised, &in_detail] {
            assert_eq!(award["organisation_name"], MEMBER_ORGANISATION, "{who}");
        }
        assert_eq!(listed["created_by_name"], RPD, "{who}");
        assert_eq!(one["created_by_name"], RPD, "{who}");
        assert_eq!(in_detail["created_by_name"], RPD, "{who}");
        assert_eq!(revised["changed_by_name"], RPD, "{who}");
    }
    for (who, reader) in outsiders(&fx) {
        let [listed, one, revised, in_detail] =
            award_readings(&app, opportunity, award, reader).await;
        for award in [&listed, &one, &revised, &in_detail] {
            assert_eq!(award["organisation_name"], MEMBER_ORGANISATION, "{who}");
        }
        assert_eq!(listed["created_by"], json!(fx.rpd_staff.id), "{who}");
        assert!(listed["created_by_name"].is_null(), "{who}");
        assert!(one["created_by_name"].is_null(), "{who}");
        assert!(in_detail["created_by_name"].is_null(), "{who}");
        assert!(revised["changed_by_name"].is_null(), "{who}");
    }
}

/// The award as `reader` reads it in the opportunity's list of awards, on
/// its own, as its revision after the correction, and in the opportunity.
async fn award_readings(
    app: &TestApp,
    opportunity: Uuid,
    award: Uuid,
    reader: Option<&TestUser>,
) -> [Value; 4] {
    [
        read(
            app,
            &format!("/api/v1/opportunities/{opportunity}/awards"),
            reader,
        )
        .await["items"][0]
            .clone(),
        read(app, &format!("/api/v1/awards/{award}"), reader).await,
        read(app, &format!("/api/v1/awards/{award}/revisions"), reader).await["items"][1].clone(),
        read(app, &format!("/api/v1/opportunities/{opportunity}"), reader).await["awards"][0]
            .clone(),
    ]
}

#[tokio::test]
async fn an_opportunity_names_who_published_it_only_to_the_region_s_forum() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let published = publish_opportunity(&app, &fx).await;
    assert_eq!(published["created_by_name"], RPD);
    let one = format!("/api/v1/opportunities/{}", uuid_of(&published));
    let list = "/api/v1/regions/kent-surrey-sussex/opportunities";

    for (who, reader) in participants(&fx) {
        assert_eq!(
            read(&app, &one, Some(reader)).await["created_by_name"],
            RPD,
            "{who}"
        );
        assert_eq!(
            read(&app, list, Some(reader)).await["items"][0]["created_by_name"],
            RPD,
            "{who}"
        );
    }
    for (who, reader) in outsiders(&fx) {
        let read_one = read(&app, &one, reader).await;
        assert_eq!(read_one["created_by"], json!(fx.rpd_staff.id), "{who}");
        assert!(read_one["created_by_name"].is_null(), "{who}");
        let listed = read(&app, list, reader).await;
        assert!(listed["items"][0]["created_by_name"].is_null(), "{who}");
    }
}

#[tokio::test]
async fn an_interest_names_the_organisation_and_who_registered_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let opportunity = uuid_of(&publish_opportunity(&app, &fx).await);

    let registered = app
        .post(
            &format!("/api/v1/opportunities/{opportunity}/interest"),
            Some(&fx.member.access),
            json!({"note": "We run two women's centres"}),
        )
        .await;

    registered.assert_status(StatusCode::CREATED);
    assert_eq!(registered.json()["organisation_name"], MEMBER_ORGANISATION);
    assert_eq!(registered.json()["registered_by_name"], MEMBER);
    let interests = read(
        &app,
        &format!("/api/v1/opportunities/{opportunity}/interests"),
        Some(&fx.secretary),
    )
    .await;
    assert_eq!(
        interests["items"][0]["organisation_name"],
        MEMBER_ORGANISATION
    );
    assert_eq!(interests["items"][0]["registered_by_name"], MEMBER);
}
