//! A form sent after its session ended, or from a page of an earlier
//! sign-in, is not acted on; what was typed into it is kept, shown, and
//! sent again once the person is signed in — never a password.

use axum::http::StatusCode;

use crate::support::pages::{PageClient, csrf_token, hidden_field, text};
use crate::support::{PASSWORD, TestApp, TestUser};

async fn display_name(app: &TestApp, person: &TestUser) -> String {
    use sea_orm::EntityTrait;
    entity::user::Entity::find_by_id(person.id)
        .one(app.db())
        .await
        .expect("read")
        .map(|user| user.display_name)
        .unwrap_or_default()
}

/// A browser signed in as `person`, with the name form's token as the
/// account page gave it.
async fn on_the_account_page<'a>(app: &'a TestApp, person: &TestUser) -> (PageClient<'a>, String) {
    let mut browser = PageClient::new(app);
    browser
        .sign_in(&person.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let token = csrf_token(&text(&browser.get("/account").await));
    (browser, token)
}

async fn end_every_session(app: &TestApp) {
    use sea_orm::EntityTrait;
    entity::session::Entity::delete_many()
        .exec(app.db())
        .await
        .expect("sessions ended");
}

#[tokio::test]
async fn a_name_typed_as_the_session_ended_is_kept_and_sent_after_signing_in() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = on_the_account_page(&app, &sam).await;
    end_every_session(&app).await;

    let kept = browser
        .post_raw(
            "/account/name",
            &[("csrf_token", &token), ("display_name", "Sam Okafor")],
            &[],
        )
        .await;
    kept.assert_status(StatusCode::FORBIDDEN);
    let page = text(&kept);
    assert!(
        page.contains("Your changes have not been saved yet"),
        "{page}"
    );
    assert!(page.contains("Sam Okafor"), "what was typed is shown");
    assert_eq!(display_name(&app, &sam).await, "Sam", "nothing done");

    let carried = hidden_field(&page, "carried");
    let signed_in = browser
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &csrf_token(&page)),
                ("carried", &carried),
                ("email", &sam.email),
                ("password", PASSWORD),
            ],
            &[],
        )
        .await;
    signed_in.assert_status(StatusCode::OK);
    let again = text(&signed_in);
    assert!(again.contains("Send your changes"), "{again}");
    assert_eq!(display_name(&app, &sam).await, "Sam", "not until sent");

    let sent = browser
        .post_raw(
            "/account/name",
            &[
                ("csrf_token", &csrf_token(&again)),
                ("display_name", &hidden_field(&again, "display_name")),
            ],
            &[],
        )
        .await;
    sent.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(display_name(&app, &sam).await, "Sam Okafor");
}

#[tokio::test]
async fn a_wrong_password_keeps_the_unsent_form_for_the_next_try() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = on_the_account_page(&app, &sam).await;
    end_every_session(&app).await;
    let kept = text(
        &browser
            .post_raw(
                "/account/name",
                &[("csrf_token", &token), ("display_name", "Sam Okafor")],
                &[],
            )
            .await,
    );

    let refused = browser
        .post_raw(
            "/sign-in",
            &[
                ("csrf_token", &csrf_token(&kept)),
                ("carried", &hidden_field(&kept, "carried")),
                ("email", &sam.email),
                ("password", "not the password"),
            ],
            &[],
        )
        .await;

    refused.assert_status(StatusCode::UNAUTHORIZED);
    let page = text(&refused);
    assert!(page.contains("govuk-error-summary"), "{page}");
    assert_eq!(
        hidden_field(&page, "carried"),
        hidden_field(&kept, "carried")
    );
    assert!(page.contains(&sam.email), "the email is kept");
}

#[tokio::test]
async fn a_form_from_an_earlier_sign_in_is_offered_to_send_again_at_once() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, stale) = on_the_account_page(&app, &sam).await;
    // Signed in again (a new session, as from a new window): the old
    // page's token is not this one's.
    browser.cookies.clear();
    browser
        .sign_in(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let kept = browser
        .post_raw(
            "/account/name",
            &[("csrf_token", &stale), ("display_name", "Sam Okafor")],
            &[],
        )
        .await;

    kept.assert_status(StatusCode::FORBIDDEN);
    let page = text(&kept);
    assert!(page.contains("Send your changes"), "{page}");
    assert!(!page.contains("name=\"password\""), "no signing in needed");
    assert_eq!(hidden_field(&page, "display_name"), "Sam Okafor");
    assert_eq!(display_name(&app, &sam).await, "Sam");
}

#[tokio::test]
async fn a_password_form_is_never_carried_through_a_page() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let (mut browser, token) = on_the_account_page(&app, &sam).await;
    end_every_session(&app).await;

    let refused = browser
        .post_raw(
            "/account/password",
            &[
                ("csrf_token", &token),
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
            &[],
        )
        .await;

    refused.assert_status(StatusCode::FORBIDDEN);
    let page = text(&refused);
    assert!(!page.contains("a brand new passphrase"), "{page}");
    assert!(!page.contains(PASSWORD));
}
