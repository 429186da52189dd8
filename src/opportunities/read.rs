//! Reading opportunities: a region's, a page at a time or all of them, and
//! one with its awards. All public.

use entity::opportunity;
use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::queries::{awards_of, filtered, lists_of_one, load, outs};
use super::types::{OpportunityDetail, OpportunityOut, OpportunityQuery};
use crate::consultations::london_today;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{self, Page, PageRequest};
use crate::kernel::state::AppState;
use crate::regions;

/// A page of the region's opportunities matching the query, newest first;
/// `status` is where each stands today (London's day).
pub async fn list(
    state: &AppState,
    code: &str,
    query: OpportunityQuery,
) -> ApiResult<Page<OpportunityOut>> {
    let region = regions::find_by_code(&state.db, code).await?;
    let today = london_today(state.clock.now());
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(region.id, &query, today);
    if let Some(after) = page.after {
        select = select.filter(opportunity::Column::Id.lt(after));
    }
    let rows = select.limit(page.fetch()).all(&state.db).await?;
    let rows = outs(&state.db, rows, &region.code, today).await?;
    Ok(page.finish(rows, |o| o.id, |o| o))
}

/// Every one of the region's opportunities matching the query, newest
/// first, read in batches; with the region's code as it is kept.
pub async fn all(
    state: &AppState,
    code: &str,
    query: OpportunityQuery,
) -> ApiResult<(String, Vec<OpportunityOut>)> {
    let region = regions::find_by_code(&state.db, code).await?;
    let today = london_today(state.clock.now());
    let (db, query, code) = (&state.db, &query, region.code.as_str());
    let rows = pagination::every_row(
        |last: Option<Uuid>| async move {
            let mut select = filtered(region.id, query, today);
            if let Some(last) = last {
                select = select.filter(opportunity::Column::Id.lt(last));
            }
            let batch = select.limit(pagination::BATCH).all(db).await?;
            Ok(outs(db, batch, code, today).await?)
        },
        |o: &OpportunityOut| o.id,
    )
    .await?;
    Ok((region.code, rows))
}

/// One opportunity, with its lists and its awards.
pub async fn get(state: &AppState, id: Uuid) -> ApiResult<OpportunityDetail> {
    let found = load(&state.db, id).await?;
    let region = crate::forums::region_code(&state.db, found.region_id).await?;
    let lists = lists_of_one(&state.db, id).await?;
    let awards = awards_of(&state.db, id, None, None).await?;
    let today = london_today(state.clock.now());
    Ok(OpportunityDetail {
        opportunity: OpportunityOut::new(found, region, lists, today),
        awards,
    })
}
