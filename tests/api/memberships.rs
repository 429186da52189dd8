use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::uuid as id;
use crate::support::{ForumFixture, TestApp, count, organisation_body};

fn names(page: &Value) -> Vec<String> {
    let mut names: Vec<String> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["organisation"]["name"].as_str().map(String::from))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_organisation_applies_and_the_secretary_approves_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, org) = app.organisation_member("Founder").await;

    let applied = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&founder.access),
            json!({"statement": "Housing advice for prison leavers"}),
        )
        .await;
    applied.assert_status(StatusCode::CREATED);
    let membership = applied.json();
    assert_eq!(membership["status"], "applied");
    assert_eq!(membership["organisation"]["id"], json!(org));

    let approved = app
        .set_membership(
            &fx.secretary,
            fx.forum,
            id(&membership),
            json!({"status": "active"}),
        )
        .await;

    approved.assert_status(StatusCode::OK);
    assert_eq!(approved.json()["status"], "active");
    app.put_role(&fx.secretary, fx.forum, founder.id, "member")
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_second_open_application_is_a_conflict() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, _) = app.organisation_member("Founder").await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);
    app.post(&path, Some(&founder.access), json!({"statement": "First"}))
        .await
        .assert_status(StatusCode::CREATED);

    let again = app
        .post(&path, Some(&founder.access), json!({"statement": "Second"}))
        .await;
    let already_member = app
        .post(
            &path,
            Some(&fx.member.access),
            json!({"statement": "Again"}),
        )
        .await;

    let problem = again.assert_problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("applied"))
    );
    let problem = already_member.assert_problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("active"))
    );
}

#[tokio::test]
async fn after_a_rejection_an_organisation_may_apply_again() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, membership) = app.applicant(&fx.admin, fx.forum, "Hopeful").await;
    app.set_membership(
        &fx.chair,
        fx.forum,
        membership,
        json!({"status": "rejected", "reason": "Outside the region"}),
    )
    .await
    .assert_status(StatusCode::OK);
    let org = app
        .get(
            &format!("/api/v1/forums/{}/memberships?status=rejected", fx.forum),
            Some(&fx.chair.access),
        )
        .await
        .json();
    let org_id = org["items"][0]["organisation"]["id"].clone();
    assert_eq!(org["items"][0]["status_reason"], "Outside the region");

    let again = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&fx.admin.access),
            json!({"organisation_id": org_id, "statement": "We now work in Kent"}),
        )
        .await;

    again.assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn every_move_outside_the_state_machine_is_a_conflict_naming_the_current_state() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, applied) = app.applicant(&fx.admin, fx.forum, "Applied").await;
    let refused = [
        (applied, "suspended", Some("why")),
        (applied, "left", None),
        (fx.member_membership, "active", None),
        (fx.member_membership, "rejected", None),
    ];
    for (membership, status, reason) in refused {
        let response = app
            .set_membership(
                &fx.admin,
                fx.forum,
                membership,
                json!({"status": status, "reason": reason}),
            )
            .await;
        let problem = response.assert_problem(StatusCode::CONFLICT);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains("applied") || d.contains("active")),
            "{problem}"
        );
    }

    // Rejected and left are final.
    app.set_membership(&fx.admin, fx.forum, applied, json!({"status": "rejected"}))
        .await
        .assert_status(StatusCode::OK);
    for status in ["active", "suspended", "left"] {
        app.set_membership(
            &fx.admin,
            fx.forum,
            applied,
            json!({"status": status, "reason": "r"}),
        )
        .await
        .assert_problem(StatusCode::CONFLICT);
    }
    let back_to_applied = app
        .set_membership(&fx.admin, fx.forum, applied, json!({"status": "applied"}))
        .await;
    assert_eq!(back_to_applied.invalid_fields(), ["status"]);
}

#[tokio::test]
async fn suspending_needs_a_reason_and_ends_the_organisations_member_roles() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/roles", fx.forum);

    let no_reason = app
        .set_membership(
            &fx.secretary,
            fx.forum,
            fx.member_membership,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(no_reason.invalid_fields(), ["reason"]);

    app.set_membership(
        &fx.secretary,
        fx.forum,
        fx.member_membership,
        json!({"status": "suspended", "reason": "Missed three meetings"}),
    )
    .await
    .assert_status(StatusCode::OK);

    let roles = app
        .get(&format!("{path}?role=member"), Some(&fx.secretary.access))
        .await
        .json();
    assert_eq!(roles["items"].as_array().map_or(0, Vec::len), 0);
    app.get(&path, Some(&fx.member.access))
        .await
        .assert_problem(StatusCode::FORBIDDEN);
    let again = app
        .put_role(&fx.secretary, fx.forum, fx.member.id, "member")
        .await;
    assert_eq!(again.invalid_fields(), ["role"]);

    // Reinstated, the organisation's people can be members again.
    app.set_membership(
        &fx.secretary,
        fx.forum,
        fx.member_membership,
        json!({"status": "active", "reason": "Back"}),
    )
    .await
    .assert_status(StatusCode::OK);
    app.put_role(&fx.secretary, fx.forum, fx.member.id, "member")
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn an_organisation_leaves_and_its_people_lose_their_member_roles() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    let left = app
        .set_membership(
            &fx.member,
            fx.forum,
            fx.member_membership,
            json!({"status": "left"}),
        )
        .await;

    left.assert_status(StatusCode::OK);
    assert_eq!(left.json()["status"], "left");
    assert_eq!(
        left.json()["organisation"]["id"],
        json!(fx.member_organisation)
    );
    app.get(
        &format!("/api/v1/forums/{}/roles", fx.forum),
        Some(&fx.member.access),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
    // The Welsh member's role elsewhere is untouched.
    app.get(
        &format!("/api/v1/forums/{}/roles", fx.other_forum),
        Some(&fx.other_member.access),
    )
    .await
    .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn the_secretary_cannot_make_an_organisation_leave() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    app.set_membership(
        &fx.secretary,
        fx.forum,
        fx.member_membership,
        json!({"status": "left"}),
    )
    .await
    .assert_problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn applying_needs_an_organisation_and_a_statement() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);

    let no_org = app
        .post(
            &path,
            Some(&fx.signed_in.access),
            json!({"statement": "Hello"}),
        )
        .await;
    let (founder, _) = app.organisation_member("Founder").await;
    let no_statement = app
        .post(&path, Some(&founder.access), json!({"statement": " "}))
        .await;
    let unknown_forum = app
        .post(
            &format!("/api/v1/forums/{}/memberships", Uuid::now_v7()),
            Some(&founder.access),
            json!({"statement": "Hi"}),
        )
        .await;

    assert_eq!(no_org.invalid_fields(), ["organisation_id"]);
    assert_eq!(no_statement.invalid_fields(), ["statement"]);
    unknown_forum.assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_membership_of_another_forum_is_not_found_through_this_one() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let welsh = app
        .get(
            &format!("/api/v1/forums/{}/memberships", fx.other_forum),
            Some(&fx.admin.access),
        )
        .await
        .json();
    let welsh_membership = id(&welsh["items"][0]);

    let response = app
        .set_membership(
            &fx.secretary,
            fx.forum,
            welsh_membership,
            json!({"status": "suspended", "reason": "x"}),
        )
        .await;

    response.assert_problem(StatusCode::NOT_FOUND);
}

async fn mixed_forum(app: &TestApp) -> ForumFixture {
    let fx = app.forum_fixture().await;
    app.applicant(&fx.admin, fx.forum, "Still Applying").await;
    let mut provider = organisation_body("Big Provider");
    provider["size_band"] = json!("major");
    provider["in_supply_chain"] = json!(true);
    provider["led_by_and_for"] = json!([]);
    provider["themes"] = json!(["commissioning"]);
    let org = app
        .post("/api/v1/organisations", Some(&fx.admin.access), provider)
        .await
        .json();
    let membership = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&fx.admin.access),
            json!({"organisation_id": org["id"], "statement": "Contracts"}),
        )
        .await
        .json();
    app.set_membership(
        &fx.admin,
        fx.forum,
        id(&membership),
        json!({"status": "active"}),
    )
    .await;
    fx
}

#[tokio::test]
async fn outsiders_see_active_members_public_profiles_and_nothing_of_their_memberships() {
    let app = TestApp::spawn().await;
    let fx = mixed_forum(&app).await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);

    for token in [
        None,
        Some(fx.signed_in.access.as_str()),
        Some(fx.other_rpd_staff.access.as_str()),
    ] {
        let page = app.get(&path, token).await.json();
        assert_eq!(names(&page), ["Big Provider", "Member's charity"]);
        for item in page["items"].as_array().into_iter().flatten() {
            assert_eq!(item["status"], "active");
            let organisation = &item["organisation"];
            assert!(item.get("statement").is_none() && item.get("created_at").is_none());
            // The profile the forum's public page shows; not whether it
            // holds probation contracts.
            assert!(organisation["size_band"].is_string(), "{organisation}");
            assert!(organisation["led_by_and_for"].is_array(), "{organisation}");
            assert!(organisation["themes"].is_array(), "{organisation}");
            assert!(
                organisation.get("in_supply_chain").is_none(),
                "{organisation}"
            );
        }
        let provider = page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["organisation"]["name"] == "Big Provider")
            .expect("the provider is listed");
        assert_eq!(provider["organisation"]["size_band"], "major");
        assert_eq!(provider["organisation"]["led_by_and_for"], json!([]));
    }
}

#[tokio::test]
async fn an_applicant_sees_its_own_application() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, _) = app.organisation_member("Founder").await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);
    app.post(&path, Some(&founder.access), json!({"statement": "Please"}))
        .await;

    let page = app.get(&path, Some(&founder.access)).await.json();

    let own: Vec<&Value> = page["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["status"] == "applied")
        .collect();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0]["statement"], "Please");
}

#[tokio::test]
async fn participants_see_every_membership_and_filter_them() {
    let app = TestApp::spawn().await;
    let fx = mixed_forum(&app).await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);

    let all = app.get(&path, Some(&fx.observer.access)).await.json();
    let applied = app
        .get(&format!("{path}?status=applied"), Some(&fx.observer.access))
        .await
        .json();
    let outside = app
        .get(
            &format!("{path}?in_supply_chain=false&status=active"),
            Some(&fx.rpd_staff.access),
        )
        .await
        .json();
    let major = app
        .get(&format!("{path}?size_band=major"), Some(&fx.member.access))
        .await
        .json();
    let lived = app
        .get(
            &format!("{path}?led_by_and_for=lived-experience"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let commissioning = app
        .get(
            &format!("{path}?theme=commissioning"),
            Some(&fx.member.access),
        )
        .await
        .json();
    let bad = app
        .get(
            &format!("{path}?status=pending"),
            Some(&fx.secretary.access),
        )
        .await;

    assert_eq!(
        names(&all),
        ["Big Provider", "Member's charity", "Still Applying"]
    );
    assert!(all["items"][0]["statement"].is_string());
    assert_eq!(names(&applied), ["Still Applying"]);
    assert_eq!(names(&outside), ["Member's charity"]);
    assert_eq!(names(&major), ["Big Provider"]);
    assert_eq!(names(&lived), ["Member's charity", "Still Applying"]);
    assert_eq!(names(&commissioning), ["Big Provider"]);
    assert_eq!(bad.invalid_fields(), ["status"]);
}

/// Ten officers decide one application at the same moment, some approving
/// and some rejecting: exactly one decision is made, and the other nine are
/// told the state they found.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_ten_concurrent_decisions_on_one_application_exactly_one_is_made() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, membership) = app.applicant(&fx.admin, fx.forum, "Contested").await;
    let served = app.serve().await;
    let path = format!("/api/v1/forums/{}/memberships/{membership}", fx.forum);

    let statuses = served
        .race(10, |i, client, base| {
            let (officer, decision) = match i % 3 {
                0 => (&fx.secretary, json!({"status": "active"})),
                1 => (
                    &fx.chair,
                    json!({"status": "rejected", "reason": "Out of area"}),
                ),
                _ => (&fx.admin, json!({"status": "active"})),
            };
            client
                .patch(format!("{base}{path}"))
                .bearer_auth(&officer.access)
                .json(&decision)
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 9, "{statuses:?}");
    let decided = app
        .get(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    let status = decided["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["id"] == json!(membership))
        .map(|m| m["status"].clone())
        .unwrap_or_default();
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::OK)
        .unwrap_or_default();
    assert_eq!(
        status,
        if winner % 3 == 1 {
            "rejected"
        } else {
            "active"
        },
        "{statuses:?}"
    );
    let decisions = audit_count(&app, membership).await;
    assert_eq!(decisions, 1);
}

async fn audit_count(app: &TestApp, membership: Uuid) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::EntityId.eq(membership))
        .filter(entity::audit_event::Column::Action.eq("membership.status-changed"))
        .count(app.db())
        .await
        .expect("count audit events")
}

/// A decision that finds the membership moved on names the state it found.
#[tokio::test]
async fn a_decision_on_a_decided_application_names_the_state_it_found() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (_, membership) = app.applicant(&fx.admin, fx.forum, "Decided").await;
    app.set_membership(&fx.chair, fx.forum, membership, json!({"status": "active"}))
        .await
        .assert_status(StatusCode::OK);

    let late = app
        .set_membership(
            &fx.secretary,
            fx.forum,
            membership,
            json!({"status": "rejected", "reason": "Too late"}),
        )
        .await;

    let problem = late.assert_problem(StatusCode::CONFLICT);
    assert_eq!(
        problem["detail"],
        "this membership is active; it cannot become rejected"
    );
}

#[tokio::test]
async fn a_reason_is_one_line_and_a_statement_may_have_several() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, _) = app.organisation_member("Founder").await;

    let statement = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.forum),
            Some(&founder.access),
            json!({"statement": "We offer:\n- housing advice\n- mentoring"}),
        )
        .await;
    statement.assert_status(StatusCode::CREATED);
    let reason = app
        .set_membership(
            &fx.secretary,
            fx.forum,
            id(&statement.json()),
            json!({"status": "rejected", "reason": "Out of area\r\nInjected: yes"}),
        )
        .await;
    let nul = app
        .post(
            &format!("/api/v1/forums/{}/memberships", fx.other_forum),
            Some(&founder.access),
            json!({"statement": "Nul\u{0}byte"}),
        )
        .await;

    assert_eq!(
        statement
            .header("location")
            .map(|l| l.ends_with(&id(&statement.json()).to_string())),
        Some(true)
    );
    assert_eq!(reason.invalid_fields(), ["reason"]);
    assert_eq!(nul.invalid_fields(), ["statement"]);
}

/// One organisation applying several times at the same moment ends up with
/// one open application; the others are 409.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_applications_of_one_organisation_make_one() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, _) = app.organisation_member("Eager").await;
    let served = app.serve().await;

    let statuses = served
        .race(8, |i, client, base| {
            client
                .post(format!("{base}/api/v1/forums/{}/memberships", fx.forum))
                .bearer_auth(&founder.access)
                .json(&json!({"statement": format!("Application {i}")}))
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 7, "{statuses:?}");
}

#[tokio::test]
async fn one_membership_reads_in_full_to_participants_and_not_at_all_to_others_until_active() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let (founder, _) = app.organisation_member("Founder").await;
    let list = format!("/api/v1/forums/{}/memberships", fx.forum);
    let applied = app
        .post(&list, Some(&founder.access), json!({"statement": "Please"}))
        .await;
    applied.assert_status(StatusCode::CREATED);
    let location = applied
        .headers
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a Location")
        .to_string();

    let to_observer = app.get(&location, Some(&fx.observer.access)).await;
    let to_applicant = app.get(&location, Some(&founder.access)).await;
    let to_outsider = app.get(&location, Some(&fx.signed_in.access)).await;
    let to_public = app.get(&location, None).await;
    let to_wales = app
        .get(
            &location.replace(&fx.forum.to_string(), &fx.other_forum.to_string()),
            Some(&fx.other_rpd_staff.access),
        )
        .await;
    let active_member = app
        .get(&format!("{list}/{}", fx.member_membership), None)
        .await;

    to_observer.assert_status(StatusCode::OK);
    assert_eq!(to_observer.json()["statement"], "Please");
    assert_eq!(to_applicant.json()["statement"], "Please");
    to_outsider.assert_status(StatusCode::NOT_FOUND);
    to_public.assert_status(StatusCode::NOT_FOUND);
    to_wales.assert_status(StatusCode::NOT_FOUND);
    active_member.assert_status(StatusCode::OK);
    assert!(active_member.json().get("statement").is_none());
}
