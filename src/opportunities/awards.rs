//! Recording awards under an opportunity, and reading them.

use axum::extract::State;
use entity::{
    AwardStatus, OpportunityState, award, award_group, opportunity, organisation,
    organisation_led_by,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::award_changes::keep_revision;
use super::queries::{awards_of, load, lock, region_forum};
use super::rules::check_award;
use super::types::{AwardIn, AwardOut};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::require_plan_editor;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_awards, record_award))
}

/// Record an award under the opportunity (the region's RPD staff, admins):
/// to a Convene organisation (`organisation_id`) or an outside body
/// (`recipient_name`), exactly one. The organisation's size band,
/// supply-chain standing and led-by-and-for categories are kept as they
/// stand now. The first award makes the opportunity `awarded` (and raises
/// its version). Not under a withdrawn opportunity (409).
#[utoipa::path(
    post,
    path = "/opportunities/{id}/awards",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    request_body = AwardIn,
    responses(
        (status = 201, description = "Award recorded", body = AwardOut,
         headers(("Location" = String, description = "URL of the opportunity's awards"))),
        (status = 401, description = "Not signed in", body = crate::http::problem::Problem),
        (status = 403, description = "Only the region's RPD staff and admins record awards", body = crate::http::problem::Problem),
        (status = 404, description = "No such opportunity", body = crate::http::problem::Problem),
        (status = 409, description = "The opportunity was withdrawn", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid field: not exactly one recipient, an amount outside 1 to 100000000000 pence (£1bn), dates out of order, no such organisation", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn record_award(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AwardIn>,
) -> ApiResult<Created<AwardOut>> {
    let read = load(&state.db, id).await?;
    require_plan_editor(&state.db, read.region_id, Some(&user)).await?;
    let mut v = Validator::default();
    check_award(
        &mut v,
        input.organisation_id,
        input.recipient_name.as_deref(),
        input.amount_pence,
        input.starts_on,
        input.ends_on,
    );
    v.finish()?;
    let forum = region_forum(&state.db, read.region_id).await?.map(|f| f.id);

    let txn = begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    if current.status == OpportunityState::Withdrawn {
        return Err(ApiError::Conflict(
            "this opportunity was withdrawn; nothing can be awarded under it".into(),
        ));
    }
    // The organisation as it stands, read in the transaction that copies it.
    let recipient = match input.organisation_id {
        Some(organisation_id) => Some(
            organisation::Entity::find_by_id(organisation_id)
                .one(&txn)
                .await?
                .ok_or_else(|| ApiError::invalid("organisation_id", "is not an organisation"))?,
        ),
        None => None,
    };
    let mut groups = match &recipient {
        Some(o) => organisation_led_by::Entity::find()
            .filter(organisation_led_by::Column::OrganisationId.eq(o.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|g| g.category)
            .collect(),
        None => Vec::new(),
    };
    groups.sort();
    let now = state.clock.now();
    let saved = award::ActiveModel {
        id: Set(Uuid::now_v7()),
        opportunity_id: Set(id),
        organisation_id: Set(recipient.as_ref().map(|o| o.id)),
        recipient_name: Set(input.recipient_name.map(|n| n.trim().to_string())),
        amount_pence: Set(input.amount_pence),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        size_band: Set(recipient.as_ref().map(|o| o.size_band)),
        in_supply_chain: Set(recipient.as_ref().map(|o| o.in_supply_chain)),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        status: Set(AwardStatus::Awarded),
        withdrawn_reason: Set(None),
        version: Set(1),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    keep_revision(&txn, &saved, None, Some(user.id()), now).await?;
    if !groups.is_empty() {
        award_group::Entity::insert_many(groups.iter().map(|category| award_group::ActiveModel {
            award_id: Set(saved.id),
            category: Set(*category),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    if current.status == OpportunityState::Published {
        let mut changes = current.clone().into_active_model();
        changes.status = Set(OpportunityState::Awarded);
        versioning::save::<opportunity::Entity>(&txn, &current, changes, &IfMatch::none(), now)
            .await?;
    }
    let out = AwardOut::new(saved, groups);
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "opportunity.awarded",
            EntityKind::Award,
            out.id,
        )
        .forum_of(forum)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok(Created::at(
        format!("/api/v1/opportunities/{id}/awards"),
        out,
    ))
}

/// The opportunity's awards, oldest first (public), withdrawn ones too
/// (marked so; they count in no report).
#[utoipa::path(
    get,
    path = "/opportunities/{id}/awards",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id"), PageQuery),
    responses(
        (status = 200, description = "A page of awards", body = Page<AwardOut>),
        (status = 404, description = "No such opportunity", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid limit or cursor", body = crate::http::problem::Problem),
    )
)]
async fn list_awards(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<AwardOut>>> {
    load(&state.db, id).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let rows = awards_of(&state.db, id, page.after, Some(page.fetch())).await?;
    Ok(Json(page.finish(rows, |a| a.id, |a| a)))
}
