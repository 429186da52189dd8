//! Signing in from a browser: a session cookie on the same session rows as
//! the API's tokens, forms that carry their visitor's CSRF token and must
//! come from Convene's own pages, and the account emails' links to the
//! pages that take their codes.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::mail::smtp_worker;
use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::smtp::SmtpServer;
use crate::support::{PASSWORD, TestApp, TestUser};

/// The attributes of the session cookie a response sets.
fn session_cookie_attributes(response: &crate::support::TestResponse) -> String {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("convene_session="))
        .unwrap_or_else(|| panic!("no session cookie in {:?}", response.headers))
        .to_string()
}

async fn display_name(app: &TestApp, person: &TestUser) -> String {
    let me = app.get("/api/v1/me", Some(&person.access)).await;
    me.json()["display_name"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_that_no_script_or_other_site_can_use() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam Okafor").await;
    let mut browser = PageClient::new(&app);

    let signed_in = browser.sign_in(&sam.email, PASSWORD).await;

    signed_in.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(signed_in.header("location"), Some("/account"));
    let cookie = session_cookie_attributes(&signed_in);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(cookie.contains("Max-Age="), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on this machine: {cookie}"
    );
    let account = browser.get("/account").await;
    account.assert_status(StatusCode::OK);
    let html = text(&account);
    assert!(html.contains("Sam Okafor"));
    assert!(html.contains(&sam.email));
}

#[tokio::test]
async fn the_session_cookie_is_secure_wherever_convene_is_not_on_this_machine() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut browser = PageClient::at(&app, "convene.example.org", "https://convene.example.org");

    let signed_in = browser.sign_in(&sam.email, PASSWORD).await;

    signed_in.assert_status(StatusCode::SEE_OTHER);
    assert!(session_cookie_attributes(&signed_in).contains("Secure"));
}

#[tokio::test]
async fn a_wrong_password_shows_the_error_summary_and_keeps_the_email_but_not_the_password() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut browser = PageClient::new(&app);

    let refused = browser.sign_in(&sam.email, "not the password at all").await;

    refused.assert_status(StatusCode::UNAUTHORIZED);
    let html = text(&refused);
    assert!(html.contains("govuk-error-summary"));
    assert!(html.contains("<a href=\"#email\">The email or password is incorrect</a>"));
    assert!(html.contains(&format!("value=\"{}\"", sam.email)));
    assert!(!html.contains("not the password at all"));
    assert!(html.contains("<title>Error: Sign in"));
    assert!(!browser.cookies.contains_key("convene_session"));
}

#[tokio::test]
async fn a_sign_in_goes_back_to_the_page_that_asked_but_never_to_another_site() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut browser = PageClient::new(&app);

    let asked = browser.get("/account").await;
    asked.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(asked.header("location"), Some("/sign-in?next=/account"));

    for (next, lands) in [("/themes", "/themes"), ("//evil.example", "/account")] {
        let mut browser = PageClient::new(&app);
        let signed_in = browser
            .submit(
                "/sign-in",
                "/sign-in",
                &[
                    ("email", &sam.email),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(signed_in.header("location"), Some(lands), "{next}");
    }
}

/// A form's fields, or a request's headers.
type Fields<'a> = Vec<(&'a str, &'a str)>;

/// Signs in a browser and returns the name-changing form's token.
async fn signed_in_browser<'a>(app: &'a TestApp, person: &TestUser) -> (PageClient<'a>, String) {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&person.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let account = browser.get("/account").await;
    let token = csrf_token(&text(&account));
    (browser, token)
}

#[tokio::test]
async fn a_form_without_its_visitors_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = signed_in_browser(&app, &sam).await;
    let (_, other_sessions_token) = signed_in_browser(&app, &sam).await;

    let attempts: [(&str, Fields, Fields); 5] = [
        ("no token", vec![], vec![]),
        ("a made-up token", vec![("csrf_token", "AAAA")], vec![]),
        (
            "another session's token",
            vec![("csrf_token", &other_sessions_token)],
            vec![],
        ),
        (
            "the right token from another site",
            vec![("csrf_token", &token)],
            vec![("origin", "https://evil.example")],
        ),
        (
            "the right token with neither Origin nor Referer",
            vec![("csrf_token", &token)],
            vec![("origin", "null")],
        ),
    ];
    for (what, mut fields, headers) in attempts {
        fields.push(("display_name", "Mallory"));
        let refused = browser.post_raw("/account/name", &fields, &headers).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{what}");
        assert!(text(&refused).contains("govuk-heading-l"), "{what}: a page");
        assert_eq!(display_name(&app, &sam).await, "Sam", "{what}");
    }

    let from_here = browser
        .post_raw(
            "/account/name",
            &[("csrf_token", &token), ("display_name", "Sam Okafor")],
            &[],
        )
        .await;
    from_here.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(display_name(&app, &sam).await, "Sam Okafor");
}

#[tokio::test]
async fn a_referer_from_this_site_stands_for_a_missing_origin() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = signed_in_browser(&app, &sam).await;

    let changed = browser
        .post_raw(
            "/account/name",
            &[("csrf_token", &token), ("display_name", "Sam Okafor")],
            &[
                ("origin", "null"),
                ("referer", "http://127.0.0.1:8080/account"),
            ],
        )
        .await;

    changed.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_signed_out_browsers_form_token_is_no_good_once_it_has_signed_in() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut browser = PageClient::new(&app);
    let before = csrf_token(&text(&browser.get("/sign-in").await));
    browser
        .sign_in(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let stale = browser
        .post_raw(
            "/account/name",
            &[("csrf_token", &before), ("display_name", "Mallory")],
            &[],
        )
        .await;

    stale.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(display_name(&app, &sam).await, "Sam");
}

#[tokio::test]
async fn signing_out_ends_the_session_for_the_browser_and_any_copy_of_its_cookie() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = signed_in_browser(&app, &sam).await;
    let copied = browser.cookies.clone();

    let out = browser
        .post_raw("/sign-out", &[("csrf_token", &token)], &[])
        .await;

    out.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(out.header("location"), Some("/sign-in?signed-out=1"));
    assert!(session_cookie_attributes(&out).contains("Max-Age=0"));
    assert!(!browser.cookies.contains_key("convene_session"));
    let mut thief = PageClient::new(&app);
    thief.cookies = copied;
    let account = thief.get("/account").await;
    account.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn signing_out_everywhere_ends_the_api_sessions_too() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = signed_in_browser(&app, &sam).await;

    let everywhere = browser
        .post_raw("/account/sessions/end-all", &[("csrf_token", &token)], &[])
        .await;

    everywhere.assert_status(StatusCode::SEE_OTHER);
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": sam.refresh}),
    )
    .await
    .assert_status(StatusCode::UNAUTHORIZED);
    browser
        .get("/account")
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn ending_the_browsers_session_from_the_api_signs_the_browser_out() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, _) = signed_in_browser(&app, &sam).await;

    let sessions = app.get("/api/v1/me/sessions", Some(&sam.access)).await;
    sessions.assert_status(StatusCode::OK);
    let items = sessions.json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 2, "the API's and the browser's: {items:?}");
    let in_browser = items
        .iter()
        .find(|s| s["kind"] == "browser")
        .expect("the browser's session");
    assert_eq!(in_browser["current"], false);
    let api_session = items
        .iter()
        .find(|s| s["kind"] == "api")
        .expect("the API's");
    assert_eq!(api_session["current"], true);

    app.request(
        axum::http::Method::DELETE,
        &format!(
            "/api/v1/me/sessions/{}",
            in_browser["id"].as_str().unwrap_or_default()
        ),
        Some(&sam.access),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    browser
        .get("/account")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn nobody_can_end_another_persons_session() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mallory = app.user("Mallory").await;
    let sams = app
        .get("/api/v1/me/sessions", Some(&sam.access))
        .await
        .json();
    let id = sams["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    app.request(
        axum::http::Method::DELETE,
        &format!("/api/v1/me/sessions/{id}"),
        Some(&mallory.access),
        None,
    )
    .await
    .assert_problem(StatusCode::NOT_FOUND);
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::OK);
    app.get("/api/v1/me/sessions", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_account_page_lists_where_the_person_is_signed_in_and_ends_one() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = signed_in_browser(&app, &sam).await;

    let html = text(&browser.get("/account").await);
    assert!(html.contains("An API client"));
    assert!(html.contains("This browser"));
    let sessions = app
        .get("/api/v1/me/sessions", Some(&sam.access))
        .await
        .json();
    let api_session = sessions["items"]
        .as_array()
        .and_then(|items| items.iter().find(|s| s["kind"] == "api"))
        .and_then(|s| s["id"].as_str())
        .unwrap_or_default()
        .to_string();

    let ended = browser
        .post_raw(
            &format!("/account/sessions/{api_session}/end"),
            &[("csrf_token", &token)],
            &[],
        )
        .await;

    ended.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(ended.header("location"), Some("/account?done=session"));
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let after = text(&browser.get("/account?done=session").await);
    assert!(after.contains("That session has ended."));
    assert!(!after.contains("An API client"));
}

#[tokio::test]
async fn a_password_too_short_is_shown_beside_its_field_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = signed_in_browser(&app, &sam).await;

    let refused = browser
        .post_raw(
            "/account/password",
            &[
                ("csrf_token", &token),
                ("current_password", PASSWORD),
                ("new_password", "short"),
            ],
            &[],
        )
        .await;

    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&refused);
    assert!(
        html.contains(
            "<a href=\"#new_password\">New password must be 12 to 256 characters long</a>"
        )
    );
    assert!(html.contains("id=\"new_password-error\""));
    app.login(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

/// The path and query of the link in an email's text that opens `page`.
fn link_to(message: &crate::support::smtp::Received, page: &str) -> String {
    let text = message.text();
    let start = text
        .find(&format!("https://convene.example.org{page}?code="))
        .unwrap_or_else(|| panic!("no link to {page} in {text}"));
    text[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_start_matches("https://convene.example.org")
        .to_string()
}

#[tokio::test]
async fn a_new_person_registers_confirms_from_the_emailed_link_and_signs_in() {
    let app = TestApp::spawn().await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let mut browser = PageClient::new(&app);

    let registered = browser
        .submit(
            "/register",
            "/register",
            &[
                ("display_name", "Rhys Evans"),
                ("email", "rhys@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    registered.assert_status(StatusCode::OK);
    assert!(text(&registered).contains("We have emailed rhys@example.org"));
    worker.run_once().await.expect("a pass");
    let email = &smtp.received()[0];
    let link = link_to(email, "/confirm-email");
    assert!(
        email.text().contains("Code: "),
        "the code too, for API clients"
    );

    let landing = browser.get(&link).await;
    landing.assert_status(StatusCode::OK);
    let code = link.split("code=").nth(1).unwrap_or_default();
    assert!(text(&landing).contains(&format!("value=\"{code}\"")));
    let confirmed = browser
        .submit(&link, "/confirm-email", &[("token", code)])
        .await;
    confirmed.assert_status(StatusCode::OK);
    assert!(text(&confirmed).contains("Email address confirmed"));

    browser
        .sign_in("rhys@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(text(&browser.get("/account").await).contains("Rhys Evans"));
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_emailed_link() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let mut browser = PageClient::new(&app);

    let asked = browser
        .submit(
            "/reset-password",
            "/reset-password",
            &[("email", &sam.email)],
        )
        .await;
    asked.assert_status(StatusCode::OK);
    assert!(text(&asked).contains("Check your email"));
    worker.run_once().await.expect("a pass");
    let link = link_to(&smtp.received()[0], "/reset-password/new");
    let code = link.split("code=").nth(1).unwrap_or_default().to_string();

    let too_short = browser
        .submit(
            &link,
            "/reset-password/new",
            &[("token", &code), ("new_password", "short")],
        )
        .await;
    too_short.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&too_short).contains(&format!("value=\"{code}\"")),
        "the code is kept"
    );

    let reset = browser
        .submit(
            &link,
            "/reset-password/new",
            &[("token", &code), ("new_password", "a brand new passphrase")],
        )
        .await;
    reset.assert_status(StatusCode::OK);
    assert!(text(&reset).contains("Password changed"));
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    browser
        .sign_in(&sam.email, "a brand new passphrase")
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_public_pages_offer_sign_in_and_show_who_is_signed_in() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam Okafor").await;
    let mut browser = PageClient::new(&app);

    let home = text(&browser.get("/").await);
    assert!(home.contains("href=\"/sign-in\""));
    assert!(
        !browser.cookies.contains_key("convene_browser"),
        "no form, no cookie"
    );

    browser
        .sign_in(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let home = text(&browser.get("/").await);
    assert!(home.contains("Sam Okafor"));
    assert!(home.contains("action=\"/sign-out\""));
}
