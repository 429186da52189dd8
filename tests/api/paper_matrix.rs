//! The permission table for papers (docs/permissions.md), asserted status
//! by status: every endpoint, every kind of caller, for papers of a meeting
//! before and after it is held, of a raised issue and of a regional plan.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::matrix::{
    CREATED, FORBIDDEN, NO_CONTENT, OK, UNAUTHORISED, check_row, officers_by_id, participants_by_id,
};
use crate::papers::{form, hold, id, pdf, send_form_as};
use crate::support::{Caller, ForumFixture, TestApp, TestResponse, TestUser};

use Caller::*;

const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;
const CONFLICT: StatusCode = StatusCode::CONFLICT;

/// Records only the forum's participants may learn of, asked for by id
/// without needing a token: everyone else, signed in or not, gets 404.
fn participants_only(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Public | SignedIn | OtherRegionRpdStaff | OtherForumMember => NOT_FOUND,
        _ => ok,
    }
}

fn officers_only(ok: StatusCode) -> impl Fn(Caller) -> StatusCode {
    move |caller| match caller {
        Secretary | Chair | Admin => ok,
        _ => NOT_FOUND,
    }
}

async fn upload_as(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let body = Body::from(form(fields, Some(("briefing.pdf", &pdf(2000)))));
    send_form_as(app, Method::POST, path, token, None, body).await
}

/// A paper uploaded by `by`: its id.
async fn paper(app: &TestApp, by: &TestUser, path: &str, fields: &[(&str, &str)]) -> String {
    let made = upload_as(app, Some(&by.access), path, fields).await;
    made.assert_status(CREATED);
    id(&made.json())
}

/// `GET path` for each caller.
async fn read_row(
    app: &TestApp,
    fx: &ForumFixture,
    endpoint: &str,
    path: &str,
    expected: impl Fn(Caller) -> StatusCode,
) {
    check_row(endpoint, expected, async |caller| {
        app.get(path, fx.token(caller)).await
    })
    .await;
}

/// `DELETE` of a paper made for each caller by `by`.
async fn delete_row(
    app: &TestApp,
    fx: &ForumFixture,
    endpoint: &str,
    (by, papers): (&TestUser, &str),
    expected: impl Fn(Caller) -> StatusCode,
) {
    check_row(endpoint, expected, async |caller| {
        let paper = paper(app, by, papers, &[("title", "To go")]).await;
        let path = format!("/api/v1/papers/{paper}");
        app.request(Method::DELETE, &path, fx.token(caller), None)
            .await
    })
    .await;
}

/// The paper's current `ETag`, as its officers see it.
async fn etag(app: &TestApp, fx: &ForumFixture, paper: &str) -> String {
    app.get(&format!("/api/v1/papers/{paper}"), Some(&fx.admin.access))
        .await
        .header("etag")
        .expect("an ETag")
        .to_string()
}

#[tokio::test]
async fn a_meeting_s_papers_are_read_by_its_forum_and_kept_by_its_officers() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", 48).await;
    let papers = format!("/api/v1/meetings/{meeting}/papers");
    let open = paper(&app, &fx.secretary, &papers, &[("title", "Agenda pack")]).await;

    check_row(
        "POST /meetings/{id}/papers",
        officers_by_id(CREATED),
        async |caller| upload_as(&app, fx.token(caller), &papers, &[("title", "Briefing")]).await,
    )
    .await;
    for (endpoint, path) in [
        ("GET /meetings/{id}/papers", papers.clone()),
        (
            "GET /meetings/{id}/pack",
            format!("/api/v1/meetings/{meeting}/pack"),
        ),
        ("GET /papers/{id}", format!("/api/v1/papers/{open}")),
        (
            "GET /papers/{id}/content",
            format!("/api/v1/papers/{open}/content"),
        ),
        (
            "GET /papers/{id}/versions",
            format!("/api/v1/papers/{open}/versions"),
        ),
        (
            "GET /papers/{id}/versions/{n}/content",
            format!("/api/v1/papers/{open}/versions/1/content"),
        ),
    ] {
        read_row(&app, &fx, endpoint, &path, participants_only(OK)).await;
    }
    check_row("PATCH /papers/{id}", officers_by_id(OK), async |caller| {
        let tag = etag(&app, &fx, &open).await;
        app.request_with_headers(
            Method::PATCH,
            &format!("/api/v1/papers/{open}"),
            fx.token(caller),
            &[("if-match", &tag)],
            Some(json!({"description": "Read before the meeting"})),
        )
        .await
    })
    .await;
    check_row(
        "PUT /papers/{id}/content",
        officers_by_id(OK),
        async |caller| {
            let tag = etag(&app, &fx, &open).await;
            let body = Body::from(form(&[], Some(("pack.txt", b"The pack, corrected.\n"))));
            let path = format!("/api/v1/papers/{open}/content");
            send_form_as(&app, Method::PUT, &path, fx.token(caller), Some(&tag), body).await
        },
    )
    .await;
    delete_row(
        &app,
        &fx,
        "DELETE /papers/{id}",
        (&fx.secretary, &papers),
        officers_by_id(NO_CONTENT),
    )
    .await;
}

#[tokio::test]
async fn a_held_meeting_s_public_papers_are_everyone_s_and_none_is_deleted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let meeting = app.meeting(&fx, "Spring forum", -3).await;
    let papers = format!("/api/v1/meetings/{meeting}/papers");
    let open = paper(&app, &fx.secretary, &papers, &[("title", "Agenda pack")]).await;
    let shared = [
        ("title", "Draft figures"),
        ("visibility", "participants"),
        ("visibility_reason", "not yet published"),
    ];
    let shared = paper(&app, &fx.secretary, &papers, &shared).await;
    let confidential = [
        ("title", "Counsel's opinion"),
        ("visibility", "officers"),
        ("visibility_reason", "legal advice"),
    ];
    let confidential = paper(&app, &fx.secretary, &papers, &confidential).await;
    let doomed: Vec<String> = futures_util::future::join_all(
        Caller::ALL
            .iter()
            .map(|_| paper(&app, &fx.secretary, &papers, &[("title", "Kept")])),
    )
    .await;
    hold(&app, &fx, meeting).await;

    for (endpoint, path, expected) in [
        (
            "GET /meetings/{id}/papers (held)",
            papers.clone(),
            Box::new(|_| OK) as Box<dyn Fn(Caller) -> StatusCode>,
        ),
        (
            "GET /meetings/{id}/pack (held)",
            format!("/api/v1/meetings/{meeting}/pack"),
            Box::new(|_| OK),
        ),
        (
            "GET /papers/{id}/content (held, public)",
            format!("/api/v1/papers/{open}/content"),
            Box::new(|_| OK),
        ),
        (
            "GET /papers/{id}/content (held, participants)",
            format!("/api/v1/papers/{shared}/content"),
            Box::new(participants_only(OK)),
        ),
        (
            "GET /papers/{id}/content (held, officers)",
            format!("/api/v1/papers/{confidential}/content"),
            Box::new(officers_only(OK)),
        ),
    ] {
        read_row(&app, &fx, endpoint, &path, expected).await;
    }
    // Anyone may now read the public paper, and so is refused 403, not 404.
    let mut doomed = doomed.into_iter();
    check_row(
        "DELETE /papers/{id} (held)",
        |caller| match caller {
            Public => UNAUTHORISED,
            Secretary | Chair | Admin => CONFLICT,
            _ => FORBIDDEN,
        },
        async |caller| {
            let paper = doomed.next().unwrap_or_default();
            let path = format!("/api/v1/papers/{paper}");
            app.request(Method::DELETE, &path, fx.token(caller), None)
                .await
        },
    )
    .await;
}

#[tokio::test]
async fn an_issue_s_evidence_is_kept_by_those_who_raise_and_answer_issues() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue: Value = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": "Prison leavers released on Fridays", "body": "See the figures."}),
        )
        .await
        .json();
    let papers = format!("/api/v1/issues/{}/papers", id(&issue));
    let evidence = paper(
        &app,
        &fx.member,
        &papers,
        &[("title", "Release-day figures")],
    )
    .await;
    let keepers = |ok: StatusCode| {
        move |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => NOT_FOUND,
            Observer => FORBIDDEN,
            _ => ok,
        }
    };

    check_row(
        "POST /issues/{id}/papers",
        keepers(CREATED),
        async |caller| {
            upload_as(
                &app,
                fx.token(caller),
                &papers,
                &[("title", "More figures")],
            )
            .await
        },
    )
    .await;
    read_row(
        &app,
        &fx,
        "GET /issues/{id}/papers",
        &papers,
        participants_by_id(OK),
    )
    .await;
    let content = format!("/api/v1/papers/{evidence}/content");
    read_row(
        &app,
        &fx,
        "GET /papers/{id}/content (evidence)",
        &content,
        participants_only(OK),
    )
    .await;
    delete_row(
        &app,
        &fx,
        "DELETE /papers/{id} (evidence)",
        (&fx.member, &papers),
        keepers(NO_CONTENT),
    )
    .await;
}

#[tokio::test]
async fn a_plan_s_papers_are_public_and_kept_by_the_region_s_rpd_staff() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let plan: Uuid = app
        .plan(&fx.rpd_staff, "kent-surrey-sussex", "KSS plan")
        .await;
    let papers = format!("/api/v1/plans/{plan}/papers");
    let published = paper(&app, &fx.rpd_staff, &papers, &[("title", "The plan")]).await;
    let working = [
        ("title", "Working draft"),
        ("visibility", "officers"),
        ("visibility_reason", "not yet agreed"),
    ];
    let working = paper(&app, &fx.rpd_staff, &papers, &working).await;
    let keepers = |ok: StatusCode| {
        move |caller| match caller {
            Public => UNAUTHORISED,
            RpdStaff | Admin => ok,
            _ => FORBIDDEN,
        }
    };

    check_row(
        "POST /plans/{id}/papers",
        keepers(CREATED),
        async |caller| upload_as(&app, fx.token(caller), &papers, &[("title", "Annex")]).await,
    )
    .await;
    read_row(&app, &fx, "GET /plans/{id}/papers", &papers, |_| OK).await;
    let public = format!("/api/v1/papers/{published}/content");
    read_row(
        &app,
        &fx,
        "GET /papers/{id}/content (plan)",
        &public,
        |_| OK,
    )
    .await;
    let private = format!("/api/v1/papers/{working}/content");
    read_row(
        &app,
        &fx,
        "GET /papers/{id}/content (plan, narrowed)",
        &private,
        |caller| match caller {
            RpdStaff | Admin => OK,
            _ => NOT_FOUND,
        },
    )
    .await;
    delete_row(
        &app,
        &fx,
        "DELETE /papers/{id} (plan)",
        (&fx.rpd_staff, &papers),
        keepers(NO_CONTENT),
    )
    .await;
}

#[tokio::test]
async fn a_consultation_s_papers_are_its_forum_s_until_its_response_is_submitted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let today = convene::consultations::london_today(app.state.clock.now());
    let consultation = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Strengthening probation", "consulting_body": "Ministry of Justice",
                   "closes_on": today + chrono::Duration::days(30),
                   "internal_deadline": today + chrono::Duration::days(14),
                   "questions": [{"text": "Do you agree?"}]}),
        )
        .await;
    consultation.assert_status(CREATED);
    let consultation = id(&consultation.json());
    let papers = format!("/api/v1/consultations/{consultation}/papers");
    let document = paper(
        &app,
        &fx.rpd_staff,
        &papers,
        &[("title", "The consultation")],
    )
    .await;
    let keepers = |ok: StatusCode| {
        move |caller| match caller {
            Public => UNAUTHORISED,
            SignedIn | OtherRegionRpdStaff | OtherForumMember => NOT_FOUND,
            Member | Observer => FORBIDDEN,
            _ => ok,
        }
    };

    check_row(
        "POST /consultations/{id}/papers",
        keepers(CREATED),
        async |caller| upload_as(&app, fx.token(caller), &papers, &[("title", "Briefing")]).await,
    )
    .await;
    read_row(
        &app,
        &fx,
        "GET /consultations/{id}/papers",
        &papers,
        participants_only(OK),
    )
    .await;
    let content = format!("/api/v1/papers/{document}/content");
    read_row(
        &app,
        &fx,
        "GET /papers/{id}/content (consultation)",
        &content,
        participants_only(OK),
    )
    .await;
    delete_row(
        &app,
        &fx,
        "DELETE /papers/{id} (consultation)",
        (&fx.secretary, &papers),
        keepers(NO_CONTENT),
    )
    .await;

    // Once the forum's response is submitted, its public papers are the
    // public's, and kept.
    let doomed = paper(&app, &fx.secretary, &papers, &[("title", "Kept")]).await;
    <entity::consultation::Entity as sea_orm::EntityTrait>::update_many()
        .col_expr(
            entity::consultation::Column::Status,
            sea_orm::sea_query::Expr::val("submitted"),
        )
        .exec(app.db())
        .await
        .expect("submitted");
    read_row(
        &app,
        &fx,
        "GET /papers/{id}/content (submitted)",
        &content,
        |_| OK,
    )
    .await;
    read_row(
        &app,
        &fx,
        "GET /consultations/{id}/papers (submitted)",
        &papers,
        |_| OK,
    )
    .await;
    app.request(
        Method::DELETE,
        &format!("/api/v1/papers/{doomed}"),
        Some(&fx.secretary.access),
        None,
    )
    .await
    .assert_problem(CONFLICT);
}
