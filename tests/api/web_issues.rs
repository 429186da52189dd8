//! The issue pages: a member raises an issue with evidence, the region's
//! RPD staff answer it with theirs, and "Awaiting your answer" lists what
//! is left, the overdue first — each by the operations the API calls, and
//! refused to whoever the permission table refuses.

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use chrono::Duration;
use entity::raised_issue;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use serde_json::json;
use uuid::Uuid;

use crate::explain::recorder::Recorder;
use crate::papers::{form, pdf, send_form};
use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, id};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// An issue the member raises through the API.
async fn raised(app: &TestApp, fx: &ForumFixture, title: &str) -> Uuid {
    let issue = app
        .post(
            &format!("/api/v1/forums/{}/issues", fx.forum),
            Some(&fx.member.access),
            json!({"title": title, "body": "Too few beds for those released."}),
        )
        .await;
    issue.assert_status(StatusCode::CREATED);
    id(&issue.json()).parse().expect("an id")
}

fn location(response: &crate::support::TestResponse) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn issue_count(app: &TestApp) -> u64 {
    raised_issue::Entity::find()
        .count(app.db())
        .await
        .expect("a count")
}

#[tokio::test]
async fn member_raises_an_issue_with_a_pdf_and_rpd_staff_answer_it_in_time_with_evidence() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let new = format!("/forums/{}/issues/new", fx.forum);
    let mut member = signed_in(&app, &fx.member).await;
    let form_page = member.get(&new).await;
    form_page.assert_status(StatusCode::OK);
    assert!(
        text(&form_page).contains("Files up to"),
        "limits stated up front"
    );

    let sent = member
        .upload(
            &new,
            &new,
            &[
                ("title", "Hostel places for prison leavers"),
                ("body", "Twelve people released to no address in March."),
                ("priority", "high"),
            ],
            Some(("release-figures.pdf", &pdf(2_000))),
        )
        .await;
    sent.assert_status(StatusCode::SEE_OTHER);
    let issue_page = location(&sent);
    assert!(issue_page.ends_with("?done=raised"), "{issue_page}");
    let page = member.get(&issue_page).await;
    page.assert_status(StatusCode::OK);
    let html = text(&page);
    assert!(html.contains("Hostel places for prison leavers"));
    assert!(html.contains("release-figures.pdf"));
    assert!(html.contains("Due in 28 days"));
    assert!(!html.contains("Send the answer"), "members do not answer");
    let download = html
        .split("href=\"")
        .find(|h| h.contains("/papers/"))
        .and_then(|h| h.split('"').next())
        .expect("a link to the evidence")
        .to_string();
    let file = member.get(&download).await;
    file.assert_status(StatusCode::OK);
    assert_eq!(file.body.as_ref(), pdf(2_000).as_slice());

    let issue_href = issue_page.trim_end_matches("?done=raised").to_string();
    let mut rpd = signed_in(&app, &fx.rpd_staff).await;
    let awaiting = rpd.get("/awaiting-answer").await;
    awaiting.assert_status(StatusCode::OK);
    assert!(text(&awaiting).contains(&issue_href));
    app.state.clock.advance(Duration::days(3));
    let answered = rpd
        .upload(
            &issue_href,
            &format!("{issue_href}/responses"),
            &[("body", "Two more beds from April; see the contract note.")],
            Some(("contract-note.pdf", &pdf(1_500))),
        )
        .await;
    answered.assert_status(StatusCode::SEE_OTHER);
    let html = text(&member.get(&issue_href).await);
    assert!(html.contains("Two more beds from April"));
    assert!(html.contains("contract-note.pdf"));
    assert!(html.contains("Answered in time"));
    let awaiting = text(&rpd.get("/awaiting-answer").await);
    assert!(
        !awaiting.contains(&issue_href),
        "answered: no longer awaited"
    );
}

#[tokio::test]
async fn the_forum_s_issues_are_listed_newest_first_and_filtered_by_status() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    raised(&app, &fx, "Older issue").await;
    let newer = raised(&app, &fx, "Newer issue").await;
    let acknowledged = app
        .patch(
            &format!("/api/v1/issues/{newer}"),
            Some(&fx.rpd_staff.access),
            json!({"status": "acknowledged"}),
        )
        .await;
    acknowledged.assert_status(StatusCode::OK);
    let mut member = signed_in(&app, &fx.member).await;
    let list = format!("/forums/{}/issues", fx.forum);
    let html = text(&member.get(&list).await);
    let (older_at, newer_at) = (
        html.find("Older issue").expect("listed"),
        html.find("Newer issue").expect("listed"),
    );
    assert!(newer_at < older_at, "newest first");
    assert!(html.contains("Raise an issue"));
    let open_only = text(&member.get(&format!("{list}?status=open")).await);
    assert!(open_only.contains("Older issue") && !open_only.contains("Newer issue"));
    let mut observer = signed_in(&app, &fx.observer).await;
    let html = text(&observer.get(&list).await);
    assert!(html.contains("Older issue") && !html.contains("Raise an issue"));
}

#[tokio::test]
async fn another_region_s_member_reaching_this_forum_s_issue_by_id_is_told_it_is_not_found() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = raised(&app, &fx, "Hostel places").await;
    let mut welsh = signed_in(&app, &fx.other_member).await;
    for address in [
        format!("/forums/{}/issues/{issue}", fx.forum),
        format!("/forums/{}/issues/{issue}", fx.other_forum),
    ] {
        let answer = welsh.get(&address).await;
        answer.assert_status(StatusCode::NOT_FOUND);
        assert!(!text(&answer).contains("Hostel places"));
    }
    // The forum is public, its issues are not: its list is refused.
    let list = welsh.get(&format!("/forums/{}/issues", fx.forum)).await;
    list.assert_status(StatusCode::FORBIDDEN);
    assert!(!text(&list).contains("Hostel places"));
    // Their own forum's RPD staff cannot answer it either.
    let mut welsh_rpd = signed_in(&app, &fx.other_rpd_staff).await;
    let answer = welsh_rpd
        .upload(
            "/account",
            &format!("/forums/{}/issues/{issue}/responses", fx.forum),
            &[("body", "Not ours")],
            None,
        )
        .await;
    answer.assert_status(StatusCode::NOT_FOUND);
    let mut public = PageClient::new(&app);
    let signed_out = public
        .get(&format!("/forums/{}/issues/{issue}", fx.forum))
        .await;
    signed_out.assert_status(StatusCode::SEE_OTHER);
    assert!(location(&signed_out).starts_with("/sign-in"));
}

#[tokio::test]
async fn confidential_evidence_is_not_in_the_page_of_one_who_may_not_read_it() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = raised(&app, &fx, "Contract dispute").await;
    let added = send_form(
        &app,
        Method::POST,
        &format!("/api/v1/issues/{issue}/papers"),
        &fx.rpd_staff,
        None,
        Body::from(form(
            &[
                ("title", "Legal advice on the contract"),
                ("visibility", "officers"),
                ("visibility_reason", "legal advice"),
            ],
            Some(("advice.pdf", &pdf(300))),
        )),
    )
    .await;
    added.assert_status(StatusCode::CREATED);
    let page = format!("/forums/{}/issues/{issue}", fx.forum);
    let member = text(&signed_in(&app, &fx.member).await.get(&page).await);
    assert!(member.contains("Contract dispute"));
    assert!(!member.contains("Legal advice on the contract"));
    assert!(!member.contains(&id(&added.json())));
    let secretary = text(&signed_in(&app, &fx.secretary).await.get(&page).await);
    assert!(secretary.contains("Legal advice on the contract"));
    let paper = format!("{page}/papers/{}", id(&added.json()));
    signed_in(&app, &fx.member)
        .await
        .get(&paper)
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn evidence_too_large_or_of_a_kind_not_taken_is_a_field_error_and_nothing_is_raised() {
    let app = TestApp::spawn_with(|state| state.paper_max_bytes = 64 * 1024).await;
    let fx = app.forum_fixture().await;
    let new = format!("/forums/{}/issues/new", fx.forum);
    let mut member = signed_in(&app, &fx.member).await;
    let typed = [
        ("title", "Hostel figures"),
        ("body", "The figures attached."),
    ];
    let big = member
        .upload(&new, &new, &typed, Some(("big.pdf", &pdf(65 * 1024))))
        .await;
    big.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    let program = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0";
    let strange = member
        .upload(&new, &new, &typed, Some(("figures.pdf", program)))
        .await;
    strange.assert_status(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    for refused in [&big, &strange] {
        let html = text(refused);
        assert!(html.contains("govuk-error-summary"));
        assert!(html.contains("href=\"#file\""));
        assert!(
            html.contains("value=\"Hostel figures\""),
            "the title is kept"
        );
        assert!(html.contains("The figures attached."), "the text is kept");
    }
    let empty = member
        .upload(&new, &new, &[("title", ""), ("body", "Kept")], None)
        .await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&empty).contains("href=\"#title\""));
    assert_eq!(issue_count(&app).await, 0, "nothing half-written");
}

#[tokio::test]
async fn only_members_and_officers_raise_and_only_rpd_staff_answer() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = raised(&app, &fx, "Hostel places").await;
    let new = format!("/forums/{}/issues/new", fx.forum);
    let page = format!("/forums/{}/issues/{issue}", fx.forum);
    let mut observer = signed_in(&app, &fx.observer).await;
    observer
        .get(&new)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let mut rpd = signed_in(&app, &fx.rpd_staff).await;
    rpd.get(&new).await.assert_status(StatusCode::FORBIDDEN);
    assert!(text(&rpd.get(&page).await).contains("Send the answer"));
    for who in [&fx.member, &fx.secretary, &fx.observer] {
        let mut browser = signed_in(&app, who).await;
        let answer = browser
            .upload(
                &page,
                &format!("{page}/responses"),
                &[("body", "An answer")],
                None,
            )
            .await;
        answer.assert_status(StatusCode::FORBIDDEN);
        assert!(!text(&browser.get(&page).await).contains("Send the answer"));
    }
    let mut nobody = signed_in(&app, &fx.signed_in).await;
    nobody.get(&page).await.assert_status(StatusCode::NOT_FOUND);
    nobody.get(&new).await.assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn awaiting_your_answer_puts_the_overdue_first_tagged_with_how_long() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let soon = raised(&app, &fx, "Due soon").await;
    let late = raised(&app, &fx, "Long overdue").await;
    let today = app.state.clock.now().date_naive();
    let row = raised_issue::Entity::find_by_id(late)
        .one(app.db())
        .await
        .expect("a read")
        .expect("the issue");
    let mut overdue = row.into_active_model();
    overdue.response_due_on = Set(today - Duration::days(5));
    overdue.update(app.db()).await.expect("moved back");
    let mut rpd = signed_in(&app, &fx.rpd_staff).await;
    let page = rpd.get("/awaiting-answer").await;
    page.assert_status(StatusCode::OK);
    let html = text(&page);
    let (late_at, soon_at) = (
        html.find("Long overdue").expect("listed"),
        html.find("Due soon").expect("listed"),
    );
    assert!(late_at < soon_at, "overdue first");
    assert!(html.contains("5 days overdue"));
    assert!(html.contains(&format!("/forums/{}/issues/{soon}", fx.forum)));
    assert!(html.contains("2 issues await an answer."));
    // Another region's RPD staff see none of them.
    let welsh = text(
        &signed_in(&app, &fx.other_rpd_staff)
            .await
            .get("/awaiting-answer")
            .await,
    );
    assert!(!welsh.contains("Long overdue"));
}

#[tokio::test]
async fn awaiting_your_answer_is_for_rpd_staff_and_the_signed_out_are_sent_to_sign_in() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    raised(&app, &fx, "Hostel places").await;
    for who in [&fx.member, &fx.secretary, &fx.observer, &fx.signed_in] {
        let answer = signed_in(&app, who).await.get("/awaiting-answer").await;
        answer.assert_status(StatusCode::FORBIDDEN);
        assert!(text(&answer).contains("RPD staff of a region"));
        assert!(!text(&answer).contains("Hostel places"));
    }
    let signed_out = PageClient::new(&app).get("/awaiting-answer").await;
    signed_out.assert_status(StatusCode::SEE_OTHER);
    assert!(location(&signed_out).starts_with("/sign-in"));
}

#[tokio::test]
async fn awaiting_your_answer_costs_at_most_five_statements_however_many_issues() {
    let (app, recorder) = Recorder::spawn().await;
    let fx = app.forum_fixture().await;
    for n in 0..60 {
        raised(&app, &fx, &format!("Issue {n}")).await;
    }
    let mut rpd = signed_in(&app, &fx.rpd_staff).await;
    let (page, statements) = recorder.during(rpd.get("/awaiting-answer")).await;
    page.assert_status(StatusCode::OK);
    assert!(text(&page).contains("60 issues await an answer."));
    assert!(
        statements.len() <= 5,
        "{} statements:\n{}",
        statements.len(),
        statements
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test]
async fn a_re_opened_issue_awaits_another_answer_and_says_so() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let issue = raised(&app, &fx, "Hostel places").await;
    app.post(
        &format!("/api/v1/issues/{issue}/responses"),
        Some(&fx.rpd_staff.access),
        json!({"body": "Two more beds from April."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    let mut rpd = signed_in(&app, &fx.rpd_staff).await;
    assert!(!text(&rpd.get("/awaiting-answer").await).contains("Hostel places"));
    app.patch(
        &format!("/api/v1/issues/{issue}"),
        Some(&fx.member.access),
        json!({"status": "open", "reason": "The beds did not come."}),
    )
    .await
    .assert_status(StatusCode::OK);
    let html = text(&rpd.get("/awaiting-answer").await);
    assert!(html.contains("Hostel places"));
    assert!(html.contains("Re-opened"));
}
