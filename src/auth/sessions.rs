//! Sign-in sessions and their refresh tokens.
//!
//! A session is one sign-in. Each refresh exchanges the presented token for a
//! new one in the same session; the old one is marked used. A used token that
//! is presented again means it was copied, so the whole session is revoked —
//! the thief's and the owner's tokens alike.

use chrono::{DateTime, Utc};
use entity::{refresh_token, session, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::kernel::access::AuthUser;
use crate::kernel::credentials::tokens::{
    REFRESH_TOKEN_TTL, hash_refresh_token, new_refresh_token,
};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;

pub const REASON_LOGOUT: &str = "logout";
pub const REASON_REUSE: &str = "refresh-token-reuse";
pub const REASON_PASSWORD_CHANGED: &str = "password-changed";
pub const REASON_PASSWORD_RESET: &str = "password-reset";
pub const REASON_EMAIL_CHANGED: &str = "email-changed";
pub const REASON_DISABLED: &str = "user-disabled";

/// Starts a session for a user and returns it with its first refresh token.
pub async fn start(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(session::Model, String), DbErr> {
    let session = insert(conn, user_id, None, None, now).await?;
    let token = add_refresh_token(conn, session.id, now).await?;
    Ok((session, token))
}

/// Starts a browser's session and returns it with the value of its cookie
/// (256 random bits, of which only the hash is kept). It lasts as long as
/// an API session that is never refreshed.
pub async fn start_in_browser(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<(session::Model, String), DbErr> {
    let cookie = new_refresh_token();
    let session = insert(
        conn,
        user_id,
        Some(hash_refresh_token(&cookie)),
        user_agent,
        now,
    )
    .await?;
    Ok((session, cookie))
}

async fn insert(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    cookie_hash: Option<String>,
    user_agent: Option<String>,
    now: DateTime<Utc>,
) -> Result<session::Model, DbErr> {
    session::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + REFRESH_TOKEN_TTL),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        cookie_hash: Set(cookie_hash),
        user_agent: Set(user_agent),
    }
    .insert(conn)
    .await
}

async fn add_refresh_token(
    conn: &impl ConnectionTrait,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let token = new_refresh_token();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id),
        token_hash: Set(hash_refresh_token(&token)),
        created_at: Set(now),
        expires_at: Set(now + REFRESH_TOKEN_TTL),
        used_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

pub enum Refresh {
    /// The token was good: here is its successor.
    Rotated {
        user: user::Model,
        session_id: Uuid,
        refresh_token: String,
    },
    /// The token was already used: its session has been revoked.
    Reused { user_id: Uuid, session_id: Uuid },
    /// Unknown, expired, revoked, or the user is disabled.
    Refused,
}

/// Exchanges a refresh token. Call inside a write transaction and commit
/// whatever the outcome: a detected reuse must stay revoked.
pub async fn refresh(
    conn: &impl ConnectionTrait,
    presented: &str,
    now: DateTime<Utc>,
) -> Result<Refresh, DbErr> {
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_refresh_token(presented)))
        .one(conn)
        .await?
    else {
        return Ok(Refresh::Refused);
    };
    let Some(session) = session::Entity::find_by_id(token.session_id)
        .one(conn)
        .await?
    else {
        return Ok(Refresh::Refused);
    };
    if session.revoked_at.is_some() || token.expires_at <= now {
        return Ok(Refresh::Refused);
    }
    // Mark the token used only if nobody else has: of two concurrent
    // exchanges of one token, exactly one wins and the other is reuse.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    if claimed.rows_affected == 0 {
        revoke(conn, session.id, REASON_REUSE, now).await?;
        return Ok(Refresh::Reused {
            user_id: session.user_id,
            session_id: session.id,
        });
    }
    let Some(user) = user::Entity::find_by_id(session.user_id).one(conn).await? else {
        return Ok(Refresh::Refused);
    };
    if user.disabled {
        return Ok(Refresh::Refused);
    }
    let refresh_token = add_refresh_token(conn, session.id, now).await?;
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            Expr::value(now + REFRESH_TOKEN_TTL),
        )
        .filter(session::Column::Id.eq(session.id))
        .exec(conn)
        .await?;
    Ok(Refresh::Rotated {
        user,
        session_id: session.id,
        refresh_token,
    })
}

pub async fn revoke(
    conn: &impl ConnectionTrait,
    session_id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Revokes every live session of a user but `keep` (the caller's own, when
/// they change their password).
pub async fn revoke_all_of_user(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    keep: Option<Uuid>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(session::Column::RevokedReason, Expr::value(reason))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    Ok(update.exec(conn).await?.rows_affected)
}

/// The user an access token speaks for, if its session is still live: one
/// query, the user joined to the session. `None` when the session is revoked
/// or unknown, belongs to someone else, or the user is disabled. (A
/// session's lifetime is enforced by the access token's own 15-minute expiry
/// and by refresh tokens' 30 days; revocation is what must take effect at
/// once.)
pub async fn live_user(
    conn: &impl ConnectionTrait,
    session_id: Uuid,
    user_id: Uuid,
) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(user_id)
        .join_rev(
            JoinType::InnerJoin,
            session::Entity::belongs_to(user::Entity)
                .from(session::Column::UserId)
                .to(user::Column::Id)
                .into(),
        )
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(user::Column::Disabled.eq(false))
        .one(conn)
        .await
}

/// The user and session a browser's cookie stands for, if the session is
/// live: one query, the session joined to its user. `None` when the cookie
/// names no session, or it is revoked or expired, or the user disabled.
pub async fn live_browser_session(
    conn: &impl ConnectionTrait,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    let found = session::Entity::find()
        .join(
            JoinType::InnerJoin,
            session::Entity::belongs_to(user::Entity)
                .from(session::Column::UserId)
                .to(user::Column::Id)
                .into(),
        )
        .select_also(user::Entity)
        .filter(session::Column::CookieHash.eq(hash_refresh_token(cookie)))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .filter(user::Column::Disabled.eq(false))
        .one(conn)
        .await?;
    Ok(found.and_then(|(session, user)| Some((session, user?))))
}

fn refused() -> ApiError {
    ApiError::Unauthorized("the access token is invalid or has expired".into())
}

/// The caller a bearer token stands for. Checked on every request, so a
/// logout, a password change or disabling the account ends the token now,
/// not when it expires.
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let claims = state.tokens.verify(token)?;
    let user = live_user(&state.db, claims.sid, claims.sub)
        .await?
        .ok_or_else(refused)?;
    Ok(AuthUser {
        user,
        session_id: claims.sid,
    })
}
