//! iCalendar files (RFC 5545) for one meeting or a whole forum, and each
//! person's secret feed URL for calendar apps, which cannot send a bearer token.
//!
//! Times are written in UTC (`…Z`), which every calendar app converts to the
//! reader's zone, and the calendar names Europe/London as its zone
//! (`X-WR-TIMEZONE`), so a 10:00 BST meeting shows at 10:00 in the UK. Each
//! meeting keeps one `UID` for life; `SEQUENCE` rises with every change, and a
//! cancelled meeting stays in the feed with `STATUS:CANCELLED` so apps remove it.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::{MeetingStatus, calendar_feed, forum, forum_role, meeting, user};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::access::{ForumAccess, ForumAction};
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(meeting_calendar))
        .routes(routes!(forum_calendar))
        .routes(routes!(get_feed))
        .routes(routes!(rotate_feed))
}

const CALENDAR_TYPE: &str = "text/calendar; charset=utf-8";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Your calendar-feed token (from `GET /me/calendar-feed`), for apps that
    /// cannot send a bearer token.
    pub token: Option<String>,
}

fn unauthorised() -> ApiError {
    ApiError::Unauthorized("sign in, or use your calendar-feed URL".into())
}

/// The reader: the bearer token's user, else the feed token's.
async fn reader(
    conn: &impl ConnectionTrait,
    bearer: Option<AuthUser>,
    token: Option<&str>,
) -> ApiResult<user::Model> {
    if let Some(user) = bearer {
        return Ok(user.user);
    }
    let token = token.ok_or_else(unauthorised)?;
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::Token.eq(token))
        .one(conn)
        .await?
        .ok_or_else(unauthorised)?;
    user::Entity::find_by_id(feed.user_id)
        .one(conn)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(unauthorised)
}

fn event(m: &meeting::Model) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("{}@convene", m.id))
        .sequence(u32::try_from(m.version - 1).unwrap_or(0))
        .timestamp(m.updated_at)
        .last_modified(m.updated_at)
        .created(m.created_at)
        .summary(&m.title)
        .starts(m.starts_at)
        .ends(m.ends_at)
        .status(match m.status {
            MeetingStatus::Cancelled => EventStatus::Cancelled,
            _ => EventStatus::Confirmed,
        });
    let mut description = m.description.clone();
    if let Some(link) = &m.online_link {
        event.url(link);
        description = format!("{description}\n\nJoin online: {link}")
            .trim()
            .to_string();
    }
    if !description.is_empty() {
        event.description(&description);
    }
    if let Some(location) = m.location.as_ref().or(m.online_link.as_ref()) {
        event.location(location);
    }
    event.done()
}

fn calendar(name: &str, meetings: &[meeting::Model]) -> axum::response::Response {
    let mut calendar = Calendar::new();
    calendar.name(name).timezone("Europe/London");
    for m in meetings {
        calendar.push(event(m));
    }
    let body = calendar.done().to_string();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, CALENDAR_TYPE)],
        body,
    )
        .into_response()
}

/// One meeting as an iCalendar file (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/calendar.ics",
    tag = "calendars",
    params(("id" = Uuid, Path, description = "Meeting id"), FeedQuery),
    responses(
        (status = 200, description = "RFC 5545 calendar with the one event", content_type = "text/calendar", body = String),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn meeting_calendar(
    State(state): State<AppState>,
    bearer: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<FeedQuery>,
) -> ApiResult<impl IntoResponse> {
    let reader = reader(&state.db, bearer, query.token.as_deref()).await?;
    let meeting = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("meeting"))?;
    let access = ForumAccess::load_for(&state.db, meeting.forum_id, Some(&reader)).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, "meeting")?;
    Ok(calendar(&access.forum.name, &[meeting]))
}

/// All of a forum's meetings as an iCalendar feed, for calendar apps to subscribe to.
///
/// Calendar apps cannot send a bearer token: use the URL from
/// `GET /me/calendar-feed`, which carries your feed token. It works only for
/// forums you take part in.
#[utoipa::path(
    get,
    path = "/forums/{id}/calendar.ics",
    tag = "calendars",
    params(("id" = Uuid, Path, description = "Forum id"), FeedQuery),
    responses(
        (status = 200, description = "RFC 5545 calendar of the forum's meetings", content_type = "text/calendar", body = String),
        (status = 404, description = "No such forum", body = crate::error::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn forum_calendar(
    State(state): State<AppState>,
    bearer: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<FeedQuery>,
) -> ApiResult<impl IntoResponse> {
    let reader = reader(&state.db, bearer, query.token.as_deref()).await?;
    let access = ForumAccess::load_for(&state.db, id, Some(&reader)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::ForumId.eq(id))
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .all(&state.db)
        .await?;
    Ok(calendar(&access.forum.name, &meetings))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedForum {
    pub forum_id: Uuid,
    pub name: String,
    /// Subscribe to this in a calendar app. Keep it secret: it shows the forum's meetings to whoever has it.
    pub url: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CalendarFeedOut {
    /// Your feed token; `POST /me/calendar-feed/rotate` replaces it.
    pub token: String,
    /// A feed URL for each forum you take part in.
    pub forums: Vec<FeedForum>,
}

fn new_feed_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

async fn feed_out(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    token: String,
) -> ApiResult<CalendarFeedOut> {
    let mut forum_ids: Vec<Uuid> = forum_role::Entity::find()
        .filter(forum_role::Column::UserId.eq(user.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.forum_id)
        .collect();
    forum_ids.sort();
    let forums = forum::Entity::find()
        .filter(forum::Column::Id.is_in(forum_ids))
        .order_by_asc(forum::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|f| FeedForum {
            url: format!("/api/v1/forums/{}/calendar.ics?token={token}", f.id),
            forum_id: f.id,
            name: f.name,
        })
        .collect();
    Ok(CalendarFeedOut { token, forums })
}

async fn replace_token(
    state: &AppState,
    user: &AuthUser,
    rotate: bool,
) -> ApiResult<CalendarFeedOut> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let existing = calendar_feed::Entity::find_by_id(user.id())
        .one(&txn)
        .await?;
    let token = match existing {
        Some(feed) if !rotate => feed.token,
        existing => {
            if existing.is_some() {
                calendar_feed::Entity::delete_by_id(user.id())
                    .exec(&txn)
                    .await?;
            }
            let token = new_feed_token();
            calendar_feed::ActiveModel {
                user_id: Set(user.id()),
                token: Set(token.clone()),
                created_at: Set(now),
            }
            .insert(&txn)
            .await?;
            let action = if rotate {
                "calendar-feed.rotated"
            } else {
                "calendar-feed.created"
            };
            audit::record(
                &txn,
                now,
                AuditEvent::new(Some(user.id()), action, "calendar_feed", user.id())
                    .changes(json!({})),
            )
            .await?;
            token
        }
    };
    let out = feed_out(&txn, &user.user, token).await?;
    txn.commit().await?;
    Ok(out)
}

/// Your personal calendar-feed URLs (made on first request).
#[utoipa::path(
    get,
    path = "/me/calendar-feed",
    tag = "calendars",
    responses((status = 200, description = "Your feed token and URLs", body = CalendarFeedOut)),
    security(("bearer" = []))
)]
async fn get_feed(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<CalendarFeedOut>> {
    Ok(Json(replace_token(&state, &user, false).await?))
}

/// Replace your calendar-feed token: the old URLs stop working at once.
#[utoipa::path(
    post,
    path = "/me/calendar-feed/rotate",
    tag = "calendars",
    responses((status = 200, description = "Your new feed token and URLs", body = CalendarFeedOut)),
    security(("bearer" = []))
)]
async fn rotate_feed(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<CalendarFeedOut>> {
    Ok(Json(replace_token(&state, &user, true).await?))
}
