//! A person's own sessions: where they are signed in, and ending one or
//! all of them. A session is one sign-in, from a browser (its cookie) or
//! an API client (its tokens); ending it ends it for both faces at once.

use chrono::{DateTime, Utc};
use entity::session;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::sessions;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;

pub const REASON_ENDED_BY_OWNER: &str = "ended-by-owner";
pub const REASON_EVERYWHERE: &str = "signed-out-everywhere";

/// How a session is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    /// A browser, by its cookie.
    Browser,
    /// An API client, by its access and refresh tokens.
    Api,
}

/// One of the caller's live sessions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionOut {
    pub id: Uuid,
    pub kind: SessionKind,
    /// The browser's description of itself when it signed in (first 200
    /// characters); `null` for API clients.
    pub user_agent: Option<String>,
    pub started_at: DateTime<Utc>,
    /// When it ends unless ended before (an API session's is pushed on by
    /// each refresh).
    pub expires_at: DateTime<Utc>,
    /// Whether this is the session the request was made in.
    pub current: bool,
}

/// The caller's live sessions, newest first.
pub async fn my_sessions(
    state: &AppState,
    caller: &AuthUser,
    query: PageQuery,
) -> ApiResult<Page<SessionOut>> {
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = session::Entity::find()
        .filter(session::Column::UserId.eq(caller.id()))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(state.clock.now()))
        .order_by_desc(session::Column::Id)
        .limit(page.fetch());
    if let Some(after) = page.after {
        // Ids are time-ordered (v7): newest first reads downwards.
        select = select.filter(session::Column::Id.lt(after));
    }
    let rows = select.all(&state.db).await?;
    Ok(page.finish(
        rows,
        |row| row.id,
        |row| SessionOut {
            id: row.id,
            kind: if row.cookie_hash.is_some() {
                SessionKind::Browser
            } else {
                SessionKind::Api
            },
            user_agent: row.user_agent,
            started_at: row.created_at,
            expires_at: row.expires_at,
            current: row.id == caller.session_id,
        },
    ))
}

/// Ends one of the caller's sessions (their current one too, if they name
/// it). Another person's session, or one already ended, is 404.
pub async fn end_session(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<()> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let ended = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .col_expr(
            session::Column::RevokedReason,
            Expr::value(REASON_ENDED_BY_OWNER),
        )
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::UserId.eq(caller.id()))
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if ended.rows_affected == 0 {
        return Err(ApiError::not_found("session"));
    }
    AuditEvent::by(caller.id(), "session.ended", EntityKind::Session, id)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Ends every session of the caller, the one asking included: browsers and
/// API clients alike must sign in again. Returns how many ended.
pub async fn end_every_session(state: &AppState, caller: &AuthUser) -> ApiResult<u64> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let ended =
        sessions::revoke_all_of_user(&txn, caller.id(), None, REASON_EVERYWHERE, now).await?;
    AuditEvent::by(
        caller.id(),
        "user.signed-out-everywhere",
        EntityKind::User,
        caller.id(),
    )
    .changes(serde_json::json!({ "sessions_ended": ended }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(ended)
}

/// Whoever a browser's session cookie signs in: `None` when it names no
/// live session (signed out, ended elsewhere, expired, or the account
/// disabled), which a page treats as a visitor not signed in.
pub async fn browser_caller(state: &AppState, cookie: &str) -> ApiResult<Option<AuthUser>> {
    let found = sessions::live_browser_session(&state.db, cookie, state.clock.now()).await?;
    Ok(found.map(|(session, user)| AuthUser {
        user,
        session_id: session.id,
    }))
}
