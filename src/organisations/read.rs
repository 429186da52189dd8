//! Reading organisations: the directory and one organisation's profile.

use entity::organisation;
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::queries;
use super::types::{OrganisationOut, OrganisationQuery};
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest, after_key};
use crate::kernel::state::AppState;
use crate::regions;

/// The directory, by name, optionally only the organisations serving a
/// region (an unknown region code is 422). Anyone signed in reads it.
pub async fn list(
    state: &AppState,
    _caller: &AuthUser,
    query: OrganisationQuery,
) -> ApiResult<Page<OrganisationOut>> {
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
    Ok(page.finish(rows, |o| (o.name.clone(), o.id), |o| o))
}

/// One organisation's profile (anyone signed in).
pub async fn get(state: &AppState, _caller: &AuthUser, id: Uuid) -> ApiResult<OrganisationOut> {
    queries::find(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))
}
