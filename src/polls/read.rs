//! Reading polls: a forum's, and one with its caller's vote and results.

use entity::poll;
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::ballots::vote_of;
use super::queries::{newest_first, options_of, options_of_one};
use super::results::{results_of, shown};
use super::types::{PollDetail, PollOut, PollQuery};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::names::{Named, Names, ONE_NAME, OneName, People, person_name};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

/// The forum's polls, newest first (the forum's participants), optionally
/// only those standing where the query says now.
pub async fn list(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: PollQuery,
) -> ApiResult<Page<PollOut>> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let now = state.clock.now();
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = newest_first(forum_id, query.status, now);
    if let Some(after) = page.after {
        select = select.filter(poll::Column::Id.lt(after));
    }
    // Only the forum's participants read polls, so people are named.
    let author = (poll::Entity, poll::Column::CreatedBy);
    let rows = select
        .column_as(person_name(author, People::Named), ONE_NAME)
        .limit(page.fetch())
        .into_model::<Named<poll::Model, OneName>>()
        .all(&state.db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|p| p.record.id).collect();
    let mut options = options_of(&state.db, &ids).await?;
    Ok(page.finish(
        rows,
        |p| p.record.id,
        |p| {
            let own = options.remove(&p.record.id).unwrap_or_default();
            PollOut::new(p.record, own, now, p.names.one_name)
        },
    ))
}

/// One poll (the forum's participants; 404 to anyone else): its options,
/// where it stands, the vote of the caller's organisation, and its results
/// once they may be shown.
pub async fn get(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<PollDetail> {
    let (poll, _) = access::load_visible::<poll::Entity>(&state.db, id, Some(caller)).await?;
    let now = state.clock.now();
    let options = options_of_one(&state.db, id).await?;
    let my_vote = match caller.user.organisation_id {
        Some(organisation) => vote_of(&state.db, id, organisation).await?,
        None => None,
    };
    let results = if shown(&poll, now).is_ok() {
        Some(results_of(&state.db, &poll, now).await?)
    } else {
        None
    };
    let name = author_name(&state.db, &poll).await?;
    Ok(PollDetail {
        poll: PollOut::new(poll, options, now, name),
        my_vote,
        results,
    })
}

/// Who put the poll, by name: those who read polls take part in the forum,
/// so are shown people's names.
pub(super) async fn author_name(
    conn: &impl sea_orm::ConnectionTrait,
    poll: &poll::Model,
) -> ApiResult<Option<String>> {
    let by = poll.created_by;
    Ok(Names::load(conn, People::Named, [by], []).await?.person(by))
}
