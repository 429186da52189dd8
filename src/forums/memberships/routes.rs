use std::collections::HashMap;

use axum::extract::State;
use entity::{MembershipStatus, forum_membership, organisation};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries;
use super::types::{MembershipIn, MembershipOut, MembershipQuery};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::organisations::{self, OrganisationOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_memberships, apply))
}

/// A forum's member organisations.
///
/// The forum's participants (and admins) see every membership in full and may
/// filter. Everyone else sees the active members' names, plus their own
/// organisation's memberships in full.
#[utoipa::path(
    get,
    path = "/forums/{id}/memberships",
    tag = "memberships",
    params(("id" = Uuid, Path, description = "Forum id"), MembershipQuery),
    responses(
        (status = 200, description = "A page of memberships", body = Page<MembershipOut>),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn list_memberships(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<MembershipQuery>,
) -> ApiResult<Json<Page<MembershipOut>>> {
    let access = ForumAccess::load(&state.db, forum_id, caller.as_ref()).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let insider = access.allows(ForumAction::ReadParticipantRecords);
    let own_organisation = caller.as_ref().and_then(|c| c.user.organisation_id);

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
    let organisations = organisations_of(&state, &rows).await?;
    Ok(Json(page.finish(
        rows,
        |m| m.id,
        |m| {
            let org = organisations.get(&m.organisation_id);
            let name = org.map(|o| o.name.clone()).unwrap_or_default();
            match org {
                Some(org) if insider || Some(org.id) == own_organisation => {
                    MembershipOut::full(m, org)
                }
                _ => MembershipOut::public(m, name),
            }
        },
    )))
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

/// Apply to join the forum, for your organisation.
///
/// An organisation may have one open (applied, active or suspended)
/// membership of a forum at a time; a second is 409, also when both are made
/// at the same moment. After a rejection or leaving, it may apply again.
#[utoipa::path(
    post,
    path = "/forums/{id}/memberships",
    tag = "memberships",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = MembershipIn,
    responses(
        (status = 201, description = "Application made", body = MembershipOut,
         headers(("Location" = String, description = "URL of the new membership"))),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 409, description = "The organisation already has an open membership", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn apply(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<MembershipIn>,
) -> ApiResult<Created<MembershipOut>> {
    input.validate()?;
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
    let Some(organisation_id) = input.organisation_id.or(user.user.organisation_id) else {
        return Err(ApiError::invalid(
            "organisation_id",
            "you belong to no organisation: register yours first",
        ));
    };
    access.require(ForumAction::ApplyForMembership { organisation_id })?;
    let Some(org) = organisations::find(&state.db, organisation_id).await? else {
        return Err(ApiError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    };
    // For a clear answer naming the state; the partial unique index of open
    // memberships decides, also between two applications at the same moment.
    if let Some(open) = queries::open_membership(&state.db, forum_id, organisation_id).await? {
        return Err(ApiError::Conflict(format!(
            "{} already has a membership of this forum that is {}",
            org.name,
            open.status.as_str()
        )));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let membership = forum_membership::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        organisation_id: Set(organisation_id),
        status: Set(MembershipStatus::Applied),
        statement: Set(input.statement.trim().to_string()),
        status_reason: Set(None),
        applied_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        format!(
            "{} applied to this forum at the same moment; it already has an open membership",
            org.name
        )
    })?;
    let event = Event::membership(
        Kind::MembershipApplied,
        &membership,
        &org.name,
        Some(user.id()),
    );
    events::emit(&txn, now, event).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "membership.applied", EntityKind::Membership, membership.id)
            .forum(forum_id)
            .changes(json!({"organisation_id": organisation_id, "status": "applied", "statement": membership.statement})),
    )
    .await?;
    txn.commit().await?;
    let location = format!("/api/v1/forums/{forum_id}/memberships/{}", membership.id);
    Ok(Created::at(location, MembershipOut::full(membership, &org)))
}
