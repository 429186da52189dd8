//! A region's funding opportunities as its page lists them: the list's own
//! filters, newest first, a page at a time, in one statement (the API's
//! list also reads each one's themes, groups and commitments).

use chrono::NaiveDate;
use entity::opportunity;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::opportunities::{OpportunityQuery, OpportunityStatus, filtered};

/// An opportunity and where it stands today.
pub type OpportunityLine = (opportunity::Model, OpportunityStatus);

/// A page of the region's opportunities matching `query`, as of `today`
/// (London's day).
pub async fn region_opportunities(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    query: &OpportunityQuery,
    today: NaiveDate,
) -> ApiResult<Page<OpportunityLine>> {
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(region_id, query, today);
    if let Some(after) = page.after {
        select = select.filter(opportunity::Column::Id.lt(after));
    }
    let rows = select.limit(page.fetch()).all(conn).await?;
    Ok(page.finish(
        rows,
        |o| o.id,
        |o| {
            let status = OpportunityStatus::of(&o, today);
            (o, status)
        },
    ))
}
