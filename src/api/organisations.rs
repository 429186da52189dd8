//! The JSON face of organisations: each handler calls an operation of
//! `crate::organisations` and responds.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::organisations::{
    self, OrganisationIn, OrganisationOut, OrganisationPatch, OrganisationQuery,
};

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
    user: AuthUser,
    Query(query): Query<OrganisationQuery>,
) -> ApiResult<Json<Page<OrganisationOut>>> {
    Ok(Json(organisations::list(&state, &user, query).await?))
}

/// One organisation.
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationOut),
        (status = 404, description = "No such organisation"),
    ),
    security(("bearer" = []))
)]
async fn get_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<OrganisationOut>> {
    Ok(Json(organisations::get(&state, &user, id).await?))
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
        (status = 409, description = "You already belong to an organisation, or the charity number is taken"),
    ),
    security(("bearer" = []))
)]
async fn create_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<OrganisationIn>,
) -> ApiResult<Created<OrganisationOut>> {
    let out = organisations::create(&state, &user, input).await?;
    Ok(Created::at(
        api_path(format_args!("organisations/{}", out.id)),
        out,
    ))
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
        (status = 403, description = "Not your organisation"),
        (status = 404, description = "No such organisation"),
        (status = 409, description = "Another organisation has this charity number"),
    ),
    security(("bearer" = []))
)]
async fn patch_organisation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<OrganisationPatch>,
) -> ApiResult<Json<OrganisationOut>> {
    Ok(Json(organisations::change(&state, &user, id, patch).await?))
}
