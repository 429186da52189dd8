//! Registration, sign-in, refresh rotation and reuse detection, logout,
//! password changes, the lock-out window and enumeration-safe login.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::json;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn registering_normalises_the_email_and_says_what_happens_next() {
    let app = TestApp::spawn().await;

    let response = app.register("  Sam.Jones@Example.ORG ", "Sam Jones").await;

    response.assert_status(StatusCode::ACCEPTED);
    let answer = response.json();
    assert_eq!(answer["email"], "sam.jones@example.org");
    assert!(
        answer["detail"]
            .as_str()
            .is_some_and(|d| d.contains("code"))
    );
    assert!(answer.get("id").is_none() && answer.get("password_hash").is_none());
}

/// Sign-in waits for the address to be confirmed: otherwise registering
/// someone else's address and signing in with the password just chosen
/// would tell who already has an account.
#[tokio::test]
async fn a_new_account_signs_in_once_its_address_is_confirmed() {
    let app = TestApp::spawn().await;
    app.register("sam@example.org", "Sam")
        .await
        .assert_status(StatusCode::ACCEPTED);

    let unconfirmed = app.login("sam@example.org", PASSWORD).await;
    let wrong = app.login("sam@example.org", "not the passphrase").await;
    let code = app
        .account_code("sam@example.org", "account.email-verification")
        .await
        .expect("a verification code");
    app.post(
        "/api/v1/auth/email-verification/confirm",
        None,
        json!({ "token": code }),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let sam = app.sign_in("sam@example.org").await;

    let problem = unconfirmed.assert_problem(StatusCode::FORBIDDEN);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("confirm")
    );
    wrong.assert_problem(StatusCode::UNAUTHORIZED);
    let me = app.get("/api/v1/me", Some(&sam.access)).await.json();
    assert_eq!(me["email"], "sam@example.org");
    assert!(me["email_verified_at"].is_string());
}

#[tokio::test]
async fn a_display_name_is_one_line_and_cannot_be_cleared() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let two_lines = app
        .register("lee@example.org", "Lee\nSmith")
        .await
        .invalid_fields();
    let null = app
        .patch(
            "/api/v1/me",
            Some(&sam.access),
            json!({"display_name": null}),
        )
        .await;
    let nul_byte = app
        .patch(
            "/api/v1/me",
            Some(&sam.access),
            json!({"display_name": "Sam\u{0}"}),
        )
        .await;

    assert_eq!(two_lines, ["display_name"]);
    null.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nul_byte.invalid_fields(), ["display_name"]);
    assert_eq!(
        app.get("/api/v1/me", Some(&sam.access)).await.json()["display_name"],
        "Sam"
    );
}

/// Registering an address that has an account answers exactly as for a
/// new one; the account is left alone and its owner is told, with a code
/// to choose a new password if it was them.
#[tokio::test]
async fn registering_a_taken_address_answers_as_for_a_new_one_and_tells_its_owner() {
    let app = TestApp::spawn().await;
    app.register_confirmed("sam@example.org", "Sam").await;

    let taken = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "SAM@example.org", "display_name": "Another Sam",
                   "password": "an attacker's passphrase"}),
        )
        .await;
    let fresh = app.register("lee@example.org", "Lee").await;

    taken.assert_status(StatusCode::ACCEPTED);
    fresh.assert_status(StatusCode::ACCEPTED);
    let detail = |r: &crate::support::TestResponse| {
        r.json()["detail"]
            .as_str()
            .unwrap_or_default()
            .replace("sam@example.org", "ADDRESS")
            .replace("lee@example.org", "ADDRESS")
    };
    assert_eq!(detail(&taken), detail(&fresh));
    assert_eq!(
        taken.headers.keys().count(),
        fresh.headers.keys().count(),
        "the same headers"
    );
    // The account is as it was: its password, its name.
    app.login("sam@example.org", "an attacker's passphrase")
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    let sam = app.sign_in("sam@example.org").await;
    let me = app.get("/api/v1/me", Some(&sam.access)).await.json();
    assert_eq!(me["display_name"], "Sam");
    // Its owner was told, with a code that sets a new password.
    let code = app
        .account_code("sam@example.org", "account.exists")
        .await
        .expect("the owner is told");
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        json!({"token": code, "new_password": "Sam's own new passphrase"}),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.login("sam@example.org", "Sam's own new passphrase")
        .await
        .assert_status(StatusCode::OK);
}

/// Two registrations of one new address at once make one account; both
/// are answered 202, and the loser's owner — the same person — is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn registrations_of_one_address_at_once_make_one_account() {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = TestApp::spawn().await;
    let served = app.serve().await;

    let statuses = served
        .race(6, |i, client, base| {
            client
                .post(format!("{base}/api/v1/auth/register"))
                .json(&json!({
                    "email": "sam@example.org",
                    "display_name": format!("Sam {i}"),
                    "password": PASSWORD,
                }))
        })
        .await;

    assert_eq!(
        crate::support::count(&statuses, StatusCode::ACCEPTED),
        6,
        "{statuses:?}"
    );
    let accounts = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq("sam@example.org"))
        .count(app.db())
        .await
        .expect("count");
    assert_eq!(accounts, 1);
}

#[tokio::test]
async fn registration_rejects_each_invalid_field_by_name() {
    let app = TestApp::spawn().await;

    let response = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"email": "not-an-email", "display_name": "  ", "password": "short"}),
        )
        .await;

    let mut fields = response.invalid_fields();
    fields.sort();
    assert_eq!(fields, ["display_name", "email", "password"]);
}

#[tokio::test]
async fn registration_bounds_name_and_password_lengths() {
    let app = TestApp::spawn().await;
    let body = |name: String, password: String| json!({"email": "a@example.org", "display_name": name, "password": password});

    let too_long_name = app
        .post(
            "/api/v1/auth/register",
            None,
            body("n".repeat(101), PASSWORD.into()),
        )
        .await;
    let too_long_password = app
        .post(
            "/api/v1/auth/register",
            None,
            body("Ann".into(), "p".repeat(257)),
        )
        .await;
    let eleven_chars = app
        .post(
            "/api/v1/auth/register",
            None,
            body("Ann".into(), "p".repeat(11)),
        )
        .await;
    let limits = app
        .post(
            "/api/v1/auth/register",
            None,
            body("n".repeat(100), "p".repeat(256)),
        )
        .await;

    assert_eq!(too_long_name.invalid_fields(), ["display_name"]);
    assert_eq!(too_long_password.invalid_fields(), ["password"]);
    assert_eq!(eleven_chars.invalid_fields(), ["password"]);
    limits.assert_status(StatusCode::ACCEPTED);
}

#[tokio::test]
async fn login_returns_bearer_tokens_that_open_me() {
    let app = TestApp::spawn().await;
    app.register_confirmed("sam@example.org", "Sam").await;

    let response = app.login("SAM@example.org", PASSWORD).await;

    response.assert_status(StatusCode::OK);
    let tokens = response.json();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert!(
        tokens["refresh_token"]
            .as_str()
            .is_some_and(|t| t.len() >= 43)
    );
    let me = app.get("/api/v1/me", tokens["access_token"].as_str()).await;
    me.assert_status(StatusCode::OK);
    assert_eq!(me.json()["email"], "sam@example.org");
    assert_eq!(me.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.register_confirmed("sam@example.org", "Sam").await;

    let wrong_password = app
        .login("sam@example.org", "not the password at all")
        .await;
    let unknown_email = app
        .login("nobody@example.org", "not the password at all")
        .await;

    let a = wrong_password.assert_problem(StatusCode::UNAUTHORIZED);
    let b = unknown_email.assert_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(a, b);
}

#[tokio::test]
async fn me_without_a_token_is_unauthorised() {
    let app = TestApp::spawn().await;

    let response = app.get("/api/v1/me", None).await;

    response.assert_problem(StatusCode::UNAUTHORIZED);
    assert!(
        response
            .header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer"))
    );
}

#[tokio::test]
async fn patching_me_changes_the_display_name_only() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let patched = app
        .patch(
            "/api/v1/me",
            Some(&sam.access),
            json!({"display_name": "Samira"}),
        )
        .await;
    let sneaky = app
        .patch("/api/v1/me", Some(&sam.access), json!({"is_admin": true}))
        .await;
    let blank = app
        .patch("/api/v1/me", Some(&sam.access), json!({"display_name": ""}))
        .await;

    patched.assert_status(StatusCode::OK);
    assert_eq!(patched.json()["display_name"], "Samira");
    assert_eq!(sneaky.invalid_fields(), ["is_admin"]);
    assert_eq!(blank.invalid_fields(), ["display_name"]);
    let me = app.get("/api/v1/me", Some(&sam.access)).await.json();
    assert_eq!(me["display_name"], "Samira");
    assert_eq!(me["is_admin"], false);
}

async fn refresh(app: &TestApp, token: &str) -> crate::support::TestResponse {
    app.post(
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": token}),
    )
    .await
}

#[tokio::test]
async fn refresh_rotates_the_token_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let first = refresh(&app, &sam.refresh).await;
    first.assert_status(StatusCode::OK);
    let rotated = first.json();
    assert_ne!(rotated["refresh_token"], sam.refresh.as_str());
    app.get("/api/v1/me", rotated["access_token"].as_str())
        .await
        .assert_status(StatusCode::OK);

    let again = refresh(&app, &sam.refresh).await;

    again.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reusing_a_refresh_token_revokes_the_whole_session() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let rotated = refresh(&app, &sam.refresh).await.json();
    let new_refresh = rotated["refresh_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let new_access = rotated["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // Someone replays the first (already used) token.
    refresh(&app, &sam.refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);

    // Every token of that sign-in is now dead, including the legitimate successor.
    refresh(&app, &new_refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/me", Some(&new_access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reuse_revokes_only_the_session_it_belongs_to() {
    let app = TestApp::spawn().await;
    let laptop = app.user("Sam").await;
    let phone = app.sign_in(&laptop.email).await;
    refresh(&app, &laptop.refresh)
        .await
        .assert_status(StatusCode::OK);

    refresh(&app, &laptop.refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);

    app.get("/api/v1/me", Some(&phone.access))
        .await
        .assert_status(StatusCode::OK);
    refresh(&app, &phone.refresh)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_refresh_token_is_unauthorised() {
    let app = TestApp::spawn().await;

    refresh(&app, "made-up-token")
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_refresh_token_expires_after_thirty_days() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    app.state
        .clock
        .advance(Duration::days(30) + Duration::minutes(1));

    refresh(&app, &sam.refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_ends_the_access_and_refresh_tokens_at_once() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let response = app
        .post("/api/v1/auth/logout", Some(&sam.access), json!({}))
        .await;

    response.assert_status(StatusCode::NO_CONTENT);
    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &sam.refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions_but_not_this_one() {
    let app = TestApp::spawn().await;
    let here = app.user("Sam").await;
    let elsewhere = app.sign_in(&here.email).await;

    let response = app
        .post(
            "/api/v1/me/password",
            Some(&here.access),
            json!({"current_password": PASSWORD, "new_password": "an even longer passphrase"}),
        )
        .await;

    response.assert_status(StatusCode::NO_CONTENT);
    app.get("/api/v1/me", Some(&here.access))
        .await
        .assert_status(StatusCode::OK);
    app.get("/api/v1/me", Some(&elsewhere.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &elsewhere.refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.login(&here.email, PASSWORD)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.login(&here.email, "an even longer passphrase")
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one() {
    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;

    let wrong = app
        .post(
            "/api/v1/me/password",
            Some(&sam.access),
            json!({"current_password": "not my password!", "new_password": "an even longer passphrase"}),
        )
        .await;
    let too_short = app
        .post(
            "/api/v1/me/password",
            Some(&sam.access),
            json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;

    assert_eq!(wrong.invalid_fields(), ["current_password"]);
    assert_eq!(too_short.invalid_fields(), ["new_password"]);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn ten_failures_lock_the_account_until_the_window_passes() {
    let app = TestApp::spawn().await;
    app.register_confirmed("sam@example.org", "Sam").await;
    for _ in 0..10 {
        app.login("sam@example.org", "wrong password!!")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
    }

    // Even the right password is refused while locked.
    let locked = app.login("sam@example.org", PASSWORD).await;
    locked.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    let retry_after: i64 = locked
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(
        (1..=900).contains(&retry_after),
        "Retry-After {retry_after}"
    );

    app.state.clock.advance(Duration::minutes(14));
    app.login("sam@example.org", PASSWORD)
        .await
        .assert_problem(StatusCode::TOO_MANY_REQUESTS);

    app.state
        .clock
        .advance(Duration::minutes(1) + Duration::seconds(1));
    app.login("sam@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn nine_failures_do_not_lock_and_a_success_resets_the_count() {
    let app = TestApp::spawn().await;
    app.register_confirmed("sam@example.org", "Sam").await;
    for _ in 0..9 {
        app.login("sam@example.org", "wrong password!!")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
    }
    app.login("sam@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::OK);

    for _ in 0..9 {
        app.login("sam@example.org", "wrong password!!")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
    }

    app.login("sam@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn unknown_emails_lock_out_like_real_ones() {
    let app = TestApp::spawn().await;
    for _ in 0..10 {
        app.login("nobody@example.org", "wrong password!!")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
    }

    app.login("nobody@example.org", "wrong password!!")
        .await
        .assert_problem(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_refresh_or_use_a_token() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let sam = app.user("Sam").await;

    app.patch(
        &format!("/api/v1/users/{}", sam.id),
        Some(&admin.access),
        json!({"disabled": true}),
    )
    .await
    .assert_status(StatusCode::OK);

    app.get("/api/v1/me", Some(&sam.access))
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &sam.refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.login(&sam.email, PASSWORD)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

/// "ŵ" typed as one character, or as "w" and a combining circumflex (as
/// some keyboards and phones send it), is the same password.
#[tokio::test]
async fn a_password_signs_in_however_its_letters_were_composed() {
    let app = TestApp::spawn().await;
    let composed = "Tŷ Hafan ar lan y dŵr";
    let decomposed = "Ty\u{302} Hafan ar lan y dw\u{302}r";
    app.post(
        "/api/v1/auth/register",
        None,
        json!({"email": "eleri@example.org", "display_name": "Eleri", "password": composed}),
    )
    .await
    .assert_status(StatusCode::ACCEPTED);
    let code = app
        .account_code("eleri@example.org", "account.email-verification")
        .await
        .expect("a code");
    app.post(
        "/api/v1/auth/email-verification/confirm",
        None,
        json!({ "token": code }),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);

    app.login("eleri@example.org", decomposed)
        .await
        .assert_status(StatusCode::OK);
    app.login("eleri@example.org", composed)
        .await
        .assert_status(StatusCode::OK);
    app.login("eleri@example.org", "Ty Hafan ar lan y dwr")
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

/// A hash made before passwords were normalised is of the password as it
/// was typed: it still signs in, and is replaced at once by the hash of its
/// normal form, after which either spelling works.
#[tokio::test]
async fn a_hash_from_before_normalisation_signs_in_and_is_upgraded() {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

    let app = TestApp::spawn().await;
    let sam = app.user("Sam").await;
    let decomposed = "Ty\u{302} Hafan passphrase";
    let legacy = argon2_of_bytes_as_typed(decomposed);
    let stored = entity::user::Entity::find_by_id(sam.id)
        .one(app.db())
        .await
        .expect("read")
        .expect("Sam");
    let mut changed = stored.into_active_model();
    changed.password_hash = Set(legacy.clone());
    changed
        .update(app.db())
        .await
        .expect("store the legacy hash");

    app.login(&sam.email, decomposed)
        .await
        .assert_status(StatusCode::OK);

    let upgraded = entity::user::Entity::find()
        .filter(entity::user::Column::Id.eq(sam.id))
        .one(app.db())
        .await
        .expect("read")
        .expect("Sam")
        .password_hash;
    assert_ne!(upgraded, legacy, "the hash is replaced");
    app.login(&sam.email, "Tŷ Hafan passphrase")
        .await
        .assert_status(StatusCode::OK);
    app.login(&sam.email, decomposed)
        .await
        .assert_status(StatusCode::OK);
}

/// An argon2id hash of the bytes exactly as given, as hashes were made
/// before passwords were normalised.
fn argon2_of_bytes_as_typed(password: &str) -> String {
    use argon2::password_hash::rand_core::OsRng;
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(8, 1, 1, None).expect("parameters"),
    )
    .hash_password(password.as_bytes(), &salt)
    .expect("a hash")
    .to_string()
}
