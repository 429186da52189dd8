//! A member organisation's vote from the poll's page, over HTTP with plain
//! forms: radios or checkboxes by the poll's kind, the organisation's vote
//! as it stands ticked, changed by any of its people until the poll
//! closes; each refusal as the API refuses it, each bad choice told beside
//! the choices with what was ticked kept.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use entity::poll;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};

use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::{ForumFixture, PASSWORD, TestApp, TestUser, count, id, uuid};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

/// A poll put to the forum by its secretary, open now for a week.
async fn open_poll(app: &TestApp, fx: &ForumFixture, body: Value) -> Value {
    let mut body = body;
    body["closes_at"] = json!(app.state.clock.now() + Duration::days(7));
    let put = app
        .post(
            &format!("/api/v1/forums/{}/polls", fx.forum),
            Some(&fx.secretary.access),
            body,
        )
        .await;
    put.assert_status(StatusCode::CREATED);
    put.json()
}

async fn venue_poll(app: &TestApp, fx: &ForumFixture) -> Value {
    open_poll(
        app,
        fx,
        json!({"question": "Where should the summer forum meet?", "kind": "single-choice",
               "options": ["Maidstone", "Canterbury"], "results_before_close": true}),
    )
    .await
}

fn option(poll: &Value, index: usize) -> String {
    poll["options"][index]["id"]
        .as_str()
        .expect("an option")
        .to_string()
}

fn page_of(fx: &ForumFixture, poll: &Value) -> String {
    format!("/forums/{}/polls/{}", fx.forum, id(poll))
}

/// The organisation's vote as the API reads it to `who`.
async fn vote_of(app: &TestApp, who: &TestUser, poll: &Value) -> Value {
    let read = app
        .get(&format!("/api/v1/polls/{}", id(poll)), Some(&who.access))
        .await;
    read.assert_status(StatusCode::OK);
    read.json()["my_vote"].clone()
}

#[tokio::test]
async fn member_votes_for_their_organisation_and_a_colleague_changes_the_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = venue_poll(&app, &fx).await;
    let page = page_of(&fx, &poll);
    let mut member = signed_in(&app, &fx.member).await;

    let html = text(&member.get(&page).await);
    assert!(
        html.contains("Your organisation&#39;s vote") || html.contains("Your organisation's vote")
    );
    assert!(html.contains("type=\"radio\""), "one choice: radios");
    assert!(html.contains("Cast the vote"));
    let voted = member
        .submit(
            &page,
            &format!("{page}/vote"),
            &[("option", &option(&poll, 1))],
        )
        .await;
    voted.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        voted.header("location"),
        Some(format!("{page}?done=voted").as_str())
    );
    let html = text(&member.get(&format!("{page}?done=voted")).await);
    assert!(
        html.contains("Your organisation&#39;s vote has been cast")
            || html.contains("Your organisation's vote has been cast")
    );
    assert!(
        html.contains("Your organisation voted: Canterbury."),
        "{html}"
    );
    assert!(html.contains("Change the vote"));
    assert!(
        html.contains(&format!("value=\"{}\" checked", option(&poll, 1))),
        "the vote as it stands is ticked"
    );
    assert_eq!(
        vote_of(&app, &fx.member, &poll).await["option_ids"],
        json!([option(&poll, 1)])
    );

    // Anyone of the organisation changes it; the last vote counts, once.
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let mut colleague_browser = signed_in(&app, &colleague).await;
    let html = text(&colleague_browser.get(&page).await);
    assert!(html.contains("Your organisation voted: Canterbury."));
    colleague_browser
        .submit(
            &page,
            &format!("{page}/vote"),
            &[("option", &option(&poll, 0))],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let vote = vote_of(&app, &fx.member, &poll).await;
    assert_eq!(vote["option_ids"], json!([option(&poll, 0)]));
    assert_eq!(vote["cast_by"], colleague.id.to_string());
    let results = app
        .get(
            &format!("/api/v1/polls/{}/results", id(&poll)),
            Some(&fx.secretary.access),
        )
        .await
        .json();
    assert_eq!(results["votes_cast"], 1, "one organisation, one vote");
}

#[tokio::test]
async fn a_multiple_choice_poll_takes_checkboxes_and_refuses_too_many_keeping_the_ticks() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = open_poll(
        &app,
        &fx,
        json!({"question": "Which themes should the forum take up this year?",
               "kind": "multiple-choice", "max_choices": 2,
               "options": ["Housing", "Employment", "Women", "Health"]}),
    )
    .await;
    let page = page_of(&fx, &poll);
    let mut member = signed_in(&app, &fx.member).await;
    let html = text(&member.get(&page).await);
    assert!(
        html.contains("type=\"checkbox\""),
        "several choices: checkboxes"
    );

    let (housing, women, health) = (option(&poll, 0), option(&poll, 2), option(&poll, 3));
    let refused = member
        .submit(
            &page,
            &format!("{page}/vote"),
            &[
                ("option", &housing),
                ("option", &women),
                ("option", &health),
            ],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("govuk-error-summary"));
    assert!(
        html.contains("href=\"#option\""),
        "the summary leads to the choices"
    );
    assert!(html.contains("id=\"option-error\""));
    for ticked in [&housing, &women, &health] {
        assert!(
            html.contains(&format!("value=\"{ticked}\" checked")),
            "what was ticked is kept"
        );
    }
    assert_eq!(vote_of(&app, &fx.member, &poll).await, Value::Null);

    member
        .submit(
            &page,
            &format!("{page}/vote"),
            &[("option", &housing), ("option", &health)],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        vote_of(&app, &fx.member, &poll).await["option_ids"],
        json!([housing, health])
    );
}

#[tokio::test]
async fn nothing_chosen_or_a_made_up_choice_is_told_beside_the_choices() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = venue_poll(&app, &fx).await;
    let page = page_of(&fx, &poll);
    let mut member = signed_in(&app, &fx.member).await;
    for sent in [vec![], vec![("option", "Canterbury")], vec![("option", "")]] {
        let refused = member.submit(&page, &format!("{page}/vote"), &sent).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let html = text(&refused);
        assert!(html.contains("id=\"option-error\""), "{sent:?}: {html}");
    }
    let another_polls_option = {
        let other = venue_poll(&app, &fx).await;
        option(&other, 0)
    };
    let refused = member
        .submit(
            &page,
            &format!("{page}/vote"),
            &[("option", &another_polls_option)],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("id=\"option-error\""));
    assert_eq!(vote_of(&app, &fx.member, &poll).await, Value::Null);
}

#[tokio::test]
async fn observers_rpd_staff_and_another_regions_members_have_no_vote_here() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = venue_poll(&app, &fx).await;
    let page = page_of(&fx, &poll);
    let choice = option(&poll, 0);

    for (who, status) in [
        (&fx.observer, StatusCode::FORBIDDEN),
        (&fx.rpd_staff, StatusCode::FORBIDDEN),
        (&fx.other_member, StatusCode::NOT_FOUND),
        (&fx.signed_in, StatusCode::NOT_FOUND),
    ] {
        let mut browser = signed_in(&app, who).await;
        let shown = browser.get(&page).await;
        if status == StatusCode::FORBIDDEN {
            let html = text(&shown);
            assert!(!html.contains("Cast the vote"), "no vote offered");
        }
        // The form sent anyway, with a token the visitor holds.
        let token = csrf_token(&text(&browser.get("/account").await));
        let sent = browser
            .post_raw(
                &format!("{page}/vote"),
                &[("csrf_token", &token), ("option", &choice)],
                &[],
            )
            .await;
        assert_eq!(sent.status, status, "{}", who.email);
    }
    // Through another forum's address, not even the member reaches it.
    let mut member = signed_in(&app, &fx.member).await;
    let token = csrf_token(&text(&member.get(&page).await));
    let elsewhere = format!("/forums/{}/polls/{}/vote", fx.other_forum, id(&poll));
    member
        .post_raw(
            &elsewhere,
            &[("csrf_token", &token), ("option", &choice)],
            &[],
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Without the page's token, nothing is cast.
    member
        .post_raw(&format!("{page}/vote"), &[("option", &choice)], &[])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_eq!(vote_of(&app, &fx.member, &poll).await, Value::Null);

    // Signed out, the vote's address sends the visitor to sign in first.
    let mut public = PageClient::new(&app);
    let shown = public.get(&page).await;
    shown.assert_status(StatusCode::SEE_OTHER);
    assert!(
        shown
            .header("location")
            .is_some_and(|l| l.starts_with("/sign-in"))
    );
}

#[tokio::test]
async fn a_vote_sent_after_the_poll_closed_is_refused_on_the_page_not_counted() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = venue_poll(&app, &fx).await;
    let page = page_of(&fx, &poll);
    let mut member = signed_in(&app, &fx.member).await;
    let token = csrf_token(&text(&member.get(&page).await));

    // The poll closes while the page is open.
    poll::ActiveModel {
        id: Set(uuid(&poll)),
        opens_at: Set(app.state.clock.now() - Duration::days(1)),
        closes_at: Set(app.state.clock.now() - Duration::minutes(1)),
        ..Default::default()
    }
    .update(app.db())
    .await
    .expect("the poll closed");

    let refused = member
        .post_raw(
            &format!("{page}/vote"),
            &[("csrf_token", &token), ("option", &option(&poll, 0))],
            &[],
        )
        .await;
    refused.assert_status(StatusCode::CONFLICT);
    let html = text(&refused);
    assert!(html.contains("govuk-error-summary"), "{html}");
    assert!(
        !html.contains("Cast the vote"),
        "no vote offered once closed"
    );
    assert_eq!(vote_of(&app, &fx.member, &poll).await, Value::Null);
}

/// Two people of one organisation voting at once from their own pages:
/// the organisation has one vote, whichever of theirs came last.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_of_one_organisation_voting_at_once_cast_one_vote() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let poll = venue_poll(&app, &fx).await;
    let page = page_of(&fx, &poll);
    let colleague = app.colleague(&fx, fx.member_organisation).await;
    let mut sessions = Vec::new();
    for (who, choice) in [(&fx.member, 0), (&colleague, 1)] {
        let mut browser = signed_in(&app, who).await;
        let token = csrf_token(&text(&browser.get(&page).await));
        let cookie = browser
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        sessions.push((cookie, token, option(&poll, choice)));
    }
    let served = app.serve().await;

    let statuses = served
        .race(8, |i, client, base| {
            let (cookie, token, choice) = &sessions[i % sessions.len()];
            client
                .post(format!("{base}{page}/vote"))
                .header("cookie", cookie)
                .header("origin", base)
                .header("accept", "text/html")
                .form(&[("csrf_token", token.as_str()), ("option", choice.as_str())])
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::OK), 8, "{statuses:?}");
    let results = app
        .request(
            Method::GET,
            &format!("/api/v1/polls/{}/results", id(&poll)),
            Some(&fx.secretary.access),
            None,
        )
        .await
        .json();
    assert_eq!(results["votes_cast"], 1, "{results}");
    let tallied: u64 = results["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["votes"].as_u64().unwrap_or_default())
        .sum();
    assert_eq!(tallied, 1);
    let vote = vote_of(&app, &fx.member, &poll).await;
    assert!(
        [fx.member.id.to_string(), colleague.id.to_string()]
            .contains(&vote["cast_by"].as_str().unwrap_or_default().to_string())
    );
}
