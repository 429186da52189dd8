//! What a person is told, and their calendar feeds, chosen from their
//! account's pages over HTTP with plain forms: each kind of news as it
//! happens, in the daily email or not at all; the feed addresses of their
//! forums, and new ones made when an old one was shared by mistake.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::pages::{PageClient, text};
use crate::support::{PASSWORD, TestApp, TestUser};

async fn signed_in<'a>(app: &'a TestApp, who: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&who.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

async fn settings(app: &TestApp, who: &TestUser) -> Value {
    let read = app
        .get("/api/v1/me/notification-settings", Some(&who.access))
        .await;
    read.assert_status(StatusCode::OK);
    read.json()["settings"].clone()
}

/// Every kind the page offers, each with the mode it shows chosen.
fn chosen(html: &str) -> Vec<(String, String)> {
    html.split("<input class=\"govuk-radios__input\"")
        .skip(1)
        .filter(|input| {
            input
                .split('>')
                .next()
                .is_some_and(|i| i.contains(" checked"))
        })
        .filter_map(|input| {
            let attribute = |name: &str| {
                input
                    .split_once(&format!("{name}=\""))
                    .and_then(|(_, rest)| rest.split_once('"'))
                    .map(|(value, _)| value.to_string())
            };
            Some((attribute("name")?, attribute("value")?))
        })
        .collect()
}

#[tokio::test]
async fn a_person_chooses_the_daily_email_for_one_kind_and_nothing_for_another() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut member = signed_in(&app, &fx.member).await;
    let account = text(&member.get("/account").await);
    assert!(account.contains("href=\"/account/notifications\""));
    assert!(account.contains("href=\"/account/calendar\""));

    let page = text(&member.get("/account/notifications").await);
    let mut fields = chosen(&page);
    let defaults = settings(&app, &fx.member).await;
    assert_eq!(
        fields.len(),
        defaults.as_object().map(|o| o.len()).unwrap_or_default(),
        "every kind, each as it stands"
    );
    for (kind, mode) in &fields {
        assert_eq!(defaults[kind], mode.as_str(), "{kind}");
    }
    for (kind, mode) in &mut fields {
        match kind.as_str() {
            "meeting.scheduled" => *mode = "daily-digest".into(),
            "poll.opening" => *mode = "off".into(),
            _ => {}
        }
    }
    let sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, m)| (k.as_str(), m.as_str()))
        .collect();
    let saved = member
        .submit("/account/notifications", "/account/notifications", &sent)
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some("/account/notifications?done=saved")
    );
    let now = settings(&app, &fx.member).await;
    assert_eq!(now["meeting.scheduled"], "daily-digest");
    assert_eq!(now["poll.opening"], "off");
    assert_eq!(now["issue.raised"], defaults["issue.raised"]);
    let page = text(&member.get("/account/notifications?done=saved").await);
    assert!(page.contains("What we tell you is saved."));
    assert!(chosen(&page).contains(&("poll.opening".into(), "off".into())));
}

#[tokio::test]
async fn a_kind_left_unchosen_is_refused_on_its_field_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut member = signed_in(&app, &fx.member).await;
    let page = text(&member.get("/account/notifications").await);
    let mut fields = chosen(&page);
    fields.retain(|(kind, _)| kind != "meeting.cancelled");
    for (kind, mode) in &mut fields {
        if kind == "poll.opening" {
            *mode = "off".into();
        }
    }
    let sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, m)| (k.as_str(), m.as_str()))
        .collect();
    let refused = member
        .submit("/account/notifications", "/account/notifications", &sent)
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(html.contains("<title>Error: "));
    assert!(html.contains("href=\"#meeting.cancelled\""));
    assert!(html.contains("A meeting is cancelled must be chosen"));
    assert!(
        chosen(&html).contains(&("poll.opening".into(), "off".into())),
        "the rest kept as chosen"
    );
    assert_ne!(settings(&app, &fx.member).await["poll.opening"], "off");
}

#[tokio::test]
async fn signed_out_visitors_and_forms_without_the_token_change_nothing() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut public = PageClient::new(&app);
    for page in ["/account/notifications", "/account/calendar"] {
        let shown = public.get(page).await;
        shown.assert_status(StatusCode::SEE_OTHER);
        assert!(
            shown
                .header("location")
                .is_some_and(|l| l.starts_with("/sign-in"))
        );
    }
    let mut member = signed_in(&app, &fx.member).await;
    member
        .post_raw("/account/notifications", &[("poll.opening", "off")], &[])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    member
        .post_raw("/account/calendar", &[], &[])
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_ne!(settings(&app, &fx.member).await["poll.opening"], "off");
}

/// The token of the feed address of the page.
fn token(html: &str) -> String {
    html.split_once("calendar.ics?token=")
        .and_then(|(_, rest)| rest.split_once('<'))
        .map(|(token, _)| token.to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_member_subscribes_to_their_forum_and_makes_new_addresses_when_one_is_shared() {
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut member = signed_in(&app, &fx.member).await;
    let page = text(&member.get("/account/calendar").await);
    let feed = format!("/api/v1/forums/{}/calendar.ics?token=", fx.forum);
    assert!(
        page.contains(&format!("http://127.0.0.1:8080{feed}")),
        "{page}"
    );
    let old = token(&page);
    assert!(!old.is_empty());
    app.get(&format!("{feed}{old}"), None)
        .await
        .assert_status(StatusCode::OK);

    let renewed = member
        .submit("/account/calendar", "/account/calendar", &[])
        .await;
    renewed.assert_status(StatusCode::SEE_OTHER);
    let page = text(&member.get("/account/calendar?done=renewed").await);
    assert!(page.contains("The old ones no longer work."));
    let new = token(&page);
    assert_ne!(new, old);
    app.get(&format!("{feed}{old}"), None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.get(&format!("{feed}{new}"), None)
        .await
        .assert_status(StatusCode::OK);

    // Someone of no forum has no feed to subscribe to.
    let mut stranger = signed_in(&app, &fx.signed_in).await;
    let page = text(&stranger.get("/account/calendar").await);
    assert!(page.contains("You take part in no forum yet"));
    assert!(!page.contains("calendar.ics"));
}
