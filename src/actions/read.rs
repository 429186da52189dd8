//! Reading actions: one, a forum's (paged, searched, or all of them for an
//! export), and those behind a commitment.

use chrono::NaiveDate;
use entity::action_item;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::queries::{
    self, due_sort_of, filtered, forum_of_commitment, in_due_order, linked_to, listed, read_one,
};
use super::types::{ActionOut, ActionQuery};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{self, Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::search::{self, Corpus, SearchPage, Terms};

/// The action as its forum's participants read it, with its names and
/// links (one statement).
pub(super) async fn out(state: &AppState, id: Uuid) -> ApiResult<ActionOut> {
    let row = read_one(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("action"))?;
    Ok(ActionOut::listed(row, state.clock.now().date_naive()))
}

/// One action (the forum's participants; 404 to anyone else).
pub async fn get(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<ActionOut> {
    access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    out(state, id).await
}

/// The forum's actions, soonest due first (undated last), or with `q` the
/// matching ones, best match first (the forum's participants).
pub async fn list(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: ActionQuery,
) -> ApiResult<Page<ActionOut>> {
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
            Corpus::Actions,
            &terms,
            &page,
            |ids| async {
                let found =
                    filtered(forum_id, &query, today).filter(action_item::Column::Id.is_in(ids));
                Ok(listed(found, backend)
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|row| (row.action().id, ActionOut::listed(row, today)))
                    .collect())
            },
        )
        .await;
    }
    let page = PageRequest::<(NaiveDate, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(forum_id, &query, today);
    if let Some(key) = page.after {
        select = select.filter(queries::after(key));
    }
    let rows = listed(in_due_order(select).limit(page.fetch()), backend)
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |row| due_sort_of(row.action()),
        |row| ActionOut::listed(row, today),
    ))
}

/// Every one of the forum's actions the filters (and `q`) match, in due
/// order: for an export (the forum's participants).
pub async fn all(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: ActionQuery,
) -> ApiResult<Vec<ActionOut>> {
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
                select = select.filter(search::matches(backend, Corpus::Actions, terms));
            }
            if let Some(key) = last {
                select = select.filter(queries::after(key));
            }
            listed(in_due_order(select).limit(pagination::BATCH), backend)
                .all(db)
                .await
                .map_err(ApiError::from)
        },
        |row| due_sort_of(row.action()),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ActionOut::listed(row, today))
        .collect())
}

/// The actions behind a commitment, soonest due first (participants of the
/// region's forum; the accountability report gives everyone the counts).
pub async fn for_commitment(
    state: &AppState,
    caller: &AuthUser,
    commitment_id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<ActionOut>> {
    let forum_id = forum_of_commitment(&state.db, commitment_id).await?;
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::<(NaiveDate, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = linked_to(
        action_item::Entity::find().filter(action_item::Column::ForumId.eq(forum_id)),
        commitment_id,
    );
    if let Some(key) = page.after {
        select = select.filter(queries::after(key));
    }
    let backend = state.db.get_database_backend();
    let rows = listed(in_due_order(select).limit(page.fetch()), backend)
        .all(&state.db)
        .await?;
    let today = state.clock.now().date_naive();
    Ok(page.finish(
        rows,
        |row| due_sort_of(row.action()),
        |row| ActionOut::listed(row, today),
    ))
}
