//! Publishing an opportunity, listing a region's and reading one.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use entity::{OpportunityState, opportunity};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QuerySelect, Set};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    awards_of, filtered, lists_of_one, load, not_of_current_plan, outs, region_forum, write_lists,
};
use super::rules::{
    check_commissioner, check_dates, check_texts, check_value, distinct, localities,
};
use super::types::{
    Lists, OpportunityCsv, OpportunityDetail, OpportunityIn, OpportunityOut, OpportunityQuery,
};
use crate::consultations::london_today;
use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::require_plan_editor;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::regions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_opportunities, create_opportunity))
        .routes(routes!(get_opportunity))
}

/// A region's funding opportunities, newest first (public).
///
/// `status` is where each stands today (London's day): `upcoming`, `open`,
/// `closed`, `awarded` or `withdrawn`. With `Accept: text/csv` the answer is
/// every matching opportunity as CSV, newest first.
#[utoipa::path(
    get,
    path = "/regions/{code}/opportunities",
    tag = "opportunities",
    params(("code" = String, Path, description = "Region code"), OpportunityQuery),
    responses(
        (status = 200, description = "A page of opportunities, or all of them as CSV",
         content((Page<OpportunityOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such region", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid filter, limit or cursor", body = crate::http::problem::Problem),
    )
)]
async fn list_opportunities(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(query): Query<OpportunityQuery>,
) -> ApiResult<Response> {
    let region = regions::find_by_code(&state.db, &code).await?;
    let today = london_today(state.clock.now());
    if csv_export::wanted(&headers) {
        let (db, query, code) = (&state.db, &query, region.code.as_str());
        let rows = crate::kernel::pagination::every_row(
            |last: Option<Uuid>| async move {
                let mut select = filtered(region.id, query, today);
                if let Some(last) = last {
                    select = select.filter(opportunity::Column::Id.lt(last));
                }
                let batch = select
                    .limit(crate::kernel::pagination::BATCH)
                    .all(db)
                    .await?;
                Ok(outs(db, batch, code, today).await?)
            },
            |o: &OpportunityOut| o.id,
        )
        .await?;
        return csv_export::respond(
            &format!("opportunities-{}.csv", region.code),
            rows.into_iter().map(OpportunityCsv::from),
        );
    }
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(region.id, &query, today);
    if let Some(after) = page.after {
        select = select.filter(opportunity::Column::Id.lt(after));
    }
    let rows = select.limit(page.fetch()).all(&state.db).await?;
    let rows = outs(&state.db, rows, &region.code, today).await?;
    Ok(Json(page.finish(rows, |o| o.id, |o| o)).into_response())
}

/// Publish a funding opportunity for the region (the region's RPD staff,
/// admins).
///
/// A value band, an amount in pence, or both (the amount within the band);
/// `closes_on` on or after `opens_on`; `commissioner_name` when the
/// commissioner is `other`; linked commitments of the region's current plan.
#[utoipa::path(
    post,
    path = "/regions/{code}/opportunities",
    tag = "opportunities",
    params(("code" = String, Path, description = "Region code")),
    request_body = OpportunityIn,
    responses(
        (status = 201, description = "Opportunity published", body = OpportunityOut,
         headers(
             ("Location" = String, description = "URL of the new opportunity"),
             ("ETag" = String, description = "The opportunity's first version"),
         )),
        (status = 401, description = "Not signed in", body = crate::http::problem::Problem),
        (status = 403, description = "Only the region's RPD staff and admins publish opportunities", body = crate::http::problem::Problem),
        (status = 404, description = "No such region", body = crate::http::problem::Problem),
        (status = 422, description = "An invalid field: dates out of order, no value, an amount outside its band, an unnamed other commissioner, a commitment not of the region's current plan", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_opportunity(
    State(state): State<AppState>,
    user: AuthUser,
    Path(code): Path<String>,
    Json(input): Json<OpportunityIn>,
) -> ApiResult<Created<OpportunityOut>> {
    let region = regions::find_by_code(&state.db, &code).await?;
    require_plan_editor(&state.db, region.id, Some(&user)).await?;
    let mut v = Validator::default();
    check_texts(
        &mut v,
        Some(&input.title),
        Some(&input.description),
        input.commissioner_name.as_deref(),
    );
    check_commissioner(
        &mut v,
        input.commissioner,
        input.commissioner_name.as_deref(),
    );
    check_value(&mut v, input.value_band, input.amount_pence);
    check_dates(&mut v, input.opens_on, input.closes_on);
    let places = localities(&mut v, &input.localities);
    let lists = Lists {
        themes: distinct(&input.themes),
        led_by_and_for: distinct(&input.led_by_and_for),
        commitment_ids: distinct(&input.commitment_ids),
    };
    check_commitments(&state, &mut v, region.id, &lists.commitment_ids).await?;
    v.finish()?;

    let now = state.clock.now();
    let forum = region_forum(&state.db, region.id).await?.map(|f| f.id);
    let txn = begin_write(&state.db).await?;
    let saved = opportunity::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_id: Set(region.id),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        mechanism: Set(input.mechanism),
        commissioner: Set(input.commissioner),
        commissioner_name: Set(input.commissioner_name.map(|n| n.trim().to_string())),
        value_band: Set(input.value_band),
        amount_pence: Set(input.amount_pence),
        opens_on: Set(input.opens_on),
        closes_on: Set(input.closes_on),
        localities: Set(serde_json::json!(places)),
        status: Set(OpportunityState::Published),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    write_lists(&txn, saved.id, &lists).await?;
    let mut sorted = lists;
    sorted.themes.sort();
    sorted.led_by_and_for.sort();
    sorted.commitment_ids.sort();
    let out = OpportunityOut::new(saved, region.code, sorted, london_today(now));
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "opportunity.published",
            EntityKind::Opportunity,
            out.id,
        )
        .forum_of(forum)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/opportunities/{}", out.id), out).tagged(version))
}

/// 422 on `commitment_ids` naming those not of the region's current plan.
pub(super) async fn check_commitments(
    state: &AppState,
    v: &mut Validator,
    region_id: Uuid,
    ids: &[Uuid],
) -> ApiResult<()> {
    let strays = not_of_current_plan(&state.db, region_id, ids).await?;
    let named: Vec<String> = strays.iter().map(Uuid::to_string).collect();
    v.check(
        strays.is_empty(),
        "commitment_ids",
        &format!(
            "not commitments of the region's current plan: {}",
            named.join(", ")
        ),
    );
    Ok(())
}

/// One opportunity, with its lists and its awards (public).
#[utoipa::path(
    get,
    path = "/opportunities/{id}",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    responses(
        (status = 200, description = "The opportunity", body = OpportunityDetail,
         headers(("ETag" = String, description = "The opportunity's version"))),
        (status = 404, description = "No such opportunity", body = crate::http::problem::Problem),
    )
)]
async fn get_opportunity(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<OpportunityDetail>> {
    let found = load(&state.db, id).await?;
    let region = crate::forums::region_code(&state.db, found.region_id).await?;
    let lists = lists_of_one(&state.db, id).await?;
    let awards = awards_of(&state.db, id, None, None).await?;
    let today = london_today(state.clock.now());
    let version = found.version;
    Ok(Tagged::new(
        version,
        OpportunityDetail {
            opportunity: OpportunityOut::new(found, region, lists, today),
            awards,
        },
    ))
}
