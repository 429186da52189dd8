//! Reading issues: one with its thread, a forum's (paged, searched, or all
//! of them for an export), and an issue's responses.

use chrono::NaiveDate;
use entity::{IssueStatus, issue_response, raised_issue};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select};
use uuid::Uuid;

use super::queries::{after, filtered, listed, oldest_due_first, read_one};
use super::types::{IssueDetail, IssueOut, IssueQuery, ResponseOut};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, ONE_NAME, OneName, People, person_name};
use crate::kernel::pagination::{self, Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::search::{self, Corpus, SearchPage, Terms};

/// The forum's raised issues, oldest due first, or with `q` the matching
/// ones, best match first (the forum's participants).
pub async fn list(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: IssueQuery,
) -> ApiResult<Page<IssueOut>> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let today = state.clock.now().date_naive();
    let backend = state.db.get_database_backend();
    if let Some(terms) = Terms::from_query(query.q.as_deref())? {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let rows = filtered(forum_id, &query, today).into_query();
        return search::page(
            &state.db,
            rows,
            Corpus::Issues,
            &terms,
            &page,
            |ids| async {
                let found =
                    filtered(forum_id, &query, today).filter(raised_issue::Column::Id.is_in(ids));
                Ok(listed(found, backend)
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|row| (row.issue().id, IssueOut::listed(row, today)))
                    .collect())
            },
        )
        .await;
    }
    let page = PageRequest::<(NaiveDate, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(forum_id, &query, today);
    if let Some((due, id)) = page.after {
        select = select.filter(after(due, id));
    }
    let rows = listed(oldest_due_first(select).limit(page.fetch()), backend)
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |row| (row.issue().response_due_on, row.issue().id),
        |row| IssueOut::listed(row, today),
    ))
}

/// The forum's raised issues, newest first, a page at a time, optionally
/// only those in one state (the forum's participants): as the forum's
/// pages list them.
pub async fn newest(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    status: Option<IssueStatus>,
    query: PageQuery,
) -> ApiResult<Page<IssueOut>> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select =
        raised_issue::Entity::find().filter(raised_issue::Column::ForumId.eq(forum_id));
    if let Some(status) = status {
        select = select.filter(raised_issue::Column::Status.eq(status));
    }
    // Ids are time-ordered (v7): the newest is the greatest.
    if let Some(before) = page.after {
        select = select.filter(raised_issue::Column::Id.lt(before));
    }
    let today = state.clock.now().date_naive();
    let rows = listed(
        select
            .order_by_desc(raised_issue::Column::Id)
            .limit(page.fetch()),
        state.db.get_database_backend(),
    )
    .all(&state.db)
    .await?;
    Ok(page.finish(
        rows,
        |row| row.issue().id,
        |row| IssueOut::listed(row, today),
    ))
}

/// Every one of the forum's issues the filters (and `q`) match, oldest due
/// first: for an export (the forum's participants).
pub async fn all(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: IssueQuery,
) -> ApiResult<Vec<IssueOut>> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let today = state.clock.now().date_naive();
    let backend = state.db.get_database_backend();
    let terms = Terms::from_query(query.q.as_deref())?;
    let (db, query, terms) = (&state.db, &query, &terms);
    let rows = pagination::every_row(
        |last: Option<(NaiveDate, Uuid)>| async move {
            let mut select = filtered(forum_id, query, today);
            if let Some(terms) = terms {
                select = select.filter(search::matches(backend, Corpus::Issues, terms));
            }
            if let Some((due, id)) = last {
                select = select.filter(after(due, id));
            }
            listed(oldest_due_first(select).limit(pagination::BATCH), backend)
                .all(db)
                .await
                .map_err(ApiError::from)
        },
        |row| (row.issue().response_due_on, row.issue().id),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| IssueOut::listed(row, today))
        .collect())
}

/// One issue with its response thread, links and time to first response
/// (the forum's participants; 404 to anyone else).
pub async fn get(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<IssueDetail> {
    access::load_visible::<raised_issue::Entity>(&state.db, id, Some(caller)).await?;
    let today = state.clock.now().date_naive();
    let issue = read_one(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("issue"))?;
    // A thread is a conversation of a handful of messages, shown whole.
    let responses = thread(id)
        .limit(1_000)
        .into_model::<NamedResponse>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| ResponseOut::new(r.record, r.names.one_name))
        .collect();
    Ok(IssueDetail {
        issue: IssueOut::listed(issue, today),
        responses,
    })
}

/// The response thread, oldest first (the forum's participants).
pub async fn responses(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<ResponseOut>> {
    access::load_visible::<raised_issue::Entity>(&state.db, id, Some(caller)).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = thread(id);
    if let Some(after) = page.after {
        select = select.filter(issue_response::Column::Id.gt(after));
    }
    let rows = select
        .limit(page.fetch())
        .into_model::<NamedResponse>()
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |r| r.record.id,
        |r| ResponseOut::new(r.record, r.names.one_name),
    ))
}

/// The issue's responses, oldest first, each with its author's name (only
/// the forum's participants read them, and they are shown people's names).
fn thread(id: Uuid) -> Select<issue_response::Entity> {
    issue_response::Entity::find()
        .filter(issue_response::Column::IssueId.eq(id))
        .column_as(
            person_name(
                (issue_response::Entity, issue_response::Column::AuthorId),
                People::of_participants(),
            ),
            ONE_NAME,
        )
        .order_by_asc(issue_response::Column::Id)
}

type NamedResponse = Named<issue_response::Model, OneName>;
