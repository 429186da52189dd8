//! Reading meetings: a forum's, page by page or as found by a search, and
//! one by id.

use chrono::{DateTime, Utc};
use entity::meeting;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select};
use uuid::Uuid;

use super::queries::{all_with_attendance, attendance_summaries, with_attendance};
use super::types::{MeetingOut, MeetingQuery};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest, after_key, before_key};
use crate::kernel::state::AppState;
use crate::search::{self, Corpus, SearchPage, Terms};

/// The forum's meetings, soonest first or latest first (the forum's
/// participants). With `q`, only those whose title, description or place
/// has its words, best match first.
pub async fn list(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: MeetingQuery,
) -> ApiResult<Page<MeetingOut>> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    if let Some(terms) = Terms::from_query(query.q.as_deref())? {
        return found(state, forum_id, &query, &terms).await;
    }
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(forum_id, &query);
    let sort_key = || {
        [
            Expr::col((meeting::Entity, meeting::Column::StartsAt)),
            Expr::col((meeting::Entity, meeting::Column::Id)),
        ]
    };
    if query.latest_first {
        // `to` bounds the first page (in `filtered`), the cursor the rest.
        if let Some(from) = query.from {
            select = select.filter(meeting::Column::StartsAt.gte(from));
        }
        if let Some((starts_at, id)) = page.after {
            select = select.filter(before_key(sort_key(), [starts_at.into(), id.into()]));
        }
        let rows = select
            .order_by_desc(meeting::Column::StartsAt)
            .order_by_desc(meeting::Column::Id)
            .limit(page.fetch())
            .all(&state.db)
            .await?;
        return finished(state, forum_id, page, rows).await;
    }
    // One lower bound on the sort key, the tighter of the two: SQLite seeks
    // by only one, and a cursor at or past `from` already implies it.
    match (page.after, query.from) {
        (Some((starts_at, _)), Some(from)) if from > starts_at => {
            select = select.filter(meeting::Column::StartsAt.gte(from));
        }
        (Some((starts_at, id)), _) => {
            select = select.filter(after_key(sort_key(), [starts_at.into(), id.into()]));
        }
        (None, Some(from)) => select = select.filter(meeting::Column::StartsAt.gte(from)),
        (None, None) => {}
    }
    let rows = select
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    finished(state, forum_id, page, rows).await
}

/// A page of meetings with their attendance figures (one statement for
/// all of them).
async fn finished(
    state: &AppState,
    forum_id: Uuid,
    page: PageRequest<(DateTime<Utc>, Uuid)>,
    rows: Vec<meeting::Model>,
) -> ApiResult<Page<MeetingOut>> {
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut summaries = attendance_summaries(&state.db, forum_id, &ids).await?;
    Ok(page.finish(
        rows,
        |m| (m.starts_at, m.id),
        |m| {
            let summary = summaries.remove(&m.id).unwrap_or_default();
            MeetingOut::new(m, summary)
        },
    ))
}

/// The forum's meetings matching the list's filters but `from` (which
/// the page and the search each bound in their own way).
fn filtered(forum_id: Uuid, query: &MeetingQuery) -> Select<meeting::Entity> {
    let mut select = meeting::Entity::find().filter(meeting::Column::ForumId.eq(forum_id));
    if let Some(to) = query.to {
        select = select.filter(meeting::Column::StartsAt.lt(to));
    }
    if let Some(status) = query.status {
        select = select.filter(meeting::Column::Status.eq(status));
    }
    select
}

/// A page of the meetings that match the search, best match first.
async fn found(
    state: &AppState,
    forum_id: Uuid,
    query: &MeetingQuery,
    terms: &Terms,
) -> ApiResult<Page<MeetingOut>> {
    let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
    let mut rows = filtered(forum_id, query);
    if let Some(from) = query.from {
        rows = rows.filter(meeting::Column::StartsAt.gte(from));
    }
    search::page(
        &state.db,
        rows.into_query(),
        Corpus::Meetings,
        terms,
        &page,
        |ids| async {
            let found = filtered(forum_id, query)
                .filter(meeting::Column::Id.is_in(ids))
                .all(&state.db)
                .await?;
            let found = all_with_attendance(&state.db, forum_id, found).await?;
            Ok(found.into_iter().map(|m| (m.id, m)).collect())
        },
    )
    .await
}

/// One meeting (the forum's participants; 404 to anyone else).
pub async fn get(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<MeetingOut> {
    let (meeting, _) = access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    with_attendance(&state.db, meeting).await
}
