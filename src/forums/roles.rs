//! Reading who holds which role in a forum. One role per person per forum;
//! a person may take part in several forums.

use entity::forum_role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::types::{RoleOut, RoleQuery};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::names::people_with_organisations;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

/// The forum's roles, by person (the forum's participants and admins; 403
/// to anyone else), optionally only those of one role.
pub async fn roles(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    query: RoleQuery,
) -> ApiResult<Page<RoleOut>> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = forum_role::Entity::find().filter(forum_role::Column::ForumId.eq(forum_id));
    if let Some(role) = query.role {
        select = select.filter(forum_role::Column::Role.eq(role));
    }
    if let Some(after) = page.after {
        select = select.filter(forum_role::Column::UserId.gt(after));
    }
    let rows = select
        .order_by_asc(forum_role::Column::UserId)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let people = people_with_organisations(&state.db, rows.iter().map(|r| r.user_id)).await?;
    Ok(page.finish(
        rows,
        |r| r.user_id,
        |r| {
            let person = people.get(&r.user_id);
            RoleOut::new(r, person)
        },
    ))
}
