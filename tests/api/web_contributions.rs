//! A member organisation's contributions to a consultation, from its page
//! over HTTP with plain forms: written within the question's word limit
//! (the count's markup there for scripts to enhance), edited until the end
//! of the forum's deadline, a colleague's save never overwritten, and
//! each refusal beside the text with the text kept.

use axum::http::StatusCode;
use chrono::Duration;
use entity::consultation;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, uuid};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// An open consultation of the forum: its first question limited to 12
/// words, its second without a limit.
async fn open_consultation(app: &TestApp, fx: &ForumFixture) -> Value {
    let today = app.state.clock.now().date_naive();
    let made = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Probation estate review", "consulting_body": "Ministry of Justice",
                   "closes_on": today + Duration::days(30),
                   "internal_deadline": today + Duration::days(20),
                   "questions": [{"text": "What works in approved premises?", "word_limit": 12},
                                 {"text": "What should change?"}]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    made.json()
}

struct Question {
    page: String,
    action: String,
    id: String,
}

fn question(fx: &ForumFixture, consultation: &Value, index: usize) -> Question {
    let page = format!(
        "/forums/{}/consultations/{}",
        fx.forum,
        consultation["id"].as_str().unwrap_or_default()
    );
    let id = consultation["questions"][index]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Question {
        action: format!("{page}/questions/{id}/contribution"),
        page,
        id,
    }
}

/// The organisation's contributions as the API lists them.
async fn contributions(app: &TestApp, who: &TestUser, consultation: &Value) -> Vec<Value> {
    let listed = app
        .get(
            &format!(
                "/api/v1/consultations/{}/contributions",
                consultation["id"].as_str().unwrap_or_default()
            ),
            Some(&who.access),
        )
        .await;
    listed.assert_status(StatusCode::OK);
    listed.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The value of the hidden field `name` of the page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split_once(&marker)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(value, _)| value.to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn member_contributes_within_the_word_limit_and_edits_it_until_the_deadline() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = open_consultation(&app, &fx).await;
    let q = question(&fx, &consultation, 0);
    let mut member = signed_in(&app, &fx.member).await;

    let html = text(&member.get(&q.page).await);
    assert!(html.contains(&format!("id=\"contribution-{}\"", q.id)));
    assert!(
        html.contains(
            "data-module=\"govuk-character-count\" data-maxlength=\"12\" data-count-type=\"words\""
        ),
        "the design system's count, in words"
    );
    assert!(html.contains("You can enter up to 12 words"));
    assert!(html.contains("until the end of"), "the deadline is told");

    let said = "Key workers who stay long enough to know people.";
    let saved = member.submit(&q.page, &q.action, &[("body", said)]).await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(format!("{}?done=contribution#question-{}", q.page, q.id).as_str())
    );
    let html = text(&member.get(&format!("{}?done=contribution", q.page)).await);
    assert!(
        html.contains("Your organisation&#39;s contribution is saved")
            || html.contains("Your organisation's contribution is saved")
    );
    assert!(html.contains(&format!(">{said}</textarea>")), "to edit");
    let listed = contributions(&app, &fx.member, &consultation).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        hidden(&html, "contribution"),
        listed[0]["id"].as_str().unwrap_or_default()
    );
    assert_eq!(hidden(&html, "version"), "1");

    // Edited: the same contribution, its next version.
    let edited = "Key workers who stay, and rooms of their own.";
    member
        .submit(
            &q.page,
            &q.action,
            &[
                ("body", edited),
                ("contribution", listed[0]["id"].as_str().unwrap_or_default()),
                ("version", "1"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let listed = contributions(&app, &fx.member, &consultation).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["body"], edited);
    assert_eq!(listed[0]["version"], 2);

    // A question without a limit has a plain text box.
    let other = question(&fx, &consultation, 1);
    let html = text(&member.get(&other.page).await);
    let form = html
        .split_once(&format!("questions/{}/contribution", other.id))
        .map(|(_, form)| form.split_once("</form>").map(|f| f.0).unwrap_or(form))
        .unwrap_or_default();
    assert!(!form.contains("govuk-character-count"), "{form}");
}

#[tokio::test]
async fn a_contribution_over_the_word_limit_is_refused_beside_it_with_the_text_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = open_consultation(&app, &fx).await;
    let q = question(&fx, &consultation, 0);
    let mut member = signed_in(&app, &fx.member).await;
    let too_long =
        "Key workers who stay long enough to know people, and rooms with doors that lock.";
    let refused = member
        .submit(&q.page, &q.action, &[("body", too_long)])
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Error: "));
    assert!(html.contains(&format!("href=\"#contribution-{}\"", q.id)));
    assert!(html.contains(&format!("id=\"contribution-{}-error\"", q.id)));
    assert!(
        html.contains(
            "Your organisation&#39;s contribution has 15 words; question 1 allows at most 12"
        ),
        "{html}"
    );
    assert!(
        html.contains(&format!(">{too_long}</textarea>")),
        "the text is kept"
    );
    assert!(
        contributions(&app, &fx.member, &consultation)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_colleagues_save_since_the_page_was_read_is_not_overwritten() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = open_consultation(&app, &fx).await;
    let q = question(&fx, &consultation, 1);
    let mut member = signed_in(&app, &fx.member).await;
    member
        .submit(&q.page, &q.action, &[("body", "Rooms of their own.")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let contribution = contributions(&app, &fx.member, &consultation).await[0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let mut colleague_browser = signed_in(&app, &colleague).await;
    colleague_browser
        .submit(
            &q.page,
            &q.action,
            &[
                ("body", "Rooms of their own, near their families."),
                ("contribution", &contribution),
                ("version", "1"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let mine = "Rooms of their own, and key workers who stay.";
    let refused = member
        .submit(
            &q.page,
            &q.action,
            &[
                ("body", mine),
                ("contribution", &contribution),
                ("version", "1"),
            ],
        )
        .await;
    refused.assert_status(StatusCode::PRECONDITION_FAILED);
    let html = text(&refused);
    assert!(html.contains("saved this contribution since you opened the page"));
    assert!(
        html.contains("Rooms of their own, near their families."),
        "theirs is shown"
    );
    assert!(
        html.contains(&format!(">{mine}</textarea>")),
        "mine is kept"
    );
    assert_eq!(hidden(&html, "version"), "2", "to save again over theirs");
    let listed = contributions(&app, &fx.member, &consultation).await;
    assert_eq!(
        listed[0]["body"],
        "Rooms of their own, near their families."
    );
}

#[tokio::test]
async fn after_the_forums_deadline_no_contribution_is_offered_or_taken() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = open_consultation(&app, &fx).await;
    let q = question(&fx, &consultation, 0);
    let mut member = signed_in(&app, &fx.member).await;
    let token = csrf_token(&text(&member.get(&q.page).await));
    let yesterday = app.state.clock.now().date_naive() - Duration::days(1);
    consultation::ActiveModel {
        id: Set(uuid(&consultation)),
        internal_deadline: Set(yesterday),
        ..Default::default()
    }
    .update(app.db())
    .await
    .expect("the deadline passed");

    let html = text(&member.get(&q.page).await);
    assert!(!html.contains("Save the contribution"));
    let refused = member
        .post_raw(
            &q.action,
            &[("csrf_token", &token), ("body", "Late words.")],
            &[],
        )
        .await;
    refused.assert_status(StatusCode::CONFLICT);
    let html = text(&refused);
    assert!(html.contains("govuk-error-summary"), "{html}");
    assert!(html.contains("Contributions closed at the end of the forum"));
    assert!(html.contains("<title>Error: "));
    assert!(
        contributions(&app, &fx.member, &consultation)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn observers_rpd_staff_and_another_regions_members_contribute_nothing_here() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = open_consultation(&app, &fx).await;
    let q = question(&fx, &consultation, 0);
    for (who, status) in [
        (&fx.observer, StatusCode::FORBIDDEN),
        (&fx.rpd_staff, StatusCode::FORBIDDEN),
        (&fx.other_member, StatusCode::NOT_FOUND),
        (&fx.signed_in, StatusCode::NOT_FOUND),
    ] {
        let mut browser = signed_in(&app, who).await;
        let shown = browser.get(&q.page).await;
        if shown.status == StatusCode::OK {
            assert!(
                !text(&shown).contains("Save the contribution"),
                "{}",
                who.email
            );
        }
        let token = csrf_token(&text(&browser.get("/account").await));
        let sent = browser
            .post_raw(
                &q.action,
                &[("csrf_token", &token), ("body", "Words.")],
                &[],
            )
            .await;
        assert_eq!(sent.status, status, "{}", who.email);
    }
    // Through another forum's address, not even the member contributes.
    let mut member = signed_in(&app, &fx.member).await;
    let token = csrf_token(&text(&member.get(&q.page).await));
    let elsewhere = q
        .action
        .replace(&fx.forum.to_string(), &fx.other_forum.to_string());
    member
        .post_raw(
            &elsewhere,
            &[("csrf_token", &token), ("body", "Words.")],
            &[],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert!(
        contributions(&app, &fx.member, &consultation)
            .await
            .is_empty()
    );
}
