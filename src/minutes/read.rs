//! Reading the minutes, and every version of them.

use std::collections::HashMap;

use entity::{MinutesStatus, meeting, minutes_revision, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::queries::{minutes_of, no_minutes, read_as};
use super::sections::{self, Section};
use super::types::{MinutesOut, RevisionOut, RevisionQuery};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

/// A meeting's minutes. Approved minutes are public; draft minutes are for
/// the forum's participants only: anyone else, signed in or not, is told
/// there are none (404).
pub async fn get(
    state: &AppState,
    caller: Option<&AuthUser>,
    meeting_id: Uuid,
) -> ApiResult<MinutesOut> {
    let meeting = meeting::Entity::find_by_id(meeting_id)
        .one(&state.db)
        .await?
        .ok_or_else(no_minutes)?;
    let minutes = minutes_of(&state.db, meeting_id)
        .await?
        .ok_or_else(no_minutes)?;
    let access = ForumAccess::load(&state.db, meeting.forum_id, caller).await?;
    if minutes.status != MinutesStatus::Approved
        && !access.allows(ForumAction::ReadParticipantRecords)
    {
        return Err(no_minutes());
    }
    read_as(&state.db, minutes, &meeting, &access).await
}

/// Every version of the minutes, oldest first: who wrote it, when, and what
/// (the forum's participants; sections they may not read are withheld, as
/// in the minutes). The last one of approved minutes is the approved text,
/// by whoever approved it.
pub async fn revisions(
    state: &AppState,
    caller: &AuthUser,
    meeting_id: Uuid,
    query: RevisionQuery,
) -> ApiResult<Page<RevisionOut>> {
    let (_, access) =
        access::load_visible::<meeting::Entity>(&state.db, meeting_id, Some(caller)).await?;
    let page = PageRequest::<i32>::new(query.limit, query.cursor.as_deref())?;
    let minutes = minutes_of(&state.db, meeting_id)
        .await?
        .ok_or_else(no_minutes)?;
    let mut select =
        minutes_revision::Entity::find().filter(minutes_revision::Column::MinutesId.eq(minutes.id));
    if let Some(after) = page.after {
        select = select.filter(minutes_revision::Column::Version.gt(after));
    }
    let rows = select
        .order_by_asc(minutes_revision::Column::Version)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let names: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.edited_by)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    // Each version as this reader may read it, by its items' visibility now.
    let kept: Vec<Vec<Section>> = rows.iter().map(sections::of_revision).collect();
    let items = sections::item_visibility(&state.db, kept.iter().flatten()).await?;
    let mut kept = kept.into_iter();
    Ok(page.finish(
        rows,
        |r| r.version,
        |r| {
            let shown = sections::as_read(&kept.next().unwrap_or_default(), &items, |v| {
                access.may_read(v)
            });
            RevisionOut {
                version: r.version,
                edited_by_name: r.edited_by.and_then(|id| names.get(&id).cloned()),
                edited_by: r.edited_by,
                body: sections::render(&shown),
                sections: shown,
                edited_at: r.edited_at,
            }
        },
    ))
}
