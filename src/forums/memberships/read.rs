//! Reading a forum's memberships: in full to its participants, the active
//! members' public profiles to everyone else.

use std::collections::HashMap;

use entity::{MembershipStatus, forum_membership, organisation};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::queries;
use super::types::{MembershipOut, MembershipQuery};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::organisations::{self, OrganisationOut};

/// A forum's member organisations. Its participants (and admins) see every
/// membership in full and may filter; everyone else, signed in or not, sees
/// the active members' public profiles, plus their own organisation's
/// memberships in full.
pub async fn memberships(
    state: &AppState,
    caller: Option<&AuthUser>,
    forum_id: Uuid,
    query: MembershipQuery,
) -> ApiResult<Page<MembershipOut>> {
    let access = ForumAccess::load(&state.db, forum_id, caller).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let insider = access.allows(ForumAction::ReadParticipantRecords);
    let own_organisation = caller.and_then(|c| c.user.organisation_id);

    let mut select =
        forum_membership::Entity::find().filter(forum_membership::Column::ForumId.eq(forum_id));
    if !insider {
        let mut visible =
            Condition::any().add(forum_membership::Column::Status.eq(MembershipStatus::Active));
        if let Some(own) = own_organisation {
            visible = visible.add(forum_membership::Column::OrganisationId.eq(own));
        }
        select = select.filter(visible);
    }
    if let Some(status) = query.status {
        select = select.filter(forum_membership::Column::Status.eq(status));
    }
    let profile_filters = queries::organisation_filters(&query);
    if !profile_filters.is_empty() {
        select = select.filter(profile_filters);
    }
    if let Some(after) = page.after {
        select = select.filter(forum_membership::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(forum_membership::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let organisations = organisations_of(state, &rows).await?;
    Ok(page.finish(
        rows,
        |m| m.id,
        |m| {
            let org = organisations.get(&m.organisation_id);
            match org {
                Some(org) if insider || Some(org.id) == own_organisation => {
                    MembershipOut::full(m, org)
                }
                _ => MembershipOut::public(m, org),
            }
        },
    ))
}

/// The organisations of some memberships, in a fixed number of queries.
async fn organisations_of(
    state: &AppState,
    memberships: &[forum_membership::Model],
) -> ApiResult<HashMap<Uuid, OrganisationOut>> {
    let ids: Vec<Uuid> = memberships.iter().map(|m| m.organisation_id).collect();
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(&state.db)
        .await?;
    Ok(organisations::with_children(&state.db, orgs)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// One membership of the forum, as its list shows it: in full to the
/// forum's participants (and to the organisation's own people); an active
/// one's public profile to anyone else; 404 for any other, and for one of
/// another forum.
pub async fn membership(
    state: &AppState,
    caller: Option<&AuthUser>,
    forum_id: Uuid,
    membership_id: Uuid,
) -> ApiResult<MembershipOut> {
    let access = ForumAccess::load(&state.db, forum_id, caller).await?;
    let found = queries::find_in_forum(&state.db, forum_id, membership_id)
        .await?
        .ok_or_else(|| ApiError::not_found("membership"))?;
    let insider = access.allows(ForumAction::ReadParticipantRecords);
    let own = caller.and_then(|c| c.user.organisation_id) == Some(found.organisation_id);
    if !insider && !own && found.status != MembershipStatus::Active {
        return Err(ApiError::not_found("membership"));
    }
    let organisations = organisations_of(state, std::slice::from_ref(&found)).await?;
    let org = organisations.get(&found.organisation_id);
    Ok(match org {
        Some(org) if insider || own => MembershipOut::full(found, org),
        _ => MembershipOut::public(found, org),
    })
}
