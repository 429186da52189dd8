use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use entity::{organisation, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries;
use super::types::{OrganisationIn, OrganisationOut, OrganisationPatch, OrganisationQuery, clean};
use crate::access;
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::pagination::{Page, PageRequest, after_key};
use crate::regions;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(get_organisation, patch_organisation))
}

/// Organisations, by name.
///
/// For signed-in users: the directory that forum secretaries and members use
/// to find one another.
#[utoipa::path(
    get,
    path = "/organisations",
    tag = "organisations",
    params(OrganisationQuery),
    responses((status = 200, description = "A page of organisations, by name", body = Page<OrganisationOut>)),
    security(("bearer" = []))
)]
async fn list_organisations(
    State(state): State<AppState>,
    _user: AuthUser,
    Query(query): Query<OrganisationQuery>,
) -> ApiResult<Json<Page<OrganisationOut>>> {
    let page = PageRequest::<(String, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = organisation::Entity::find();
    if let Some(code) = &query.region {
        let region = regions::find_by_code(&state.db, code).await?;
        select = select.filter(queries::serving_region(region.id));
    }
    if let Some((name, id)) = page.after.clone() {
        select = select.filter(after_key(
            [
                Expr::col((organisation::Entity, organisation::Column::Name)),
                Expr::col((organisation::Entity, organisation::Column::Id)),
            ],
            [name.into(), id.into()],
        ));
    }
    let rows = select
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let rows = queries::with_children(&state.db, rows).await?;
    Ok(Json(page.finish(rows, |o| (o.name.clone(), o.id), |o| o)))
}

/// Register an organisation.
///
/// A signed-in user who belongs to no organisation creates one and is linked
/// to it. Admins may create organisations on others' behalf (without being linked).
#[utoipa::path(
    post,
    path = "/organisations",
    tag = "organisations",
    request_body = OrganisationIn,
    responses(
        (status = 201, description = "Organisation created", body = OrganisationOut),
        (status = 409, description = "You already belong to an organisation, or the charity number is taken", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<OrganisationIn>,
) -> ApiResult<impl IntoResponse> {
    input.validate()?;
    if user.user.organisation_id.is_some() && !user.user.is_admin {
        return Err(ApiError::Conflict(
            "you already belong to an organisation; edit that one instead".into(),
        ));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let region_ids = queries::region_ids(&txn, &input.regions_served).await?;
    let org = organisation::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(input.name.trim().to_string()),
        charity_number: Set(clean(input.charity_number)),
        website: Set(clean(input.website)),
        description: Set(input.description.trim().to_string()),
        size_band: Set(input.size_band),
        in_supply_chain: Set(input.in_supply_chain),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    queries::replace_children(
        &txn,
        org.id,
        Some(&input.led_by_and_for),
        Some(&input.themes),
        Some(&region_ids),
    )
    .await?;
    if !user.user.is_admin {
        user::Entity::update_many()
            .col_expr(user::Column::OrganisationId, Expr::value(org.id))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::Id.eq(user.id()))
            .exec(&txn)
            .await?;
    }
    let out = queries::find(&txn, org.id)
        .await?
        .ok_or_else(|| ApiError::internal("organisation vanished inside its own transaction"))?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "organisation.created",
            "organisation",
            out.id,
        )
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let location = format!("/api/v1/organisations/{}", out.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(out),
    ))
}

/// One organisation.
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationOut),
        (status = 404, description = "No such organisation", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_organisation(
    State(state): State<AppState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<OrganisationOut>> {
    queries::find(&state.db, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("organisation"))
}

/// Edit an organisation: its own people and admins.
///
/// Lists (`led_by_and_for`, `themes`, `regions_served`) given are replaced whole.
#[utoipa::path(
    patch,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = OrganisationPatch,
    responses(
        (status = 200, description = "The updated organisation", body = OrganisationOut),
        (status = 403, description = "Not your organisation", body = crate::error::Problem),
        (status = 404, description = "No such organisation", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<OrganisationPatch>,
) -> ApiResult<Json<OrganisationOut>> {
    patch.validate()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let Some(org) = organisation::Entity::find_by_id(id).one(&txn).await? else {
        return Err(ApiError::not_found("organisation"));
    };
    access::require_organisation_editor(&user, id)?;
    let before = queries::find(&txn, id)
        .await?
        .map(|o| audit::snapshot(&o))
        .transpose()?;
    let region_ids = match &patch.regions_served {
        Some(codes) => Some(queries::region_ids(&txn, codes).await?),
        None => None,
    };
    let mut active = org.into_active_model();
    if let Some(name) = patch.name {
        active.name = Set(name.trim().to_string());
    }
    if let Some(charity_number) = patch.charity_number {
        active.charity_number = Set(clean(charity_number));
    }
    if let Some(website) = patch.website {
        active.website = Set(clean(website));
    }
    if let Some(description) = patch.description {
        active.description = Set(description.trim().to_string());
    }
    if let Some(size_band) = patch.size_band {
        active.size_band = Set(size_band);
    }
    if let Some(in_supply_chain) = patch.in_supply_chain {
        active.in_supply_chain = Set(in_supply_chain);
    }
    active.updated_at = Set(now);
    active.update(&txn).await?;
    queries::replace_children(
        &txn,
        id,
        patch.led_by_and_for.as_deref(),
        patch.themes.as_deref(),
        region_ids.as_deref(),
    )
    .await?;
    let out = queries::find(&txn, id)
        .await?
        .ok_or_else(|| ApiError::internal("organisation vanished inside its own transaction"))?;
    let changes = audit::diff(&before.unwrap_or_default(), &audit::snapshot(&out)?);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "organisation.updated", "organisation", id)
            .changes(changes),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}
