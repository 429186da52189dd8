//! The permission table (docs/permissions.md), asserted status by status:
//! for each endpoint, what every kind of caller gets. Later areas extend this
//! file with their own endpoints in the same shape.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Caller, ForumFixture, TestApp, TestResponse};

use Caller::*;

mod meetings;

pub(crate) const OK: StatusCode = StatusCode::OK;
pub(crate) const CREATED: StatusCode = StatusCode::CREATED;
pub(crate) const NO_CONTENT: StatusCode = StatusCode::NO_CONTENT;
pub(crate) const UNAUTHORISED: StatusCode = StatusCode::UNAUTHORIZED;
pub(crate) const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;

/// Sends one JSON request per caller: see [`check_row`].
async fn assert_row(
    app: &TestApp,
    fx: &ForumFixture,
    endpoint: &str,
    expected: impl Fn(Caller) -> StatusCode,
    mut request: impl AsyncFnMut(Caller) -> (Method, String, Option<Value>),
) {
    check_row(endpoint, expected, async |caller| {
        let (method, path, body) = request(caller).await;
        app.request(method, &path, fx.token(caller), body).await
    })
    .await;
}

/// Has each caller send their request and collects every mismatch, so a
/// failure shows the whole row of the table at once.
pub(crate) async fn check_row(
    endpoint: &str,
    expected: impl Fn(Caller) -> StatusCode,
    mut send: impl AsyncFnMut(Caller) -> TestResponse,
) {
    let mut mismatches = Vec::new();
    for caller in Caller::ALL {
        let response = send(caller).await;
        let want = expected(caller);
        if response.status != want {
            mismatches.push(format!(
                "{caller:?}: got {} want {want} ({})",
                response.status,
                String::from_utf8_lossy(&response.body)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{endpoint}:\n  {}",
        mismatches.join("\n  ")
    );
}

pub(crate) fn officers_and_admin(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public => UNAUTHORISED,
        Secretary | Chair | Admin => ok,
        _ => FORBIDDEN,
    }
}

pub(crate) fn admin_only(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public => UNAUTHORISED,
        Admin => ok,
        _ => FORBIDDEN,
    }
}

#[tokio::test]
async fn forums_are_public_to_read() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "GET /forums",
        |_| OK,
        async |_| (Method::GET, "/api/v1/forums".into(), None),
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /forums/{id}",
        |_| OK,
        async |_| (Method::GET, format!("/api/v1/forums/{}", fx.forum), None),
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/memberships",
        |_| OK,
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/memberships", fx.forum),
                None,
            )
        },
    )
    .await;
}

#[tokio::test]
async fn only_admins_create_forums() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(&app, &fx, "POST /forums", admin_only(CREATED), async |_| {
        (
            Method::POST,
            "/api/v1/forums".into(),
            Some(json!({"region": "london", "name": "London Forum"})),
        )
    })
    .await;
}

#[tokio::test]
async fn officers_edit_the_forum_profile_and_only_admins_its_settings() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}", fx.forum);

    assert_row(
        &app,
        &fx,
        "PATCH /forums/{id} (profile)",
        officers_and_admin(OK),
        async |_| {
            (
                Method::PATCH,
                path.clone(),
                Some(json!({"terms_of_reference": "## Purpose"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PATCH /forums/{id} (settings)",
        admin_only(OK),
        async |_| {
            (
                Method::PATCH,
                path.clone(),
                Some(json!({"issue_response_days": 21})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn only_admins_apply_on_behalf_of_another_organisation() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let path = format!("/api/v1/forums/{}/memberships", fx.forum);

    // The Welsh organisation has no membership here, so only permission stands in the way.
    assert_row(&app, &fx, "POST /forums/{id}/memberships (for another organisation)", |caller| match caller {
        Public => UNAUTHORISED,
        Admin => CREATED,
        OtherForumMember => CREATED, // it is their own organisation
        _ => FORBIDDEN,
    }, async |caller| {
        let body = json!({"organisation_id": fx.other_member_organisation, "statement": "We would like to join"});
        if caller == Admin {
            // The Welsh member applied a moment ago; the admin applies for a fresh organisation.
            let org = app.post("/api/v1/organisations", Some(&fx.admin.access), crate::support::organisation_body("Fresh")).await.json();
            return (Method::POST, path.clone(), Some(json!({"organisation_id": org["id"], "statement": "Joining"})));
        }
        (Method::POST, path.clone(), Some(body))
    })
    .await;
}

#[tokio::test]
async fn officers_decide_memberships() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "PATCH /forums/{id}/memberships/{mid}",
        officers_and_admin(OK),
        async |caller| {
            let (_, membership) = app
                .applicant(&fx.admin, fx.forum, &format!("Applicant for {caller:?}"))
                .await;
            (
                Method::PATCH,
                format!("/api/v1/forums/{}/memberships/{membership}", fx.forum),
                Some(json!({"status": "active"})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn only_the_organisation_itself_or_an_admin_leaves() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "PATCH membership to left",
        |caller| match caller {
            Public => UNAUTHORISED,
            Member | Admin => OK,
            _ => FORBIDDEN,
        },
        async |caller| {
            let membership = if caller == Member {
                fx.member_membership
            } else {
                let (_, membership) = app.applicant(&fx.admin, fx.forum, "Leaver").await;
                app.set_membership(&fx.admin, fx.forum, membership, json!({"status": "active"}))
                    .await;
                membership
            };
            (
                Method::PATCH,
                format!("/api/v1/forums/{}/memberships/{membership}", fx.forum),
                Some(json!({"status": "left"})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn the_forums_participants_read_its_roles() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/roles",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => FORBIDDEN,
            _ => OK,
        },
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/roles", fx.forum),
                None,
            )
        },
    )
    .await;
}

#[tokio::test]
async fn officers_assign_observers_and_members() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "PUT /forums/{id}/roles/{user_id} observer",
        officers_and_admin(CREATED),
        async |_| {
            let target = app.bare_user("Target").await;
            (
                Method::PUT,
                format!("/api/v1/forums/{}/roles/{target}", fx.forum),
                Some(json!({"role": "observer"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/role-candidates",
        officers_and_admin(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/role-candidates", fx.forum),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "DELETE /forums/{id}/roles/{user_id} observer",
        officers_and_admin(NO_CONTENT),
        async |_| {
            let target = app.bare_user("Target").await;
            app.put_role(&fx.admin, fx.forum, target, "observer").await;
            (
                Method::DELETE,
                format!("/api/v1/forums/{}/roles/{target}", fx.forum),
                None,
            )
        },
    )
    .await;
}

#[tokio::test]
async fn only_admins_assign_secretaries_chairs_and_rpd_staff() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    for role in ["secretary", "chair", "rpd-staff"] {
        assert_row(
            &app,
            &fx,
            &format!("PUT /forums/{{id}}/roles/{{user_id}} {role}"),
            admin_only(CREATED),
            async |_| {
                let target = app.bare_user("Target").await;
                (
                    Method::PUT,
                    format!("/api/v1/forums/{}/roles/{target}", fx.forum),
                    Some(json!({"role": role})),
                )
            },
        )
        .await;
        assert_row(
            &app,
            &fx,
            &format!("DELETE /forums/{{id}}/roles/{{user_id}} {role}"),
            admin_only(NO_CONTENT),
            async |_| {
                let target = app.bare_user("Target").await;
                app.put_role(&fx.admin, fx.forum, target, role).await;
                (
                    Method::DELETE,
                    format!("/api/v1/forums/{}/roles/{target}", fx.forum),
                    None,
                )
            },
        )
        .await;
    }
}

#[tokio::test]
async fn officers_and_the_regions_rpd_staff_read_the_forums_audit_trail() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "GET /audit?forum_id=",
        |caller| match caller {
            Public => UNAUTHORISED,
            Secretary | Chair | RpdStaff | Admin => OK,
            _ => FORBIDDEN,
        },
        async |_| {
            (
                Method::GET,
                format!("/api/v1/audit?forum_id={}", fx.forum),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /audit (whole trail)",
        admin_only(OK),
        async |_| (Method::GET, "/api/v1/audit".into(), None),
    )
    .await;
}

/// Participant-only records reached through their forum: outsiders get 403
/// (the forum is public, its records are not).
pub(crate) fn participants_via_forum(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public => UNAUTHORISED,
        SignedIn | OtherRegionRpdStaff | OtherForumMember => FORBIDDEN,
        _ => ok,
    }
}

/// Participant-only records reached by their own id: outsiders cannot learn
/// they exist (404).
pub(crate) fn participants_by_id(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public => UNAUTHORISED,
        SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
        _ => ok,
    }
}

/// Officers' acts on a record reached by id: outsiders 404, other participants 403.
pub(crate) fn officers_by_id(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public => UNAUTHORISED,
        SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
        Member | Observer | RpdStaff => FORBIDDEN,
        _ => ok,
    }
}

/// Plans and commitments: anyone reads; the region's RPD staff and admins write.
fn plan_editors(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public => UNAUTHORISED,
        RpdStaff | Admin => ok,
        _ => FORBIDDEN,
    }
}

#[tokio::test]
async fn anyone_reads_plans_and_only_the_regions_rpd_staff_keep_them() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
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

    for path in [
        "/api/v1/regions/kent-surrey-sussex/plans".to_string(),
        format!("/api/v1/plans/{plan}"),
        format!("/api/v1/plans/{plan}/commitments"),
        format!("/api/v1/commitments/{commitment}"),
        format!("/api/v1/commitments/{commitment}/history"),
    ] {
        assert_row(
            &app,
            &fx,
            &format!("GET {path}"),
            |_| OK,
            async |_| (Method::GET, path.clone(), None),
        )
        .await;
    }
    assert_row(
        &app,
        &fx,
        "POST /regions/{code}/plans",
        plan_editors(CREATED),
        async |_| {
            (
                Method::POST,
                "/api/v1/regions/kent-surrey-sussex/plans".into(),
                Some(json!({"title": "P", "period": "2022-23", "current": false})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PATCH /plans/{id}",
        plan_editors(OK),
        async |_| {
            (
                Method::PATCH,
                format!("/api/v1/plans/{plan}"),
                Some(json!({"period": "2021-22"})),
            )
        },
    )
    .await;
    let mut n = 0;
    assert_row(&app, &fx, "POST /plans/{id}/commitments", plan_editors(CREATED), async |_| {
        n += 1;
        let body = json!({"reference": format!("KSS-X-{n}"), "theme": "women", "firmness": "general", "text": "x"});
        (Method::POST, format!("/api/v1/plans/{plan}/commitments"), Some(body))
    })
    .await;
    assert_row(
        &app,
        &fx,
        "PATCH /commitments/{id}",
        plan_editors(OK),
        async |_| {
            (
                Method::PATCH,
                format!("/api/v1/commitments/{commitment}"),
                Some(json!({"target": "90%"})),
            )
        },
    )
    .await;
}

#[tokio::test]
async fn participants_create_actions_and_officers_or_owners_update_them() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
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
    let action = app
        .post(
            &format!("/api/v1/forums/{}/actions", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Owned by the member", "owner_organisation_id": fx.member_organisation}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Members of the owning organisation may update; so may officers.
    let updaters = |ok: StatusCode| {
        move |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            Observer | RpdStaff => FORBIDDEN,
            _ => ok,
        }
    };

    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/actions",
        participants_via_forum(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/actions", fx.forum),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "POST /forums/{id}/actions",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember | Observer => FORBIDDEN,
            _ => CREATED,
        },
        async |_| {
            (
                Method::POST,
                format!("/api/v1/forums/{}/actions", fx.forum),
                Some(json!({"title": "New"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /actions/{id}",
        participants_by_id(OK),
        async |_| (Method::GET, format!("/api/v1/actions/{action}"), None),
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /actions/{id}/updates",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/actions/{action}/updates"),
                None,
            )
        },
    )
    .await;
    assert_row(&app, &fx, "PATCH /actions/{id}", updaters(OK), async |_| {
        (
            Method::PATCH,
            format!("/api/v1/actions/{action}"),
            Some(json!({"description": "More detail"})),
        )
    })
    .await;
    assert_row(
        &app,
        &fx,
        "POST /actions/{id}/updates",
        updaters(CREATED),
        async |_| {
            (
                Method::POST,
                format!("/api/v1/actions/{action}/updates"),
                Some(json!({"body": "Progress"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PUT /actions/{id}/commitments/{cid}",
        updaters(OK),
        async |_| {
            (
                Method::PUT,
                format!("/api/v1/actions/{action}/commitments/{commitment}"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "DELETE /actions/{id}/commitments/{cid}",
        updaters(NO_CONTENT),
        async |_| {
            app.request(
                Method::PUT,
                &format!("/api/v1/actions/{action}/commitments/{commitment}"),
                Some(&fx.admin.access),
                None,
            )
            .await;
            (
                Method::DELETE,
                format!("/api/v1/actions/{action}/commitments/{commitment}"),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /commitments/{id}/actions",
        participants_via_forum(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/commitments/{commitment}/actions"),
                None,
            )
        },
    )
    .await;
}

#[tokio::test]
async fn the_accountability_report_is_public() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;

    assert_row(
        &app,
        &fx,
        "GET /regions/{code}/accountability",
        |_| OK,
        async |_| {
            (
                Method::GET,
                "/api/v1/regions/kent-surrey-sussex/accountability".into(),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /accountability/themes",
        |_| OK,
        async |_| (Method::GET, "/api/v1/accountability/themes".into(), None),
    )
    .await;
}

#[tokio::test]
async fn members_raise_issues_the_regions_rpd_staff_answer_and_raisers_or_officers_settle() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let raise = async || -> String {
        let issue = app
            .post(
                &format!("/api/v1/forums/{}/issues", fx.forum),
                Some(&fx.member.access),
                json!({"title": "T", "body": "B"}),
            )
            .await;
        issue.json()["id"].as_str().unwrap_or_default().to_string()
    };
    let issue = raise().await;

    assert_row(
        &app,
        &fx,
        "GET /forums/{id}/issues",
        participants_via_forum(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/forums/{}/issues", fx.forum),
                None,
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "POST /forums/{id}/issues",
        |caller| match caller {
            Public => UNAUTHORISED,
            Member | Secretary | Chair | Admin => CREATED,
            _ => FORBIDDEN,
        },
        async |_| {
            (
                Method::POST,
                format!("/api/v1/forums/{}/issues", fx.forum),
                Some(json!({"title": "T", "body": "B"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /issues/{id}",
        participants_by_id(OK),
        async |_| (Method::GET, format!("/api/v1/issues/{issue}"), None),
    )
    .await;
    assert_row(
        &app,
        &fx,
        "GET /issues/{id}/responses",
        participants_by_id(OK),
        async |_| {
            (
                Method::GET,
                format!("/api/v1/issues/{issue}/responses"),
                None,
            )
        },
    )
    .await;
    let rpd_only = |ok: StatusCode| {
        move |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            RpdStaff | Admin => ok,
            _ => FORBIDDEN,
        }
    };
    assert_row(
        &app,
        &fx,
        "PATCH /issues/{id} acknowledge",
        rpd_only(OK),
        async |_| {
            let fresh = raise().await;
            (
                Method::PATCH,
                format!("/api/v1/issues/{fresh}"),
                Some(json!({"status": "acknowledged"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "POST /issues/{id}/responses",
        rpd_only(CREATED),
        async |_| {
            (
                Method::POST,
                format!("/api/v1/issues/{issue}/responses"),
                Some(json!({"body": "Answer"})),
            )
        },
    )
    .await;
    assert_row(
        &app,
        &fx,
        "PATCH /issues/{id} close",
        |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => StatusCode::NOT_FOUND,
            // The member raised it.
            Member | Secretary | Chair | Admin => OK,
            _ => FORBIDDEN,
        },
        async |_| {
            let fresh = raise().await;
            app.post(
                &format!("/api/v1/issues/{fresh}/responses"),
                Some(&fx.rpd_staff.access),
                json!({"body": "Answer"}),
            )
            .await;
            (
                Method::PATCH,
                format!("/api/v1/issues/{fresh}"),
                Some(json!({"status": "closed"})),
            )
        },
    )
    .await;
}
