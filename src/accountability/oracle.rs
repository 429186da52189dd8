//! The report's figures aggregated from every action and issue behind them:
//! what the report read before it had counters, kept as the oracle that
//! `convene rebuild-report` and the tests hold the counters to. Its cost grows
//! with history; the report itself reads `counters`.

pub use crate::issues::{open_issues_per_commitment, responsiveness};

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    ActionStatus, Firmness, PlanStatus, Theme, action_commitment, action_item, commitment,
    regional_plan,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationDef,
};
use uuid::Uuid;

use super::types::ActionCounts;

fn link_to_action() -> RelationDef {
    action_commitment::Entity::belongs_to(action_item::Entity)
        .from(action_commitment::Column::ActionId)
        .to(action_item::Column::Id)
        .into()
}

fn link_to_commitment() -> RelationDef {
    action_commitment::Entity::belongs_to(commitment::Entity)
        .from(action_commitment::Column::CommitmentId)
        .to(commitment::Column::Id)
        .into()
}

fn commitment_to_plan() -> RelationDef {
    commitment::Entity::belongs_to(regional_plan::Entity)
        .from(commitment::Column::PlanId)
        .to(regional_plan::Column::Id)
        .into()
}

fn commitments_of(plan_id: Uuid) -> SelectStatement {
    Query::select()
        .column(commitment::Column::Id)
        .from(commitment::Entity)
        .and_where(commitment::Column::PlanId.eq(plan_id))
        .to_owned()
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Linked actions per commitment of a plan, by status and overdue: two grouped queries.
pub async fn action_counts(
    conn: &impl ConnectionTrait,
    plan_id: Uuid,
    today: NaiveDate,
) -> Result<HashMap<Uuid, ActionCounts>, DbErr> {
    let by_status: Vec<(Uuid, ActionStatus, i64)> = action_commitment::Entity::find()
        .select_only()
        .column(action_commitment::Column::CommitmentId)
        .column(action_item::Column::Status)
        .column_as(
            Expr::col((
                action_commitment::Entity,
                action_commitment::Column::ActionId,
            ))
            .count(),
            "n",
        )
        .join(JoinType::InnerJoin, link_to_action())
        .filter(action_commitment::Column::CommitmentId.in_subquery(commitments_of(plan_id)))
        .group_by(action_commitment::Column::CommitmentId)
        .group_by(action_item::Column::Status)
        .into_tuple()
        .all(conn)
        .await?;
    let overdue: Vec<(Uuid, i64)> = action_commitment::Entity::find()
        .select_only()
        .column(action_commitment::Column::CommitmentId)
        .column_as(
            Expr::col((
                action_commitment::Entity,
                action_commitment::Column::ActionId,
            ))
            .count(),
            "n",
        )
        .join(JoinType::InnerJoin, link_to_action())
        .filter(action_commitment::Column::CommitmentId.in_subquery(commitments_of(plan_id)))
        .filter(action_item::Column::DueOn.lt(today))
        .filter(
            action_item::Column::Status.is_not_in([ActionStatus::Done, ActionStatus::Cancelled]),
        )
        .group_by(action_commitment::Column::CommitmentId)
        .into_tuple()
        .all(conn)
        .await?;
    let mut counts: HashMap<Uuid, ActionCounts> = HashMap::new();
    for (commitment_id, status, n) in by_status {
        let c = counts.entry(commitment_id).or_default();
        let n = count(n);
        match status {
            ActionStatus::Open => c.open += n,
            ActionStatus::InProgress => c.in_progress += n,
            ActionStatus::Blocked => c.blocked += n,
            ActionStatus::Done => c.done += n,
            ActionStatus::Cancelled => c.cancelled += n,
        }
        c.total += n;
    }
    for (commitment_id, n) in overdue {
        counts.entry(commitment_id).or_default().overdue = count(n);
    }
    Ok(counts)
}

/// Distinct actions linked to each theme's commitments, for one plan or for
/// every current plan (keyed by region).
pub async fn actions_per_theme(
    conn: &impl ConnectionTrait,
    plan_id: Option<Uuid>,
) -> Result<HashMap<(Uuid, Theme), u64>, DbErr> {
    let mut select = action_commitment::Entity::find()
        .select_only()
        .column(regional_plan::Column::RegionId)
        .column(commitment::Column::Theme)
        .column_as(
            Expr::col((
                action_commitment::Entity,
                action_commitment::Column::ActionId,
            ))
            .count_distinct(),
            "n",
        )
        .join(JoinType::InnerJoin, link_to_commitment())
        .join(JoinType::InnerJoin, commitment_to_plan());
    select = match plan_id {
        Some(plan_id) => select.filter(commitment::Column::PlanId.eq(plan_id)),
        None => select.filter(regional_plan::Column::Status.eq(PlanStatus::Current)),
    };
    let rows: Vec<(Uuid, Theme, i64)> = select
        .group_by(regional_plan::Column::RegionId)
        .group_by(commitment::Column::Theme)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(region, theme, n)| ((region, theme), count(n)))
        .collect())
}

/// Commitments of every current plan, per region, theme and firmness.
pub async fn commitments_per_theme(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Uuid, Theme, Firmness, u64)>, DbErr> {
    let rows: Vec<(Uuid, Uuid, Theme, Firmness, i64)> = commitment::Entity::find()
        .select_only()
        .column(regional_plan::Column::RegionId)
        .column(regional_plan::Column::Id)
        .column(commitment::Column::Theme)
        .column(commitment::Column::Firmness)
        .column_as(
            Expr::col((commitment::Entity, commitment::Column::Id)).count(),
            "n",
        )
        .join(JoinType::InnerJoin, commitment_to_plan())
        .filter(regional_plan::Column::Status.eq(PlanStatus::Current))
        .group_by(regional_plan::Column::RegionId)
        .group_by(regional_plan::Column::Id)
        .group_by(commitment::Column::Theme)
        .group_by(commitment::Column::Firmness)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(r, p, t, f, n)| (r, p, t, f, count(n)))
        .collect())
}
