//! Member organisations registering (and withdrawing) their interest in an
//! opportunity, and who has: for the region's RPD staff and the forum's
//! officers.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use entity::{
    ForumRole, MembershipStatus, OpportunityState, forum_membership, opportunity,
    opportunity_interest, organisation,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{hold, load, region_forum};
use super::types::{InterestIn, InterestOut};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_interest, withdraw_interest))
        .routes(routes!(list_interests))
}

/// The caller's organisation, if it may register interest in the region's
/// opportunities: it has an active membership of the region's forum, and
/// the caller is not there as an observer or as RPD staff (403 otherwise).
async fn interested_organisation(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    user: &AuthUser,
) -> ApiResult<(Uuid, Uuid)> {
    let refused = || {
        ApiError::Forbidden(
            "only people of an organisation with an active membership of the region's forum \
             register its interest (observers and RPD staff do not)"
                .into(),
        )
    };
    let forum = region_forum(conn, region_id).await?.ok_or_else(refused)?;
    let organisation = user.user.organisation_id.ok_or_else(refused)?;
    let access = ForumAccess::load(conn, forum.id, Some(user)).await?;
    if matches!(
        access.role(),
        Some(ForumRole::Observer | ForumRole::RpdStaff)
    ) {
        return Err(refused());
    }
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

fn interest_out(i: opportunity_interest::Model, name: Option<String>) -> InterestOut {
    InterestOut {
        id: i.id,
        opportunity_id: i.opportunity_id,
        organisation_id: i.organisation_id,
        organisation_name: name,
        registered_by: i.registered_by,
        note: i.note,
        created_at: i.created_at,
    }
}

/// Register your organisation's interest in an opportunity, with an
/// optional note: people of an organisation with an active membership of
/// the region's forum (not observers or RPD staff). Once per organisation
/// (409 the second time); not in a withdrawn opportunity (409).
#[utoipa::path(
    post,
    path = "/opportunities/{id}/interest",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    request_body = InterestIn,
    responses(
        (status = 201, description = "Interest registered", body = InterestOut,
         headers(("Location" = String, description = "URL of your organisation's interest"))),
        (status = 401, description = "Not signed in", body = crate::http::problem::Problem),
        (status = 403, description = "Not a person of a member organisation of the region's forum", body = crate::http::problem::Problem),
        (status = 404, description = "No such opportunity", body = crate::http::problem::Problem),
        (status = 409, description = "Your organisation has already registered interest, or the opportunity was withdrawn", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid note", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn register_interest(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<InterestIn>,
) -> ApiResult<Created<InterestOut>> {
    let found = load(&state.db, id).await?;
    let (organisation, forum) = interested_organisation(&state.db, found.region_id, &user).await?;
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
        registered_by: Set(Some(user.id())),
        note: Set(input.note.map(|n| n.trim().to_string())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        "your organisation has already registered interest in this opportunity".into()
    })?;
    let out = interest_out(saved, None);
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "opportunity.interest_registered",
            EntityKind::OpportunityInterest,
            out.id,
        )
        .forum(forum)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok(Created::at(
        format!("/api/v1/opportunities/{id}/interest"),
        out,
    ))
}

fn refuse_withdrawn(o: &opportunity::Model) -> ApiResult<()> {
    if o.status == OpportunityState::Withdrawn {
        Err(ApiError::Conflict("this opportunity was withdrawn".into()))
    } else {
        Ok(())
    }
}

/// Withdraw your organisation's interest (whoever of it registered it).
#[utoipa::path(
    delete,
    path = "/opportunities/{id}/interest",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    responses(
        (status = 204, description = "Interest withdrawn"),
        (status = 401, description = "Not signed in", body = crate::http::problem::Problem),
        (status = 403, description = "Not a person of a member organisation of the region's forum", body = crate::http::problem::Problem),
        (status = 404, description = "No such opportunity, or your organisation has not registered interest in it", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn withdraw_interest(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let found = load(&state.db, id).await?;
    let (organisation, forum) = interested_organisation(&state.db, found.region_id, &user).await?;
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
    let before = audit::snapshot(&interest_out(interest.clone(), None))?;
    let interest_id = interest.id;
    interest.delete(&txn).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "opportunity.interest_withdrawn",
            EntityKind::OpportunityInterest,
            interest_id,
        )
        .forum(forum)
        .changes(before),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organisations that registered interest, oldest first: the region's
/// RPD staff, the forum's officers and admins.
#[utoipa::path(
    get,
    path = "/opportunities/{id}/interests",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id"), PageQuery),
    responses(
        (status = 200, description = "A page of interests", body = Page<InterestOut>),
        (status = 401, description = "Not signed in", body = crate::http::problem::Problem),
        (status = 403, description = "Only the region's RPD staff, the forum's officers and admins see who registered interest", body = crate::http::problem::Problem),
        (status = 404, description = "No such opportunity", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid limit or cursor", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_interests(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<InterestOut>>> {
    let found = load(&state.db, id).await?;
    let officer = match region_forum(&state.db, found.region_id).await? {
        Some(forum) => ForumAccess::load(&state.db, forum.id, Some(&user))
            .await?
            .is_officer(),
        None => false,
    };
    if !officer {
        require_plan_editor(&state.db, found.region_id, Some(&user))
            .await
            .map_err(|err| match err {
                ApiError::Forbidden(_) => ApiError::Forbidden(
                    "only the region's RPD staff, the forum's officers and admins see who \
                     registered interest"
                        .into(),
                ),
                other => other,
            })?;
    }
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = opportunity_interest::Entity::find()
        .filter(opportunity_interest::Column::OpportunityId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(opportunity_interest::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(opportunity_interest::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let organisations: HashMap<Uuid, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|i| i.organisation_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(Json(page.finish(
        rows,
        |i| i.id,
        |i| {
            let name = organisations.get(&i.organisation_id).cloned();
            interest_out(i, name)
        },
    )))
}
