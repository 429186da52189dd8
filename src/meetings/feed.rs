//! Each person's secret calendar-feed token and the feed URLs made with it:
//! calendar apps subscribe to a URL and cannot send a bearer token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{calendar_feed, forum, forum_role};
use rand::RngCore;
use sea_orm::sea_query::{OnConflict, Query as SqlQuery};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::types::{CalendarFeedOut, FeedForum};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::links::api_path;
use crate::kernel::state::AppState;

fn new_feed_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The feed URL of each forum the person takes part in, in one query.
async fn feed_out(
    conn: &impl ConnectionTrait,
    public_url: Option<&str>,
    user_id: Uuid,
    token: String,
) -> ApiResult<CalendarFeedOut> {
    let base = public_url.unwrap_or_default();
    let forums = forum::Entity::find()
        .filter(
            forum::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(forum_role::Column::ForumId)
                    .from(forum_role::Entity)
                    .and_where(forum_role::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .order_by_asc(forum::Column::Name)
        .order_by_asc(forum::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|f| FeedForum {
            url: format!(
                "{base}{}",
                api_path(format_args!("forums/{}/calendar.ics?token={token}", f.id))
            ),
            forum_id: f.id,
            name: f.name,
        })
        .collect();
    Ok(CalendarFeedOut { token, forums })
}

/// Writes a new token for the person: on first use only when none exists
/// (two first requests at once agree on one token), on rotation in place of
/// the old one. Each is one statement, so no concurrent request can make the
/// other fail. Returns whether a token was written.
async fn write_token(
    txn: &DatabaseTransaction,
    user_id: Uuid,
    rotate: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<bool> {
    let on_conflict = if rotate {
        OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([
                calendar_feed::Column::Token,
                calendar_feed::Column::CreatedAt,
            ])
            .to_owned()
    } else {
        OnConflict::column(calendar_feed::Column::UserId)
            .do_nothing()
            .to_owned()
    };
    let written = calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        user_id: Set(user_id),
        token: Set(new_feed_token()),
        created_at: Set(now),
    })
    .on_conflict(on_conflict)
    .exec_without_returning(txn)
    .await?;
    Ok(written > 0)
}

async fn feed(state: &AppState, user: &AuthUser, rotate: bool) -> ApiResult<CalendarFeedOut> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if write_token(&txn, user.id(), rotate, now).await? {
        let action = if rotate {
            "calendar-feed.rotated"
        } else {
            "calendar-feed.created"
        };
        AuditEvent::new(Some(user.id()), action, EntityKind::CalendarFeed, user.id())
            .changes(json!({}))
            .record(&txn, now)
            .await?;
    }
    let token = calendar_feed::Entity::find_by_id(user.id())
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal("the calendar feed just written is missing"))?
        .token;
    let out = feed_out(&txn, state.public_url.as_deref(), user.id(), token).await?;
    txn.commit().await?;
    Ok(out)
}

/// The caller's calendar-feed token and URLs, the token made on first
/// request.
pub async fn calendar_feed(state: &AppState, caller: &AuthUser) -> ApiResult<CalendarFeedOut> {
    feed(state, caller, false).await
}

/// Replaces the caller's calendar-feed token: the old URLs stop working at
/// once.
pub async fn rotate_calendar_feed(
    state: &AppState,
    caller: &AuthUser,
) -> ApiResult<CalendarFeedOut> {
    feed(state, caller, true).await
}
