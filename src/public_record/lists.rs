//! What anyone can list without signing in: a forum's approved minutes and
//! its upcoming meetings with their agendas.

use chrono::{DateTime, Utc};
use entity::{forum, meeting, minutes, minutes_section};
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::queries::{
    agenda_titles, approved_minutes, approved_minutes_by_id, readable_sections, upcoming,
};
use crate::kernel::access::{AuthUser, ForumAccess};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::search::{self, Corpus, SearchPage, Terms};

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
            url: api_path(format_args!("meetings/{}/minutes", meeting.id)),
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

/// The forum (its record is public), or 404.
pub(super) async fn require_forum(
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

/// The forum's approved minutes, newest approval first (anyone); 404 for
/// no such forum. With `q`, only minutes with a section that has its words
/// and that the caller may read (the public reads public sections; a
/// participant or officer of the forum searches what that role may read),
/// best match first.
pub async fn minutes(
    state: &AppState,
    caller: Option<&AuthUser>,
    forum_id: Uuid,
    query: MinutesQuery,
) -> ApiResult<Page<PublishedMinutesOut>> {
    if let Some(terms) = Terms::from_query(query.q.as_deref())? {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let access = ForumAccess::load(&state.db, forum_id, caller).await?;
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
        return Ok(search::page_of(&page, hits, found));
    }
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    require_forum(&state.db, forum_id).await?;
    let rows = approved_minutes(&state.db, forum_id, page.fetch(), page.after).await?;
    Ok(page.finish(
        rows,
        |(m, _)| (m.approved_at.unwrap_or(m.updated_at), m.id),
        |(m, meeting)| PublishedMinutesOut::new(m, meeting),
    ))
}

/// The forum's meetings to come, soonest first, with their agreed agendas
/// as the public reads them (anyone); 404 for no such forum.
pub async fn meetings_to_come(
    state: &AppState,
    forum_id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<UpcomingMeetingOut>> {
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
    Ok(page.finish(
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
    ))
}
