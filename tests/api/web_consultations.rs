//! A consultation run from the browser by its forum's officers: registered
//! with its questions, answered jointly citing the members'
//! contributions, put to the members' poll and moved on — with the
//! operation's refusals on the fields and no answer ever overwritten.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::support::pages::{PageClient, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, builders};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// A consultation of the forum registered through the API, with the
/// member's contribution to its first question; its JSON.
async fn consultation_with_a_contribution(app: &TestApp, fx: &ForumFixture) -> Value {
    let today = app.state.clock.now().date_naive();
    let made = app
        .post(
            &format!("/api/v1/forums/{}/consultations", fx.forum),
            Some(&fx.secretary.access),
            json!({"title": "Probation estate review", "consulting_body": "Ministry of Justice",
                   "closes_on": today + Duration::days(30),
                   "internal_deadline": today + Duration::days(20),
                   "questions": [{"text": "What works in approved premises?"},
                                 {"text": "What should change?"}]}),
        )
        .await;
    made.assert_status(StatusCode::CREATED);
    let consultation = made.json();
    app.post(
        &format!(
            "/api/v1/consultations/{}/contributions",
            consultation["id"].as_str().unwrap_or_default()
        ),
        Some(&fx.member.access),
        json!({"question_id": consultation["questions"][0]["id"],
               "body": "Key workers who stay long enough to know people."}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    consultation
}

#[tokio::test]
async fn a_secretary_registers_a_consultation_with_its_questions() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let today = app.state.clock.now().date_naive();
    let new = format!("/forums/{}/consultations/new", fx.forum);

    let made = secretary
        .submit(
            &new,
            &new,
            &[
                ("title", "Women's centres funding"),
                ("consulting_body", "Ministry of Justice"),
                ("source_url", ""),
                ("description", ""),
                ("closes_on", &(today + Duration::days(30)).to_string()),
                (
                    "internal_deadline",
                    &(today + Duration::days(20)).to_string(),
                ),
                (
                    "questions",
                    "What do women's centres need?\n\nHow should they be funded?\n",
                ),
                ("word_limit", "300"),
            ],
        )
        .await;

    made.assert_status(StatusCode::SEE_OTHER);
    let to = made
        .headers
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("to the consultation")
        .to_string();
    let html = text(&secretary.get(&to).await);
    assert!(
        html.contains("Question 1: What do women&#39;s centres need?"),
        "{html}"
    );
    assert!(html.contains("Question 2: How should they be funded?"));
    assert!(html.contains("Answers of at most 300 words."));
}

#[tokio::test]
async fn a_deadline_after_the_close_is_refused_on_its_field_and_everything_typed_is_kept() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let today = app.state.clock.now().date_naive();
    let new = format!("/forums/{}/consultations/new", fx.forum);

    let refused = secretary
        .submit(
            &new,
            &new,
            &[
                ("title", "Women's centres funding"),
                ("consulting_body", "Ministry of Justice"),
                ("closes_on", &(today + Duration::days(10)).to_string()),
                (
                    "internal_deadline",
                    &(today + Duration::days(20)).to_string(),
                ),
                ("questions", "What do women's centres need?"),
                ("word_limit", "many"),
            ],
        )
        .await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains(r##"href="#word_limit""##), "{html}");
    assert!(html.contains("What do women&#39;s centres need?</textarea>"));
    assert!(html.contains(r#"value="Ministry of Justice""#));

    let late = secretary
        .submit(
            &new,
            &new,
            &[
                ("title", "Women's centres funding"),
                ("consulting_body", "Ministry of Justice"),
                ("closes_on", &(today + Duration::days(10)).to_string()),
                (
                    "internal_deadline",
                    &(today + Duration::days(20)).to_string(),
                ),
                ("questions", "What do women's centres need?"),
            ],
        )
        .await;
    late.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&late).contains(r##"href="#internal_deadline""##),
        "{}",
        text(&late)
    );
}

#[tokio::test]
async fn two_officers_answer_the_same_question_and_the_second_sees_both_answers_to_merge() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = consultation_with_a_contribution(&app, &fx).await;
    let id = consultation["id"].as_str().unwrap_or_default();
    let question = consultation["questions"][0]["id"]
        .as_str()
        .unwrap_or_default();
    let page = format!("/forums/{}/consultations/{id}", fx.forum);
    let answer = format!("{page}/questions/{question}/answer");
    let mut secretary = signed_in(&app, &fx.secretary).await;
    let mut chair = signed_in(&app, &fx.chair).await;

    let shown = text(&secretary.get(&page).await);
    assert!(shown.contains("Key workers who stay long enough to know people."));
    let contribution = shown
        .split(r#"name="cites" type="checkbox" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the contribution to cite")
        .to_string();
    secretary
        .submit(
            &page,
            &answer,
            &[("body", "Stable key workers."), ("cites", &contribution)],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    // Both read the answer at version 1; the chair saves first.
    let token_of = |html: &str| crate::support::pages::csrf_token(html);
    let secretary_page = text(&secretary.get(&page).await);
    chair
        .submit(
            &page,
            &answer,
            &[("body", "Key workers who stay."), ("version", "1")],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = secretary
        .post_raw(
            &answer,
            &[
                ("csrf_token", &token_of(&secretary_page)),
                ("body", "Stable key workers, and peer mentors."),
                ("version", "1"),
            ],
            &[],
        )
        .await;

    stale.assert_status(StatusCode::PRECONDITION_FAILED);
    let html = text(&stale);
    assert!(html.contains("Changed by"), "{html}");
    assert!(html.contains("Chair"), "who changed it is named");
    assert!(
        html.contains("<p class=\"govuk-body\">Key workers who stay.</p>"),
        "theirs shown"
    );
    assert!(
        html.contains("Stable key workers, and peer mentors.</textarea>"),
        "mine kept"
    );
    assert!(
        html.contains(r#"name="version" value="2""#),
        "a merge saves over theirs"
    );
    let merged = secretary
        .post_raw(
            &answer,
            &[
                ("csrf_token", &token_of(&html)),
                ("body", "Key workers who stay, and peer mentors."),
                ("version", "2"),
            ],
            &[],
        )
        .await;
    merged.assert_status(StatusCode::SEE_OTHER);
    let saved = app
        .get(
            &format!("/api/v1/consultations/{id}/response"),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(
        saved["questions"][0]["answer"]["body"],
        "Key workers who stay, and peer mentors."
    );
}

#[tokio::test]
async fn the_response_goes_to_the_members_poll_once_it_is_being_drafted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = consultation_with_a_contribution(&app, &fx).await;
    let id = consultation["id"].as_str().unwrap_or_default();
    let page = format!("/forums/{}/consultations/{id}", fx.forum);
    let mut secretary = signed_in(&app, &fx.secretary).await;
    assert!(!text(&secretary.get(&page).await).contains("The members&#39; poll"));

    secretary
        .submit(
            &page,
            &format!("{page}/status"),
            &[("status", "drafting"), ("version", "1")],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let closes = (app.state.clock.now().date_naive() + Duration::days(7)).to_string();
    let polled = secretary
        .submit(&page, &format!("{page}/poll"), &[("closes_on", &closes)])
        .await;

    polled.assert_status(StatusCode::SEE_OTHER);
    let polls = app
        .get(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.member.access),
        )
        .await
        .json();
    assert_eq!(polls["items"][0]["consultation_id"], consultation["id"]);
    let no_choice = secretary
        .submit(
            &page,
            &format!("{page}/status"),
            &[("status", ""), ("version", "2")],
        )
        .await;
    no_choice.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&no_choice).contains(r##"href="#status""##));
}

#[tokio::test]
async fn members_read_the_consultation_but_write_nothing_and_other_regions_reach_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = consultation_with_a_contribution(&app, &fx).await;
    let id = consultation["id"].as_str().unwrap_or_default();
    let question = consultation["questions"][0]["id"]
        .as_str()
        .unwrap_or_default();
    let page = format!("/forums/{}/consultations/{id}", fx.forum);
    let welsh = app.user("Welsh Secretary").await;
    builders::role(
        app.db(),
        fx.other_forum,
        welsh.id,
        entity::ForumRole::Secretary,
        app.state.clock.now(),
    )
    .await;

    let mut member = signed_in(&app, &fx.member).await;
    let shown = text(&member.get(&page).await);
    assert!(shown.contains("Key workers who stay long enough"));
    assert!(!shown.contains("Save the answer"));
    member
        .submit(
            &page,
            &format!("{page}/questions/{question}/answer"),
            &[("body", "Ours")],
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
    member
        .get(&format!("/forums/{}/consultations/new", fx.forum))
        .await
        .assert_status(StatusCode::FORBIDDEN);

    let mut wales = signed_in(&app, &welsh).await;
    wales.get(&page).await.assert_status(StatusCode::NOT_FOUND);
    wales
        .get(&format!("/forums/{}/consultations/{id}", fx.other_forum))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let mut public = PageClient::new(&app);
    public.get(&page).await.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_officers_see_every_contribution_however_many_to_cite_any_of_them() {
    use sea_orm::{EntityTrait, Set};
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let consultation = consultation_with_a_contribution(&app, &fx).await;
    let id: uuid::Uuid = consultation["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("id");
    let questions: Vec<uuid::Uuid> = (0..2)
        .filter_map(|n| consultation["questions"][n]["id"].as_str()?.parse().ok())
        .collect();
    let now = app.state.clock.now();
    let mut rows = Vec::new();
    for n in 0..101 {
        let organisation =
            crate::support::builders::organisation(app.db(), &format!("Charity {n:03}"), now).await;
        for (q, question) in questions.iter().enumerate() {
            rows.push(entity::consultation_contribution::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                consultation_id: Set(id),
                question_id: Set(*question),
                organisation_id: Set(organisation),
                body: Set(format!("Contribution {n:03} to question {}", q + 1)),
                version: Set(1),
                written_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
    }
    entity::consultation_contribution::Entity::insert_many(rows)
        .exec(app.db())
        .await
        .expect("203 contributions in all");
    let mut browser = signed_in(&app, &fx.secretary).await;

    let page = text(
        &browser
            .get(&format!("/forums/{}/consultations/{id}", fx.forum))
            .await,
    );

    for n in [0, 50, 100] {
        for q in [1, 2] {
            let contribution = format!("Contribution {n:03} to question {q}");
            assert!(page.contains(&contribution), "{contribution} is missing");
        }
    }
    assert!(page.contains("Key workers who stay long enough to know people."));
}
