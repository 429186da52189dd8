use axum::extract::State;
use entity::{PlanStatus, regional_plan};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::types::{PlanIn, PlanOut, PlanPatch, check_plan};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::require_plan_editor;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::regions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan, patch_plan))
}

/// A region's plans, newest first (public).
#[utoipa::path(
    get,
    path = "/regions/{code}/plans",
    tag = "plans",
    params(("code" = String, Path, description = "Region code"), PageQuery),
    responses(
        (status = 200, description = "A page of plans", body = Page<PlanOut>),
        (status = 404, description = "No such region", body = crate::http::problem::Problem),
    )
)]
async fn list_plans(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PlanOut>>> {
    let region = regions::find_by_code(&state.db, &code).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select =
        regional_plan::Entity::find().filter(regional_plan::Column::RegionId.eq(region.id));
    if let Some(after) = page.after {
        select = select.filter(regional_plan::Column::Id.lt(after));
    }
    let rows = select
        .order_by_desc(regional_plan::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(
        rows,
        |p| p.id,
        |p| PlanOut::new(p, region.code.clone()),
    )))
}

/// Publish a plan for the region (the region's RPD staff, admins).
///
/// A new plan is the region's current one unless `current` is `false`; the
/// plan it replaces is marked superseded, and its commitments stay readable
/// and linked. Of two current plans published for a region at the same
/// moment, one is published and the other is refused (409): publish it again
/// to supersede the winner.
#[utoipa::path(
    post,
    path = "/regions/{code}/plans",
    tag = "plans",
    params(("code" = String, Path, description = "Region code")),
    request_body = PlanIn,
    responses(
        (status = 201, description = "Plan published", body = PlanOut,
         headers(("Location" = String, description = "URL of the new plan"))),
        (status = 404, description = "No such region", body = crate::http::problem::Problem),
        (status = 409, description = "Another current plan was published for the region at the same moment", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Path(code): Path<String>,
    Json(input): Json<PlanIn>,
) -> ApiResult<Created<PlanOut>> {
    let region = regions::find_by_code(&state.db, &code).await?;
    require_plan_editor(&state.db, region.id, Some(&user)).await?;
    let mut v = Validator::default();
    check_plan(
        &mut v,
        Some(&input.title),
        Some(&input.period),
        input.source_url.as_deref(),
    );
    v.finish()?;
    let actor = Some(user.id());
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let current = input.current.unwrap_or(true);
    // The partial unique index (one current plan per region) decides between
    // concurrent publishers: on PostgreSQL the second one's update waits for
    // the first, no longer finds a current plan to supersede (the first one's
    // is not in its snapshot) and its insert meets the index.
    if current {
        regional_plan::Entity::update_many()
            .col_expr(
                regional_plan::Column::Status,
                Expr::value(PlanStatus::Superseded.as_str()),
            )
            .col_expr(regional_plan::Column::UpdatedAt, Expr::value(now))
            .filter(regional_plan::Column::RegionId.eq(region.id))
            .filter(regional_plan::Column::Status.eq(PlanStatus::Current))
            .exec(&txn)
            .await?;
    }
    let plan = regional_plan::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_id: Set(region.id),
        title: Set(input.title.trim().to_string()),
        period: Set(input.period.trim().to_string()),
        published_on: Set(input.published_on),
        source_url: Set(input.source_url),
        status: Set(if current {
            PlanStatus::Current
        } else {
            PlanStatus::Superseded
        }),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        format!(
            "another current plan for {} was published at the same moment; read the region's \
             plans and publish again to supersede it",
            region.name
        )
    })?;
    let out = PlanOut::new(plan, region.code);
    audit::record(
        &txn,
        now,
        AuditEvent::new(actor, "plan.published", EntityKind::Plan, out.id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok(Created::at(format!("/api/v1/plans/{}", out.id), out))
}

async fn load_plan(state: &AppState, id: Uuid) -> ApiResult<(regional_plan::Model, String)> {
    let plan = regional_plan::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("plan"))?;
    let code = crate::forums::region_code(&state.db, plan.region_id).await?;
    Ok((plan, code))
}

/// One plan (public).
#[utoipa::path(
    get,
    path = "/plans/{id}",
    tag = "plans",
    params(("id" = Uuid, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan", body = PlanOut),
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
    )
)]
async fn get_plan(State(state): State<AppState>, Path(id): Path<Uuid>) -> ApiResult<Json<PlanOut>> {
    let (plan, code) = load_plan(&state, id).await?;
    Ok(Json(PlanOut::new(plan, code)))
}

/// Correct a plan's details (the region's RPD staff, admins). A PATCH that
/// changes nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/plans/{id}",
    tag = "plans",
    params(("id" = Uuid, Path, description = "Plan id")),
    request_body = PlanPatch,
    responses(
        (status = 200, description = "The plan as it now is", body = PlanOut),
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_plan(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<PlanPatch>,
) -> ApiResult<Json<PlanOut>> {
    let (plan, code) = load_plan(&state, id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(&user)).await?;
    let mut v = Validator::default();
    check_plan(
        &mut v,
        patch.title.as_deref(),
        patch.period.as_deref(),
        patch.source_url.clone().flatten().as_deref(),
    );
    v.finish()?;
    let mut changes = plan.clone().into_active_model();
    if let Some(title) = patch.title {
        changes.title.set_ne(title.trim().to_string());
    }
    if let Some(period) = patch.period {
        changes.period.set_ne(period.trim().to_string());
    }
    if let Some(published_on) = patch.published_on {
        changes.published_on.set_ne(published_on);
    }
    if let Some(source_url) = patch.source_url {
        changes
            .source_url
            .set_ne(source_url.map(|u| u.trim().to_string()));
    }
    if !changes.is_changed() {
        return Ok(Json(PlanOut::new(plan, code)));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let before = audit::snapshot(&PlanOut::new(plan, code.clone()))?;
    let txn = begin_write(&state.db).await?;
    // Only the columns given are written, so concurrent corrections of
    // different fields both stand; the plan's status is never written here.
    let out = PlanOut::new(changes.update(&txn).await?, code);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "plan.updated", EntityKind::Plan, id)
            .changes(audit::diff(&before, &audit::snapshot(&out)?)),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}
