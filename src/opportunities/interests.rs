//! Member organisations registering (and withdrawing) their interest in an
//! opportunity, and who has: for the region's RPD staff and the forum's
//! officers.

use entity::{
    MembershipStatus, OpportunityState, forum_membership, opportunity, opportunity_interest,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::queries::{hold, load, region_forum};
use super::types::{InterestIn, InterestOut};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::limits;
use crate::kernel::names::{Named, Names, People, organisation_name, person_name};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Registers the caller's organisation's interest in an opportunity, with
/// an optional note: people of an organisation with an active membership
/// of the region's forum, but observers and RPD staff (403). Once per
/// organisation (409 the second time); not in a withdrawn opportunity (409).
pub async fn register_interest(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: InterestIn,
) -> ApiResult<InterestOut> {
    let found = load(&state.db, id).await?;
    let (organisation, forum) = interested_organisation(&state.db, found.region_id, caller).await?;
    let mut v = Validator::default();
    if let Some(note) = &input.note {
        v.rule::<limits::InterestNote>(note, "note");
    }
    v.finish()?;
    refuse_withdrawn(&found)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    refuse_withdrawn(&hold(&txn, id).await?)?;
    let saved = opportunity_interest::ActiveModel {
        id: Set(Uuid::now_v7()),
        opportunity_id: Set(id),
        organisation_id: Set(organisation),
        registered_by: Set(Some(caller.id())),
        note: Set(input.note.map(|n| n.trim().to_string())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        "your organisation has already registered interest in this opportunity".into()
    })?;
    let organisation_name = Names::load(&txn, People::Named, [], [Some(organisation)])
        .await?
        .organisation(Some(organisation));
    let out = interest_out(
        saved,
        InterestNames {
            organisation_name,
            registered_by_name: Some(caller.user.display_name.clone()),
        },
    );
    AuditEvent::by(
        caller.id(),
        "opportunity.interest_registered",
        EntityKind::OpportunityInterest,
        out.id,
    )
    .forum(forum)
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Withdraws the caller's organisation's interest (whoever of it
/// registered it); 404 when it has registered none.
pub async fn withdraw_interest(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<()> {
    let found = load(&state.db, id).await?;
    let (organisation, forum) = interested_organisation(&state.db, found.region_id, caller).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let interest = opportunity_interest::Entity::find()
        .filter(opportunity_interest::Column::OpportunityId.eq(id))
        .filter(opportunity_interest::Column::OrganisationId.eq(organisation))
        .one(&txn)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(
                "your organisation has not registered interest in this opportunity".into(),
            )
        })?;
    let before = audit::snapshot(&interest_out(interest.clone(), InterestNames::default()))?;
    let interest_id = interest.id;
    interest.delete(&txn).await?;
    AuditEvent::by(
        caller.id(),
        "opportunity.interest_withdrawn",
        EntityKind::OpportunityInterest,
        interest_id,
    )
    .forum(forum)
    .changes(before)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The organisations that registered interest, oldest first: the region's
/// RPD staff, the forum's officers and admins.
pub async fn interests(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<InterestOut>> {
    let found = load(&state.db, id).await?;
    match region_forum(&state.db, found.region_id).await? {
        Some(forum) => ForumAccess::load(&state.db, forum.id, Some(caller))
            .await?
            .require(ForumAction::ReadInterests)?,
        // A region without a forum has neither officers nor RPD staff.
        None => access::require_admin(caller)?,
    }
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = opportunity_interest::Entity::find()
        .filter(opportunity_interest::Column::OpportunityId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(opportunity_interest::Column::Id.gt(after));
    }
    // Those who may see interests take part in the region's forum, so are
    // shown people's names.
    let col = |c: opportunity_interest::Column| (opportunity_interest::Entity, c);
    let rows = select
        .column_as(
            organisation_name(col(opportunity_interest::Column::OrganisationId)),
            "organisation_name",
        )
        .column_as(
            person_name(
                col(opportunity_interest::Column::RegisteredBy),
                People::Named,
            ),
            "registered_by_name",
        )
        .order_by_asc(opportunity_interest::Column::Id)
        .limit(page.fetch())
        .into_model::<Named<opportunity_interest::Model, InterestNames>>()
        .all(&state.db)
        .await?;
    Ok(page.finish(rows, |i| i.record.id, |i| interest_out(i.record, i.names)))
}

/// The caller's organisation and the region's forum, if the caller may
/// register the organisation's interest in the region's opportunities: the
/// forum's permission table allows them, and the organisation has an
/// active membership of the forum (403 otherwise).
async fn interested_organisation(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    caller: &AuthUser,
) -> ApiResult<(Uuid, Uuid)> {
    let refused = || {
        ApiError::Forbidden(
            "only people of an organisation with an active membership of the region's forum \
             register its interest (observers and RPD staff do not)"
                .into(),
        )
    };
    let forum = region_forum(conn, region_id).await?.ok_or_else(refused)?;
    ForumAccess::load(conn, forum.id, Some(caller))
        .await?
        .require(ForumAction::RegisterInterest)?;
    let organisation = caller.user.organisation_id.ok_or_else(refused)?;
    let active = forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum.id))
        .filter(forum_membership::Column::OrganisationId.eq(organisation))
        .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
        .one(conn)
        .await?
        .is_some();
    if active {
        Ok((organisation, forum.id))
    } else {
        Err(refused())
    }
}

fn refuse_withdrawn(o: &opportunity::Model) -> ApiResult<()> {
    if o.status == OpportunityState::Withdrawn {
        Err(ApiError::Conflict("this opportunity was withdrawn".into()))
    } else {
        Ok(())
    }
}

/// The names beside an interest's ids, read with it.
#[derive(Debug, Default, FromQueryResult)]
struct InterestNames {
    organisation_name: Option<String>,
    registered_by_name: Option<String>,
}

fn interest_out(i: opportunity_interest::Model, names: InterestNames) -> InterestOut {
    InterestOut {
        id: i.id,
        opportunity_id: i.opportunity_id,
        organisation_id: i.organisation_id,
        organisation_name: names.organisation_name,
        registered_by: i.registered_by,
        registered_by_name: names.registered_by_name,
        note: i.note,
        created_at: i.created_at,
    }
}
