//! A region's plans: publishing one (which supersedes the plan before),
//! reading them, and correcting a plan's details.

use entity::{PlanStatus, regional_plan};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::queries::{load_plan, region_code};
use super::types::{PlanIn, PlanOut, PlanPatch, check_plan};
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiResult, OrConflict};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::regions;

/// A region's plans, newest first (public; 404 for an unknown region code).
pub async fn list(state: &AppState, code: &str, query: PageQuery) -> ApiResult<Page<PlanOut>> {
    let region = regions::find_by_code(&state.db, code).await?;
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
    Ok(page.finish(rows, |p| p.id, |p| PlanOut::new(p, region.code.clone())))
}

/// Publishes a plan for the region (the region's RPD staff, admins). A new
/// plan is the region's current one unless `current` is `false`; the plan
/// it replaces is marked superseded, and its commitments stay readable and
/// linked. Of two current plans published for a region at the same moment,
/// one is published and the other is refused (409).
pub async fn publish(
    state: &AppState,
    caller: &AuthUser,
    code: &str,
    input: PlanIn,
) -> ApiResult<PlanOut> {
    let region = regions::find_by_code(&state.db, code).await?;
    require_plan_editor(&state.db, region.id, Some(caller)).await?;
    let mut v = Validator::default();
    check_plan(
        &mut v,
        Some(&input.title),
        Some(&input.period),
        input.source_url.as_deref(),
    );
    v.finish()?;
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
    AuditEvent::by(caller.id(), "plan.published", EntityKind::Plan, out.id)
        .changes(audit::snapshot(&out)?)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// One plan (public).
pub async fn get(state: &AppState, id: Uuid) -> ApiResult<PlanOut> {
    let plan = load_plan(&state.db, id).await?;
    let code = region_code(&state.db, plan.region_id).await?;
    Ok(PlanOut::new(plan, code))
}

/// Corrects a plan's details (the region's RPD staff, admins). A patch that
/// changes nothing writes nothing.
pub async fn correct(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: PlanPatch,
) -> ApiResult<PlanOut> {
    let plan = load_plan(&state.db, id).await?;
    let code = region_code(&state.db, plan.region_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(caller)).await?;
    let mut v = Validator::default();
    check_plan(
        &mut v,
        patch.title.as_deref(),
        patch.period.as_deref(),
        patch.source_url.clone().flatten().as_deref(),
    );
    v.finish()?;
    let mut changes = plan.clone().into_active_model();
    patch.apply(&mut changes);
    if !changes.is_changed() {
        return Ok(PlanOut::new(plan, code));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let before = audit::snapshot(&PlanOut::new(plan, code.clone()))?;
    let txn = begin_write(&state.db).await?;
    // Only the columns given are written, so concurrent corrections of
    // different fields both stand; the plan's status is never written here.
    let out = PlanOut::new(changes.update(&txn).await?, code);
    AuditEvent::by(caller.id(), "plan.updated", EntityKind::Plan, id)
        .changes(audit::diff(&before, &audit::snapshot(&out)?))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
