//! Registering an organisation and editing its profile.

use std::collections::BTreeSet;

use axum::extract::State;
use entity::{organisation, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries;
use super::types::{OrganisationIn, OrganisationOut, OrganisationPatch, clean};
use crate::http::extract::{Json, Path};
use crate::http::responses::Created;
use crate::kernel::access;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_organisation))
        .routes(routes!(patch_organisation))
}

/// Register an organisation.
///
/// A signed-in user who belongs to no organisation creates one and is linked
/// to it. Admins may create organisations on others' behalf (without being
/// linked). A charity number belongs to one organisation: a second is 409,
/// also when both are registered at the same moment.
#[utoipa::path(
    post,
    path = "/organisations",
    tag = "organisations",
    request_body = OrganisationIn,
    responses(
        (status = 201, description = "Organisation created", body = OrganisationOut,
         headers(("Location" = String, description = "URL of the new organisation"))),
        (status = 409, description = "You already belong to an organisation, or the charity number is taken", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<OrganisationIn>,
) -> ApiResult<Created<OrganisationOut>> {
    input.validate()?;
    let links_creator = !user.user.is_admin;
    if links_creator && user.user.organisation_id.is_some() {
        return Err(already_linked());
    }
    let region_ids = queries::region_ids(&state.db, &input.regions_served).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
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
    .await
    .or_conflict(charity_number_taken)?;
    queries::replace_children(
        &txn,
        org.id,
        Some(&input.led_by_and_for),
        Some(&input.themes),
        Some(&region_ids),
    )
    .await?;
    if links_creator {
        // Linked only if still unlinked: of two organisations registered at
        // the same moment by one person, the second is refused and undone.
        let linked = user::Entity::update_many()
            .col_expr(user::Column::OrganisationId, Expr::value(org.id))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::Id.eq(user.id()))
            .filter(user::Column::OrganisationId.is_null())
            .exec(&txn)
            .await?;
        if linked.rows_affected == 0 {
            return Err(already_linked());
        }
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
            EntityKind::Organisation,
            out.id,
        )
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok(Created::at(
        format!("/api/v1/organisations/{}", out.id),
        out,
    ))
}

fn already_linked() -> ApiError {
    ApiError::Conflict("you already belong to an organisation; edit that one instead".into())
}

fn charity_number_taken() -> String {
    "an organisation with this charity number is already registered".into()
}

/// Edit an organisation: its own people and admins.
///
/// Lists (`led_by_and_for`, `themes`, `regions_served`) given are replaced
/// whole (`[]` empties one). `charity_number` and `website` may be `null` to
/// clear them; the other fields cannot be cleared. A PATCH that changes
/// nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    request_body = OrganisationPatch,
    responses(
        (status = 200, description = "The updated organisation", body = OrganisationOut),
        (status = 403, description = "Not your organisation", body = crate::http::problem::Problem),
        (status = 404, description = "No such organisation", body = crate::http::problem::Problem),
        (status = 409, description = "Another organisation has this charity number", body = crate::http::problem::Problem),
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
    let Some(org) = organisation::Entity::find_by_id(id).one(&state.db).await? else {
        return Err(ApiError::not_found("organisation"));
    };
    access::require_organisation_editor(&user, id)?;
    let before = queries::find(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    let region_ids = match &patch.regions_served {
        Some(codes) => Some(queries::region_ids(&state.db, codes).await?),
        None => None,
    };
    let mut changes = org.into_active_model();
    if let Some(name) = patch.name {
        changes.name.set_ne(name.trim().to_string());
    }
    if let Some(charity_number) = patch.charity_number {
        changes.charity_number.set_ne(clean(charity_number));
    }
    if let Some(website) = patch.website {
        changes.website.set_ne(clean(website));
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description.trim().to_string());
    }
    if let Some(size_band) = patch.size_band {
        changes.size_band.set_ne(size_band);
    }
    if let Some(in_supply_chain) = patch.in_supply_chain {
        changes.in_supply_chain.set_ne(in_supply_chain);
    }
    // Lists are rewritten only when they differ from what is stored.
    let led_by_and_for = patch
        .led_by_and_for
        .filter(|given| !same_set(given, &before.led_by_and_for));
    let themes = patch
        .themes
        .filter(|given| !same_set(given, &before.themes));
    let region_codes = patch
        .regions_served
        .as_ref()
        .is_some_and(|given| !same_set(given, &before.regions_served));
    let region_ids = region_ids.filter(|_| region_codes);
    if !changes.is_changed() && led_by_and_for.is_none() && themes.is_none() && region_ids.is_none()
    {
        return Ok(Json(before));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    changes
        .update(&txn)
        .await
        .or_conflict(charity_number_taken)?;
    queries::replace_children(
        &txn,
        id,
        led_by_and_for.as_deref(),
        themes.as_deref(),
        region_ids.as_deref(),
    )
    .await?;
    let out = queries::find(&txn, id)
        .await?
        .ok_or_else(|| ApiError::internal("organisation vanished inside its own transaction"))?;
    let changes = audit::diff(&audit::snapshot(&before)?, &audit::snapshot(&out)?);
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "organisation.updated",
            EntityKind::Organisation,
            id,
        )
        .changes(changes),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}

/// Whether a list given holds exactly the values stored (order and repeats aside).
fn same_set<T: Ord + Clone>(given: &[T], stored: &[T]) -> bool {
    let given: BTreeSet<T> = given.iter().cloned().collect();
    let stored: BTreeSet<T> = stored.iter().cloned().collect();
    given == stored
}
