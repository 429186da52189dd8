//! Registering, signing in, exchanging a refresh token and signing out.

use entity::{session, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::accounts::{self, NewAccount};
use super::links;
use super::lockout;
use super::sessions::{self, Refresh};
use super::types::{LoginIn, RefreshIn, RegisterIn, RegistrationOut, TokensOut, normalise_email};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::credentials::passwords::Verified;
use crate::kernel::credentials::tokens::ACCESS_TOKEN_TTL;
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

fn bad_credentials() -> ApiError {
    ApiError::Unauthorized("the email or password is incorrect".into())
}

fn tokens(
    state: &AppState,
    user_id: Uuid,
    session_id: Uuid,
    refresh_token: String,
) -> ApiResult<TokensOut> {
    Ok(TokensOut {
        access_token: state.tokens.issue(user_id, session_id, state.clock.now())?,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TOKEN_TTL.num_seconds(),
        refresh_token,
    })
}

/// Registers an address: a new one gets its account and a code to confirm
/// it; one that has an account gets its owner told, with a code to choose a
/// new password, and the account is left as it was. The answer is the same
/// either way, so that nobody learns from it who is registered; the unique
/// index on the address makes one account of two registrations at once.
pub async fn register(state: &AppState, input: RegisterIn) -> ApiResult<RegistrationOut> {
    let email = input.validate()?;
    // Hashed whether or not the address is taken, so both take as long; and
    // before the transaction, never holding the write lock for its CPU.
    let password_hash = state.passwords.hash(input.password).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let account = NewAccount {
        email: email.clone(),
        display_name: input.display_name,
        password_hash,
        is_admin: false,
    };
    match accounts::create(&txn, account, now).await? {
        Some(created) => links::send_verification(&txn, &created, now).await?,
        None => {
            let owner = user::Entity::find()
                .filter(user::Column::Email.eq(&email))
                .one(&txn)
                .await?;
            if let Some(owner) = owner {
                links::tell_owner(&txn, &owner, now).await?;
            }
        }
    }
    txn.commit().await?;
    let detail = format!(
        "We have emailed {email}. Use the code in that email to confirm the address, then \
         sign in; if the address already has an account, the email says how to use it."
    );
    Ok(RegistrationOut { email, detail })
}

/// Checks an email and password and starts a session kept as `kept` says.
async fn sign_in(
    state: &AppState,
    input: LoginIn,
    kept: Kept,
) -> ApiResult<(user::Model, session::Model, String)> {
    // Not-an-email is still just a failed sign-in: answering 422 would not
    // leak anything, but keeping one path keeps the timing identical.
    let email = normalise_email(&input.email).unwrap_or_else(|| input.email.trim().to_lowercase());
    lockout::check(&state.db, &email, state.clock.now()).await?;
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&state.db)
        .await?;
    let stored = account.as_ref().map(|u| u.password_hash.clone());
    let verified = state.passwords.verify(input.password, stored).await?;

    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let user = match account {
        Some(user) if verified.is_right() => user,
        _ => {
            lockout::record_failure(&txn, &email, now).await?;
            if let Some(user) = &account {
                AuditEvent::new(None, "user.login-failed", EntityKind::User, user.id)
                    .record(&txn, now)
                    .await?;
            }
            txn.commit().await?;
            return Err(bad_credentials());
        }
    };
    if user.disabled {
        txn.commit().await?;
        return Err(ApiError::Unauthorized("this account is disabled".into()));
    }
    // Only whoever holds the password learns this; registration told
    // nobody else that the account exists.
    if user.email_verified_at.is_none() {
        txn.commit().await?;
        return Err(ApiError::Forbidden(
            "confirm your email address first, with the code emailed to it; to have a new \
             code sent, ask for a password reset, which confirms the address too"
                .into(),
        ));
    }
    if let Verified::Upgrade(hash) = verified {
        // The stored hash predates normalised passwords; it is replaced by
        // the hash of the same password's NFKC form (the write is the
        // hash's alone, so the account's other changes are untouched).
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::val(hash))
            .filter(user::Column::Id.eq(user.id))
            .filter(user::Column::PasswordHash.eq(&user.password_hash))
            .exec(&txn)
            .await?;
    }
    lockout::clear(&txn, &email).await?;
    let (session, secret) = match kept {
        Kept::Tokens => sessions::start(&txn, user.id, now).await?,
        Kept::InBrowser { user_agent } => {
            sessions::start_in_browser(&txn, user.id, user_agent, now).await?
        }
    };
    AuditEvent::new(
        Some(user.id),
        "session.started",
        EntityKind::Session,
        session.id,
    )
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok((user, session, secret))
}

/// How a session is kept by whoever signs in.
enum Kept {
    /// The API's access and refresh tokens.
    Tokens,
    /// A browser's cookie; the browser's own description of itself lets its
    /// owner tell their sessions apart.
    InBrowser { user_agent: Option<String> },
}

/// Signs in with an email and password, starting a session kept by the
/// API's tokens. An unknown email and a wrong password get the same answer
/// (401) in about the same time; each failure counts towards the email's
/// lock-out (429). A disabled account is 401, an address not yet
/// confirmed 403.
pub async fn login(state: &AppState, input: LoginIn) -> ApiResult<TokensOut> {
    let (user, session, refresh_token) = sign_in(state, input, Kept::Tokens).await?;
    tokens(state, user.id, session.id, refresh_token)
}

/// A browser's sign-in: who, the session, and its cookie's value.
pub struct BrowserSignIn {
    pub user: user::Model,
    pub session: session::Model,
    pub cookie: String,
}

/// Signs in from a browser, as [`login`] does (the same checks, lock-out
/// and answers), keeping the session by a cookie rather than tokens.
pub async fn sign_in_browser(
    state: &AppState,
    input: LoginIn,
    user_agent: Option<&str>,
) -> ApiResult<BrowserSignIn> {
    // As much of it as tells a browser apart, and no more.
    let user_agent = user_agent.map(|agent| agent.chars().take(200).collect());
    let (user, session, cookie) = sign_in(state, input, Kept::InBrowser { user_agent }).await?;
    Ok(BrowserSignIn {
        user,
        session,
        cookie,
    })
}

/// Exchanges a refresh token for a new pair. Each works once: one presented
/// again revokes its whole session (401), and that revocation stands.
pub async fn refresh(state: &AppState, input: RefreshIn) -> ApiResult<TokensOut> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let outcome = sessions::refresh(&txn, &input.refresh_token, now).await?;
    let result = match outcome {
        Refresh::Rotated {
            user,
            session_id,
            refresh_token,
        } => {
            AuditEvent::new(
                Some(user.id),
                "session.refreshed",
                EntityKind::Session,
                session_id,
            )
            .record(&txn, now)
            .await?;
            tokens(state, user.id, session_id, refresh_token)
        }
        Refresh::Reused {
            user_id,
            session_id,
        } => {
            tracing::warn!(%session_id, "refresh token reused; session revoked");
            AuditEvent::new(None, "session.revoked", EntityKind::Session, session_id)
                .changes(json!({"reason": sessions::REASON_REUSE, "user_id": user_id}))
                .record(&txn, now)
                .await?;
            Err(ApiError::Unauthorized(
                "this refresh token was already used; the session has been ended".into(),
            ))
        }
        Refresh::Refused => Err(ApiError::Unauthorized(
            "the refresh token is invalid or has expired".into(),
        )),
    };
    txn.commit().await?;
    result
}

/// Ends the session the caller's access token belongs to.
pub async fn logout(state: &AppState, caller: &AuthUser) -> ApiResult<()> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    sessions::revoke(&txn, caller.session_id, sessions::REASON_LOGOUT, now).await?;
    AuditEvent::by(
        caller.id(),
        "session.ended",
        EntityKind::Session,
        caller.session_id,
    )
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}
