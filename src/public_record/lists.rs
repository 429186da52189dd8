//! What anyone can list without signing in: a forum's approved minutes and
//! its upcoming meetings with their agendas.

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{forum, meeting, minutes, minutes_section};
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    agenda_titles, approved_minutes, approved_minutes_by_id, readable_sections, upcoming,
};
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAccess;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::search::{self, Corpus, SearchPage, Terms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_minutes))
        .routes(routes!(list_upcoming))
}

/// A meeting's approved minutes, as the public record lists them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PublishedMinutesOut {
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub starts_at: DateTime<Utc>,
    pub minutes_id: Uuid,
    pub approved_at: Option<DateTime<Utc>>,
    /// Where to read them: `GET` it, no sign-in needed.
    pub url: String,
}

impl PublishedMinutesOut {
    fn new(minutes: minutes::Model, meeting: meeting::Model) -> Self {
        Self {
            url: format!("/api/v1/meetings/{}/minutes", meeting.id),
            meeting_id: meeting.id,
            meeting_title: meeting.title,
            starts_at: meeting.starts_at,
            minutes_id: minutes.id,
            approved_at: minutes.approved_at,
        }
    }
}

/// A meeting to come, as the public sees it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UpcomingMeetingOut {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    /// The titles of its agreed agenda, in order.
    pub agenda: Vec<String>,
}

pub async fn require_forum(
    conn: &impl sea_orm::ConnectionTrait,
    forum_id: Uuid,
) -> ApiResult<forum::Model> {
    forum::Entity::find_by_id(forum_id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("forum"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MinutesQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Words to search for in the minutes' sections you may read (1–200
    /// characters): the matching minutes, best match first. A section
    /// withheld from you is never a hit.
    /// Without letters or digits, no search.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

/// The forum's approved minutes, newest approval first (public).
///
/// With `q`, only minutes with a section that has its words and that the
/// caller may read (the public reads public sections; signing in as a
/// participant or officer of the forum searches what that role may read),
/// best match first.
#[utoipa::path(
    get,
    path = "/forums/{id}/minutes",
    tag = "public record",
    params(("id" = Uuid, Path, description = "Forum id"), MinutesQuery),
    responses(
        (status = 200, description = "A page of approved minutes", body = Page<PublishedMinutesOut>),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 422, description = "A bad limit, cursor or search", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn list_minutes(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<MinutesQuery>,
) -> ApiResult<Json<Page<PublishedMinutesOut>>> {
    if let Some(terms) = Terms::from_query(query.q.as_deref())? {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let access = ForumAccess::load(&state.db, forum_id, caller.as_ref()).await?;
        let sections = readable_sections(forum_id, &access);
        let minutes_id = Expr::col((minutes_section::Entity, minutes_section::Column::MinutesId));
        let hits = search::ranked(
            &state.db,
            sections,
            Corpus::MinutesSections,
            &terms,
            minutes_id,
            true,
            &page,
        )
        .await?;
        let found = approved_minutes_by_id(&state.db, hits.iter().map(|h| h.id).collect())
            .await?
            .into_iter()
            .map(|(m, meeting)| (m.id, PublishedMinutesOut::new(m, meeting)))
            .collect();
        return Ok(Json(search::page_of(&page, hits, found)));
    }
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    require_forum(&state.db, forum_id).await?;
    let rows = approved_minutes(&state.db, forum_id, page.fetch(), page.after).await?;
    Ok(Json(page.finish(
        rows,
        |(m, _)| (m.approved_at.unwrap_or(m.updated_at), m.id),
        |(m, meeting)| PublishedMinutesOut::new(m, meeting),
    )))
}

/// The forum's meetings to come, soonest first, with their agreed agendas (public).
#[utoipa::path(
    get,
    path = "/forums/{id}/upcoming-meetings",
    tag = "public record",
    params(("id" = Uuid, Path, description = "Forum id"), PageQuery),
    responses(
        (status = 200, description = "A page of meetings to come", body = Page<UpcomingMeetingOut>),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 422, description = "A bad limit or cursor", body = crate::http::problem::Problem),
    )
)]
async fn list_upcoming(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<UpcomingMeetingOut>>> {
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    require_forum(&state.db, forum_id).await?;
    let rows = upcoming(
        &state.db,
        forum_id,
        state.clock.now(),
        page.fetch(),
        page.after,
    )
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut agendas = agenda_titles(&state.db, &ids).await?;
    Ok(Json(page.finish(
        rows,
        |m| (m.starts_at, m.id),
        |m| UpcomingMeetingOut {
            agenda: agendas.remove(&m.id).unwrap_or_default().titles,
            id: m.id,
            title: m.title,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            location: m.location,
        },
    )))
}
