//! Reading who holds which role in a forum. One role per person per forum;
//! a person may take part in several forums.

use entity::{ForumRole, MembershipStatus, forum_membership, forum_role, organisation, user};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;
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

/// Someone who could be given a role: a person of one of the forum's
/// active member organisations who holds none in it yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleCandidate {
    pub user_id: Uuid,
    pub display_name: String,
    pub organisation_name: String,
}

/// The most candidates a page offers to choose from.
const CANDIDATES: usize = 500;

/// The first of the people who could be given a role, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleCandidates {
    /// At most 500, by name.
    pub items: Vec<RoleCandidate>,
    /// Whether there are more than these.
    pub more: bool,
}

/// The people of the forum's active member organisations without a role in
/// it, by name: whom its officers (and admins) can make members or
/// observers. 403 to anyone who may not assign roles.
pub async fn role_candidates(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
) -> ApiResult<RoleCandidates> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::AssignRole(ForumRole::Member))?;
    let rows = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::DisplayName)
        .column(organisation::Column::Name)
        .join(
            JoinType::InnerJoin,
            user::Entity::belongs_to(organisation::Entity)
                .from(user::Column::OrganisationId)
                .to(organisation::Column::Id)
                .into(),
        )
        .filter(user::Column::Disabled.eq(false))
        .filter(
            user::Column::OrganisationId.in_subquery(
                Query::select()
                    .column(forum_membership::Column::OrganisationId)
                    .from(forum_membership::Entity)
                    .and_where(forum_membership::Column::ForumId.eq(forum_id))
                    .and_where(forum_membership::Column::Status.eq(MembershipStatus::Active))
                    .to_owned(),
            ),
        )
        .filter(
            user::Column::Id.not_in_subquery(
                Query::select()
                    .column(forum_role::Column::UserId)
                    .from(forum_role::Entity)
                    .and_where(forum_role::Column::ForumId.eq(forum_id))
                    .to_owned(),
            ),
        )
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .limit(CANDIDATES as u64 + 1)
        .into_tuple::<(Uuid, String, String)>()
        .all(&state.db)
        .await?;
    let more = rows.len() > CANDIDATES;
    let items = rows
        .into_iter()
        .take(CANDIDATES)
        .map(|(user_id, display_name, organisation_name)| RoleCandidate {
            user_id,
            display_name,
            organisation_name,
        })
        .collect();
    Ok(RoleCandidates { items, more })
}
