//! Changing one's email address: asked for with the current password, made
//! only by the code emailed to the new address, told to the old one, and
//! never to an address that another account has — which the asker learns
//! no more about than registration would tell them.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::mail::{code_in, link_in, received_by, smtp_worker};
use crate::support::pages::{PageClient, csrf_token, text};
use crate::support::smtp::SmtpServer;
use crate::support::{PASSWORD, TestApp, TestResponse, TestUser, count};

const ASK: &str = "/api/v1/me/email";
const CONFIRM: &str = "/api/v1/auth/email-change/confirm";
const CONFIRM_SUBJECT: &str = "Confirm your new email address for Convene";
const NOTICE_SUBJECT: &str = "A change of your Convene email address was asked for";
const TAKEN_SUBJECT: &str = "This address already has a Convene account";

async fn ask(app: &TestApp, person: &TestUser, new_email: &str, password: &str) -> TestResponse {
    app.post(
        ASK,
        Some(&person.access),
        json!({"new_email": new_email, "current_password": password}),
    )
    .await
}

async fn confirm(app: &TestApp, token: &str, signed_in: Option<&TestUser>) -> TestResponse {
    app.post(
        CONFIRM,
        signed_in.map(|p| p.access.as_str()),
        json!({ "token": token }),
    )
    .await
}

async fn email_of(app: &TestApp, person: &TestUser) -> String {
    use sea_orm::EntityTrait;
    entity::user::Entity::find_by_id(person.id)
        .one(app.db())
        .await
        .expect("read the account")
        .expect("the account")
        .email
}

/// The code of the email change sent to `address`, from the email itself.
fn code_sent_to(smtp: &SmtpServer, address: &str) -> String {
    let sent = received_by(smtp, address);
    let message = sent
        .iter()
        .rev()
        .find(|m| m.header("Subject").as_deref() == Some(CONFIRM_SUBJECT))
        .unwrap_or_else(|| panic!("no confirmation sent to {address}: {sent:?}"));
    code_in(message)
}

#[tokio::test]
async fn an_address_changes_only_when_the_code_emailed_to_it_is_used() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);

    let asked = ask(&app, &sam, "  Sam.Jones@Example.ORG ", PASSWORD).await;

    asked.assert_status(StatusCode::ACCEPTED);
    assert_eq!(asked.json()["new_email"], "sam.jones@example.org");
    worker.run_once().await.expect("a pass");
    // The new address is sent a code and a link to the page that takes it.
    let to_new = received_by(&smtp, "sam.jones@example.org");
    assert_eq!(to_new.len(), 1, "{to_new:?}");
    assert_eq!(
        to_new[0].header("Subject").as_deref(),
        Some(CONFIRM_SUBJECT)
    );
    assert!(
        to_new[0].header("List-Unsubscribe").is_none(),
        "account emails cannot be turned off"
    );
    let token = code_in(&to_new[0]);
    assert!(
        link_in(&to_new[0], "/confirm-email-change").ends_with(&token),
        "the link carries the code"
    );
    // The old address is told, naming the new one.
    let to_old = received_by(&smtp, &sam.email);
    assert_eq!(to_old.len(), 1, "{to_old:?}");
    assert_eq!(to_old[0].header("Subject").as_deref(), Some(NOTICE_SUBJECT));
    assert!(
        to_old[0]
            .text()
            .contains("New address: sam.jones@example.org")
    );
    // Nothing has changed yet.
    assert_eq!(email_of(&app, &sam).await, sam.email);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);

    confirm(&app, &token, None)
        .await
        .assert_status(StatusCode::NO_CONTENT);

    assert_eq!(email_of(&app, &sam).await, "sam.jones@example.org");
    // The old address is told the change was made, and to what; the new
    // one is sent nothing more.
    worker.run_once().await.expect("a pass");
    let to_old = received_by(&smtp, &sam.email);
    assert_eq!(to_old.len(), 2, "{to_old:?}");
    assert_eq!(
        to_old[1].header("Subject").as_deref(),
        Some("Your Convene account has a new email address")
    );
    assert!(
        to_old[1]
            .text()
            .contains("New address: sam.jones@example.org")
    );
    assert_eq!(received_by(&smtp, "sam.jones@example.org").len(), 1);
    // Confirmed without signing in: every session of the account ended.
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    let signed_in = app.sign_in("sam.jones@example.org").await;
    let me = app.get("/api/v1/me", Some(&signed_in.access)).await.json();
    assert_eq!(me["email"], "sam.jones@example.org");
    assert!(me["email_verified_at"].is_string(), "the code proved it");
    // The code works once.
    let again = confirm(&app, &token, None).await;
    assert_eq!(again.invalid_fields(), ["token"]);
    // The change is in the audit trail, by the account's owner.
    let admin = app.admin().await;
    let trail = app
        .get(
            &format!("/api/v1/audit?actor_id={}", sam.id),
            Some(&admin.access),
        )
        .await
        .json();
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"user.email-change-requested"),
        "{actions:?}"
    );
    assert!(actions.contains(&"user.email-changed"), "{actions:?}");
}

#[tokio::test]
async fn confirming_while_signed_in_keeps_that_session_and_ends_the_others() {
    let app = TestApp::spawn().await;
    let here = app.user("Sam").await;
    let elsewhere = app.sign_in(&here.email).await;
    let smtp = SmtpServer::start();
    ask(&app, &here, "sam.new@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::ACCEPTED);
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");

    confirm(
        &app,
        &code_sent_to(&smtp, "sam.new@example.org"),
        Some(&here),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    let me = app.get("/api/v1/me", Some(&here.access)).await;
    me.assert_status(StatusCode::OK);
    assert_eq!(me.json()["email"], "sam.new@example.org");
    app.get("/api/v1/me", Some(&elsewhere.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": elsewhere.refresh}),
    )
    .await
    .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_change_of_address_needs_the_current_password_and_counts_towards_the_lock_out() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let wrong = ask(&app, &sam, "sam.new@example.org", "not my password!").await;

    assert_eq!(wrong.invalid_fields(), ["current_password"]);
    assert!(
        app.account_code(&sam.email, "account.email-change")
            .await
            .is_none(),
        "nothing sent"
    );
    for _ in 0..9 {
        ask(&app, &sam, "sam.new@example.org", "not my password!")
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Locked, as sign-in is, even with the right password.
    let locked = ask(&app, &sam, "sam.new@example.org", PASSWORD).await;
    locked.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.header("retry-after").is_some());
    app.login(&sam.email, PASSWORD)
        .await
        .assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(email_of(&app, &sam).await, sam.email);
}

#[tokio::test]
async fn an_address_that_is_not_one_or_is_already_yours_is_refused_by_its_field() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let too_long = format!("{}@example.org", "a".repeat(250));
    for bad in ["not an address", "", "sam@", &too_long] {
        let refused = ask(&app, &sam, bad, PASSWORD).await;
        assert_eq!(refused.invalid_fields(), ["new_email"], "{bad:?}");
    }
    let own = ask(&app, &sam, &sam.email.to_uppercase(), PASSWORD).await;
    assert_eq!(own.invalid_fields(), ["new_email"]);
    let unknown = app
        .post(
            ASK,
            Some(&sam.access),
            json!({"new_email": "sam.new@example.org", "current_password": PASSWORD, "admin": true}),
        )
        .await;
    unknown.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(email_of(&app, &sam).await, sam.email);
}

#[tokio::test]
async fn asking_without_signing_in_is_unauthorised() {
    let app = TestApp::spawn().await;

    app.post(
        ASK,
        None,
        json!({"new_email": "sam.new@example.org", "current_password": PASSWORD}),
    )
    .await
    .assert_problem(StatusCode::UNAUTHORIZED);
    app.post(
        ASK,
        Some("not.a.token"),
        json!({"new_email": "sam.new@example.org", "current_password": PASSWORD}),
    )
    .await
    .assert_problem(StatusCode::UNAUTHORIZED);
}

/// An address that has an account is answered as a free one is, so nobody
/// learns who is registered; it is sent no code (its owner is told), so
/// the change cannot happen.
#[tokio::test]
async fn an_address_with_an_account_answers_as_a_free_one_and_is_never_taken() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let lee = app.user("Lee").await;
    let kim = app.user("Kim").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);

    let taken = ask(&app, &sam, &lee.email.to_uppercase(), PASSWORD).await;
    let free = ask(&app, &kim, "kim.new@example.org", PASSWORD).await;

    taken.assert_status(StatusCode::ACCEPTED);
    free.assert_status(StatusCode::ACCEPTED);
    let detail = |r: &TestResponse, new: &str, old: &str| {
        r.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .replace(new, "NEW")
            .replace(old, "OLD")
    };
    assert_eq!(
        detail(&taken, &lee.email, &sam.email),
        detail(&free, "kim.new@example.org", &kim.email)
    );
    assert_eq!(taken.headers.len(), free.headers.len(), "the same headers");
    worker.run_once().await.expect("a pass");
    // The owner is told, with no code: nothing of theirs changes.
    let to_lee = received_by(&smtp, &lee.email);
    assert_eq!(to_lee.len(), 1, "{to_lee:?}");
    assert_eq!(to_lee[0].header("Subject").as_deref(), Some(TAKEN_SUBJECT));
    assert!(!to_lee[0].text().contains("Code: "));
    // The asker's address is told as for any request.
    let to_sam = received_by(&smtp, &sam.email);
    assert_eq!(to_sam.len(), 1, "{to_sam:?}");
    assert_eq!(to_sam[0].header("Subject").as_deref(), Some(NOTICE_SUBJECT));
    assert!(
        app.account_code(&sam.email, "account.email-change")
            .await
            .is_none(),
        "no code that could take the address"
    );
    assert_eq!(email_of(&app, &sam).await, sam.email);
    assert_eq!(email_of(&app, &lee).await, lee.email);
}

#[tokio::test]
async fn an_address_taken_after_the_code_was_sent_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    ask(&app, &sam, "shared@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::ACCEPTED);
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    let token = code_sent_to(&smtp, "shared@example.org");
    app.register_confirmed("shared@example.org", "Someone else")
        .await;

    let late = confirm(&app, &token, Some(&sam)).await;

    let problem = late.assert_problem(StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("shared@example.org")),
        "{problem}"
    );
    assert_eq!(email_of(&app, &sam).await, sam.email);
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_status(StatusCode::OK);
    app.login("shared@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_code_lasts_a_day_a_newer_request_calls_off_the_older_and_asking_is_paced() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);

    ask(&app, &sam, "first@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::ACCEPTED);
    let too_soon = ask(&app, &sam, "second@example.org", PASSWORD).await;
    too_soon.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(
        too_soon
            .header("retry-after")
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|secs| secs > 0 && secs <= 120)
    );
    app.state.clock.advance(chrono::Duration::minutes(3));
    ask(&app, &sam, "second@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::ACCEPTED);
    worker.run_once().await.expect("a pass");
    assert!(received_by(&smtp, "second@example.org").len() == 1);

    let called_off = confirm(&app, &code_sent_to(&smtp, "first@example.org"), None).await;
    assert_eq!(called_off.invalid_fields(), ["token"]);

    app.state.clock.advance(chrono::Duration::hours(25));
    let expired = confirm(&app, &code_sent_to(&smtp, "second@example.org"), None).await;
    assert_eq!(expired.invalid_fields(), ["token"]);
    let made_up = confirm(&app, "made-up", None).await;
    assert_eq!(made_up.invalid_fields(), ["token"]);
    assert_eq!(email_of(&app, &sam).await, sam.email);
}

/// Whoever asked may have had the old password: choosing a new one, by
/// changing it or with the code sent to the old address, calls the change
/// off.
#[tokio::test]
async fn a_new_password_calls_off_a_change_of_address_not_yet_confirmed() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let lee = app.user("Lee").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    ask(&app, &sam, "sam.new@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::ACCEPTED);
    ask(&app, &lee, "lee.new@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::ACCEPTED);
    worker.run_once().await.expect("a pass");

    app.post(
        "/api/v1/me/password",
        Some(&sam.access),
        json!({"current_password": PASSWORD, "new_password": "an even longer passphrase"}),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    // Lee resets the password with the code in the notice to the old address.
    let notice = received_by(&smtp, &lee.email);
    assert_eq!(notice[0].header("Subject").as_deref(), Some(NOTICE_SUBJECT));
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": code_in(&notice[0]), "new_password": "Lee's own new passphrase"}),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    for (person, new) in [(&sam, "sam.new@example.org"), (&lee, "lee.new@example.org")] {
        let refused = confirm(&app, &code_sent_to(&smtp, new), None).await;
        assert_eq!(refused.invalid_fields(), ["token"], "{new}");
        assert_eq!(email_of(&app, person).await, person.email);
    }
}

/// Several accounts asked for the same free address, and each was sent a
/// code; they confirm at the same moment. The unique index on addresses
/// decides: one account gets it, the others are told it is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn accounts_confirming_one_address_at_once_give_it_to_exactly_one() {
    const N: usize = 6;
    let app = TestApp::spawn().await;
    let mut people = Vec::new();
    let mut codes = Vec::new();
    for i in 0..N {
        let person = app.user(&format!("Contender {i}")).await;
        ask(&app, &person, "wanted@example.org", PASSWORD)
            .await
            .assert_status(StatusCode::ACCEPTED);
        let code = app
            .account_code(&person.email, "account.email-change")
            .await
            .expect("a code for the free address");
        codes.push(code);
        people.push(person);
    }
    let served = app.serve().await;

    let statuses = served
        .race(N, |i, client, base| {
            client
                .post(format!("{base}{CONFIRM}"))
                .json(&json!({ "token": codes[i] }))
        })
        .await;

    assert_eq!(count(&statuses, StatusCode::NO_CONTENT), 1, "{statuses:?}");
    assert_eq!(
        count(&statuses, StatusCode::CONFLICT),
        N - 1,
        "{statuses:?}"
    );
    let winner = statuses
        .iter()
        .position(|s| *s == StatusCode::NO_CONTENT)
        .expect("a winner");
    for (i, person) in people.iter().enumerate() {
        let expected = if i == winner {
            "wanted@example.org"
        } else {
            person.email.as_str()
        };
        assert_eq!(email_of(&app, person).await, expected, "contender {i}");
    }
}

/// A browser signed in as `person`.
async fn signed_in_browser<'a>(app: &'a TestApp, person: &TestUser) -> PageClient<'a> {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&person.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn the_account_page_changes_the_address_by_the_link_emailed_to_it() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let worker = smtp_worker(&app, &smtp);
    let mut browser = signed_in_browser(&app, &sam).await;

    let account = text(&browser.get("/account").await);
    assert!(account.contains("Change your email address"));
    assert!(account.contains(&format!("Your address is {}.", sam.email)));
    assert!(account.contains("action=\"/account/email\""));
    assert!(!csrf_token(&account).is_empty());
    let asked = browser
        .submit(
            "/account",
            "/account/email",
            &[
                ("new_email", "Sam.New@example.org"),
                ("current_password", PASSWORD),
            ],
        )
        .await;

    asked.assert_status(StatusCode::OK);
    let html = text(&asked);
    assert!(html.contains("Check your email"));
    assert!(html.contains("We have emailed sam.new@example.org"));
    worker.run_once().await.expect("a pass");
    let message = received_by(&smtp, "sam.new@example.org");
    let link = link_in(&message[0], "/confirm-email-change");
    let code = link.split("code=").nth(1).unwrap_or_default().to_string();

    // Opening the link changes nothing (mail scanners open links).
    let landing = browser.get(&link).await;
    landing.assert_status(StatusCode::OK);
    let landing = text(&landing);
    assert!(landing.contains("Confirm your new email address"));
    assert!(landing.contains(&format!("value=\"{code}\"")));
    assert_eq!(email_of(&app, &sam).await, sam.email);

    let confirmed = browser
        .submit(&link, "/confirm-email-change", &[("token", &code)])
        .await;

    confirmed.assert_status(StatusCode::OK);
    let done = text(&confirmed);
    assert!(done.contains("Email address changed"));
    assert!(done.contains("href=\"/account\""));
    // This browser stays signed in; the API's session has ended.
    let account = browser.get("/account").await;
    account.assert_status(StatusCode::OK);
    assert!(text(&account).contains("Your address is sam.new@example.org."));
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_refused_change_shows_the_error_summary_and_keeps_the_address_but_not_the_password() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let mut browser = signed_in_browser(&app, &sam).await;

    let wrong = browser
        .submit(
            "/account",
            "/account/email",
            &[
                ("new_email", "sam.new@example.org"),
                ("current_password", "not the password at all"),
            ],
        )
        .await;

    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&wrong);
    assert!(html.contains("<title>Error: Your account"));
    assert!(html.contains("govuk-error-summary"));
    assert!(
        html.contains("<a href=\"#email_current_password\">Current password is incorrect</a>"),
        "{html}"
    );
    assert!(html.contains("id=\"email_current_password-error\""));
    assert!(html.contains("value=\"sam.new@example.org\""));
    assert!(!html.contains("not the password at all"));
    // The password form's field of the same name is another input.
    assert_eq!(html.matches("id=\"current_password\"").count(), 1);

    let invalid = browser
        .submit(
            "/account",
            "/account/email",
            &[
                ("new_email", "not an address"),
                ("current_password", PASSWORD),
            ],
        )
        .await;

    invalid.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = text(&invalid);
    assert!(
        html.contains("<a href=\"#new_email\">New email address must be a valid email address</a>")
    );
    assert!(html.contains("value=\"not an address\""));
    assert_eq!(email_of(&app, &sam).await, sam.email);
}

#[tokio::test]
async fn the_emailed_link_works_in_a_browser_that_is_not_signed_in() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let smtp = SmtpServer::start();
    let mut browser = signed_in_browser(&app, &sam).await;
    browser
        .submit(
            "/account",
            "/account/email",
            &[
                ("new_email", "sam.new@example.org"),
                ("current_password", PASSWORD),
            ],
        )
        .await
        .assert_status(StatusCode::OK);
    smtp_worker(&app, &smtp).run_once().await.expect("a pass");
    let link = link_in(
        &received_by(&smtp, "sam.new@example.org")[0],
        "/confirm-email-change",
    );
    let code = link.split("code=").nth(1).unwrap_or_default().to_string();
    let mut phone = PageClient::new(&app);

    let mistyped = phone
        .submit(&link, "/confirm-email-change", &[("token", "not-the-code")])
        .await;
    mistyped.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&mistyped).contains("<a href=\"#token\">Code from the email is not a valid code"));
    let confirmed = phone
        .submit(&link, "/confirm-email-change", &[("token", &code)])
        .await;

    confirmed.assert_status(StatusCode::OK);
    let done = text(&confirmed);
    assert!(done.contains("Email address changed"));
    assert!(done.contains("href=\"/sign-in\""));
    assert_eq!(email_of(&app, &sam).await, "sam.new@example.org");
    // The browser that asked was another session of the account: it ended.
    browser
        .get("/account")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    phone
        .sign_in("sam.new@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}
