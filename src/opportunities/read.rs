//! Reading opportunities: a region's, a page at a time or all of them, and
//! one with its awards. All public.

use entity::opportunity;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::queries::{awards_of, filtered, lists_of_one, named, outs, region_of};
use super::types::{OpportunityDetail, OpportunityOut, OpportunityQuery};
use crate::consultations::london_today;
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, people_of_region};
use crate::kernel::pagination::{self, Page, PageRequest};
use crate::kernel::state::AppState;
use crate::regions;

/// A page of the region's opportunities matching the query, newest first,
/// as the public reads them.
pub async fn list(
    state: &AppState,
    code: &str,
    query: OpportunityQuery,
) -> ApiResult<Page<OpportunityOut>> {
    list_as(state, None, code, query).await
}

/// A page of the region's opportunities matching the query, newest first;
/// `status` is where each stands today (London's day). Who published each
/// is named to those who take part in the region's forum.
pub async fn list_as(
    state: &AppState,
    caller: Option<&AuthUser>,
    code: &str,
    query: OpportunityQuery,
) -> ApiResult<Page<OpportunityOut>> {
    let region = regions::find_by_code(&state.db, code).await?;
    let people = people_of_region(&state.db, Expr::val(region.id), caller).await?;
    let today = london_today(state.clock.now());
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(region.id, &query, today);
    if let Some(after) = page.after {
        select = select.filter(opportunity::Column::Id.lt(after));
    }
    let rows = named(select.limit(page.fetch()), people)
        .all(&state.db)
        .await?;
    let rows = outs(&state.db, rows, &region.code, today).await?;
    Ok(page.finish(rows, |o| o.id, |o| o))
}

/// Every one of the region's opportunities matching the query, newest
/// first, read in batches; with the region's code as it is kept.
pub async fn all(
    state: &AppState,
    caller: Option<&AuthUser>,
    code: &str,
    query: OpportunityQuery,
) -> ApiResult<(String, Vec<OpportunityOut>)> {
    let region = regions::find_by_code(&state.db, code).await?;
    let people = people_of_region(&state.db, Expr::val(region.id), caller).await?;
    let today = london_today(state.clock.now());
    let (db, query, code) = (&state.db, &query, region.code.as_str());
    let rows = pagination::every_row(
        |last: Option<Uuid>| async move {
            let mut select = filtered(region.id, query, today);
            if let Some(last) = last {
                select = select.filter(opportunity::Column::Id.lt(last));
            }
            let batch = named(select.limit(pagination::BATCH), people)
                .all(db)
                .await?;
            Ok(outs(db, batch, code, today).await?)
        },
        |o: &OpportunityOut| o.id,
    )
    .await?;
    Ok((region.code, rows))
}

/// One opportunity, with its lists and its awards; who published it and
/// who made each award are named to those who take part in the region's
/// forum.
pub async fn get(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
) -> ApiResult<OpportunityDetail> {
    let people = people_of_region(&state.db, region_of(id), caller).await?;
    let Named {
        record: found,
        names,
    } = named(opportunity::Entity::find_by_id(id), people)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("opportunity"))?;
    let region = crate::forums::region_code(&state.db, found.region_id).await?;
    let lists = lists_of_one(&state.db, id).await?;
    let awards = awards_of(&state.db, id, None, None, people).await?;
    let today = london_today(state.clock.now());
    Ok(OpportunityDetail {
        opportunity: OpportunityOut::new(found, region, lists, today, names.one_name),
        awards,
    })
}
