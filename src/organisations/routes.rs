//! Reading organisations: the directory and one organisation's profile.

use axum::extract::State;
use entity::organisation;
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries;
use super::types::{OrganisationOut, OrganisationQuery};
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest, after_key};
use crate::kernel::state::AppState;
use crate::regions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations))
        .routes(routes!(get_organisation))
        .merge(super::changes::router())
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
        // A filter naming no region is a bad parameter, not a missing page.
        let region = regions::find_by_code(&state.db, code)
            .await
            .map_err(|err| match err {
                ApiError::NotFound(_) => {
                    ApiError::invalid("region", format!("`{code}` is not a region code"))
                }
                other => other,
            })?;
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

/// One organisation.
#[utoipa::path(
    get,
    path = "/organisations/{id}",
    tag = "organisations",
    params(("id" = Uuid, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationOut),
        (status = 404, description = "No such organisation", body = crate::http::problem::Problem),
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
