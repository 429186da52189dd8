//! What the plans' operations share: loading a plan or a commitment, the
//! region's code, a commitment's status kept in its history, and the order
//! of a plan's commitments.

use chrono::{DateTime, Utc};
use entity::{CommitmentStatus, commitment, commitment_status_change, region, regional_plan};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
    Set,
};
use uuid::Uuid;

use super::types::CommitmentQuery;
use crate::kernel::error::{ApiError, ApiResult};

pub async fn load_plan(conn: &impl ConnectionTrait, id: Uuid) -> ApiResult<regional_plan::Model> {
    regional_plan::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("plan"))
}

pub async fn load_commitment(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> ApiResult<commitment::Model> {
    commitment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("commitment"))
}

/// The code of the region a plan is for, as its plans show it.
pub async fn region_code(conn: &impl ConnectionTrait, region_id: Uuid) -> ApiResult<String> {
    Ok(region::Entity::find_by_id(region_id)
        .one(conn)
        .await?
        .map(|r| r.code)
        .unwrap_or_default())
}

/// Keeps a status a commitment took, with the note given for it.
pub async fn record_status(
    conn: &impl ConnectionTrait,
    commitment_id: Uuid,
    from: Option<CommitmentStatus>,
    to: CommitmentStatus,
    note: String,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    commitment_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        commitment_id: Set(commitment_id),
        from_status: Set(from),
        to_status: Set(to),
        note: Set(note),
        changed_by: Set(by),
        changed_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The 409 of a reference the plan has already.
pub fn reference_taken(reference: &str) -> String {
    format!("this plan already has a commitment {reference}")
}

/// The plan's commitments matching the list filters (shared by pages and CSV).
pub fn filtered(plan_id: Uuid, query: &CommitmentQuery) -> Select<commitment::Entity> {
    let mut select = commitment::Entity::find().filter(commitment::Column::PlanId.eq(plan_id));
    if let Some(theme) = query.theme {
        select = select.filter(commitment::Column::Theme.eq(theme));
    }
    if let Some(firmness) = query.firmness {
        select = select.filter(commitment::Column::Firmness.eq(firmness));
    }
    if let Some(status) = query.status {
        select = select.filter(commitment::Column::Status.eq(status));
    }
    select
}

/// Keyset condition and order of a plan's commitments: by reference, which
/// is unique within a plan and so orders them alone, as the plan's indexes
/// hold them (an `id` tie-breaker would make PostgreSQL sort what the index
/// already gives in order). Cursors keep the id for their shape's sake.
pub fn after(reference: String) -> sea_orm::sea_query::Expr {
    commitment::Column::Reference.gt(reference)
}

pub fn by_reference(select: Select<commitment::Entity>) -> Select<commitment::Entity> {
    select.order_by_asc(commitment::Column::Reference)
}
