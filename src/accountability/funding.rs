//! Where the money goes: the awards made under a region's funding
//! opportunities, by mechanism, the shares of their value that reached
//! small and micro organisations, organisations outside the probation
//! supply chain and each led-by-and-for group (as each organisation stood
//! at its award), and which commitments of the plan have funding behind
//! them. Every figure is one grouped query; nothing is loaded row by row.

use std::collections::HashMap;

use entity::{
    AwardStatus, FundingMechanism, LedByAndFor, SizeBand, award, award_group, commitment,
    opportunity, opportunity_commitment,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Iterable, JoinType, PaginatorTrait,
    QueryFilter, QuerySelect, RelationDef,
};
use uuid::Uuid;

use super::types::{Funding, FundingByGroup, FundingByMechanism, FundingSummary};

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// `awards JOIN opportunities`.
fn awards_to_opportunities() -> RelationDef {
    award::Entity::belongs_to(opportunity::Entity)
        .from(award::Column::OpportunityId)
        .to(opportunity::Column::Id)
        .into()
}

/// A sum of pence, in double precision on both databases. A sum of 64-bit
/// integers overflows on SQLite (an error, and every report down with it)
/// and PostgreSQL's `numeric` sum may not fit the integer read back; a
/// double cannot overflow, and holds every whole number of pence exactly up
/// to 2^53 (about £90 trillion), far beyond what amounts bounded at £1bn
/// add up to in any region.
fn sum(expr: impl Into<Expr>) -> Expr {
    let each = Func::cast_as(expr, Alias::new("DOUBLE PRECISION"));
    let total = Func::coalesce([Expr::from(Func::sum(each)), Expr::val(0.0)]);
    Expr::from(Func::cast_as(total, Alias::new("DOUBLE PRECISION")))
}

/// A sum read back: whole pence (saturating, never wrapping).
pub(crate) fn pence(total: f64) -> i64 {
    total.round() as i64
}

/// Awards that count: not withdrawn.
fn standing() -> Expr {
    Expr::col((award::Entity, award::Column::Status)).eq(AwardStatus::Awarded.as_str())
}

fn value_when(condition: Expr) -> Expr {
    let amount = Expr::col((award::Entity, award::Column::AmountPence));
    sum(Expr::case(condition, amount).finally(0))
}

/// Per region: awards, their value, and the value that went to small and
/// micro organisations and to organisations outside the supply chain.
async fn totals(
    conn: &impl ConnectionTrait,
    region: Option<Uuid>,
) -> Result<HashMap<Uuid, (i64, i64, i64, i64)>, DbErr> {
    let small = Expr::col((award::Entity, award::Column::SizeBand))
        .is_in([SizeBand::Micro.as_str(), SizeBand::Small.as_str()]);
    let outside = Expr::col((award::Entity, award::Column::InSupplyChain)).eq(false);
    let mut select = award::Entity::find()
        .select_only()
        .column(opportunity::Column::RegionId)
        .column_as(
            Expr::from(Func::count(Expr::col((award::Entity, award::Column::Id)))),
            "awards",
        )
        .column_as(
            sum(Expr::col((award::Entity, award::Column::AmountPence))),
            "value",
        )
        .column_as(value_when(small), "small")
        .column_as(value_when(outside), "outside")
        .join(JoinType::InnerJoin, awards_to_opportunities())
        .filter(standing())
        .group_by(opportunity::Column::RegionId);
    if let Some(region) = region {
        select = select.filter(opportunity::Column::RegionId.eq(region));
    }
    Ok(select
        .into_tuple::<(Uuid, i64, f64, f64, f64)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(region, awards, value, small, outside)| {
            (region, (awards, pence(value), pence(small), pence(outside)))
        })
        .collect())
}

/// The national matrix's summary of each region's awards.
pub async fn summaries(
    conn: &impl ConnectionTrait,
) -> Result<HashMap<Uuid, FundingSummary>, DbErr> {
    Ok(totals(conn, None)
        .await?
        .into_iter()
        .map(|(region, (awards, value, small, outside))| {
            (
                region,
                FundingSummary {
                    awards: to_u64(awards),
                    value_pence: value,
                    small_and_micro_share: share(small, value),
                    outside_supply_chain_share: share(outside, value),
                },
            )
        })
        .collect())
}

/// A region's funding figures; `plan`: its current plan, whose commitments
/// are counted with funding behind them or none.
pub async fn region_funding(
    conn: &impl ConnectionTrait,
    region: Uuid,
    plan: Option<Uuid>,
) -> Result<Funding, DbErr> {
    let (awards, value, small, outside) = totals(conn, Some(region))
        .await?
        .remove(&region)
        .unwrap_or_default();

    let by_mechanism: HashMap<FundingMechanism, (i64, i64)> = award::Entity::find()
        .select_only()
        .column(opportunity::Column::Mechanism)
        .column_as(
            Expr::from(Func::count(Expr::col((award::Entity, award::Column::Id)))),
            "awards",
        )
        .column_as(
            sum(Expr::col((award::Entity, award::Column::AmountPence))),
            "value",
        )
        .join(JoinType::InnerJoin, awards_to_opportunities())
        .filter(opportunity::Column::RegionId.eq(region))
        .filter(standing())
        .group_by(opportunity::Column::Mechanism)
        .into_tuple::<(FundingMechanism, i64, f64)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(mechanism, n, v)| (mechanism, (n, pence(v))))
        .collect();

    let by_group: HashMap<LedByAndFor, (i64, i64)> = award_group::Entity::find()
        .select_only()
        .column(award_group::Column::Category)
        .column_as(
            Expr::from(Func::count(Expr::col((award::Entity, award::Column::Id)))),
            "awards",
        )
        .column_as(
            sum(Expr::col((award::Entity, award::Column::AmountPence))),
            "value",
        )
        .join(
            JoinType::InnerJoin,
            award_group::Entity::belongs_to(award::Entity)
                .from(award_group::Column::AwardId)
                .to(award::Column::Id)
                .into(),
        )
        .join(JoinType::InnerJoin, awards_to_opportunities())
        .filter(opportunity::Column::RegionId.eq(region))
        .filter(standing())
        .group_by(award_group::Column::Category)
        .into_tuple::<(LedByAndFor, i64, f64)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(group, n, v)| (group, (n, pence(v))))
        .collect();

    let (with_funding, without_funding) = match plan {
        None => (0, 0),
        Some(plan) => {
            let funded = Query::select()
                .expr(Expr::val(1))
                .from(opportunity_commitment::Entity)
                .inner_join(
                    award::Entity,
                    Expr::col((award::Entity, award::Column::OpportunityId)).equals((
                        opportunity_commitment::Entity,
                        opportunity_commitment::Column::OpportunityId,
                    )),
                )
                .and_where(
                    Expr::col((
                        opportunity_commitment::Entity,
                        opportunity_commitment::Column::CommitmentId,
                    ))
                    .equals((commitment::Entity, commitment::Column::Id)),
                )
                .and_where(standing())
                .to_owned();
            let all = commitment::Entity::find()
                .filter(commitment::Column::PlanId.eq(plan))
                .count(conn)
                .await?;
            let with = commitment::Entity::find()
                .filter(commitment::Column::PlanId.eq(plan))
                .filter(Expr::exists(funded))
                .count(conn)
                .await?;
            (with, all.saturating_sub(with))
        }
    };

    Ok(assemble(FundingParts {
        awards,
        value,
        small,
        outside,
        by_mechanism,
        by_group,
        with_funding,
        without_funding,
    }))
}

/// A region's funding figures as they are read: counts, sums of pence per
/// mechanism and per group, and commitments with funding or none.
pub struct FundingParts {
    pub awards: i64,
    pub value: i64,
    pub small: i64,
    pub outside: i64,
    pub by_mechanism: HashMap<FundingMechanism, (i64, i64)>,
    pub by_group: HashMap<LedByAndFor, (i64, i64)>,
    pub with_funding: u64,
    pub without_funding: u64,
}

/// The figures as the report gives them: every mechanism and group, none
/// awarded shown as zero, and each share of the whole.
pub fn assemble(parts: FundingParts) -> Funding {
    let FundingParts {
        awards,
        value,
        small,
        outside,
        by_mechanism,
        by_group,
        with_funding,
        without_funding,
    } = parts;
    Funding {
        awards: to_u64(awards),
        value_pence: value,
        by_mechanism: FundingMechanism::iter()
            .map(|mechanism| {
                let (n, v) = by_mechanism.get(&mechanism).copied().unwrap_or_default();
                FundingByMechanism {
                    mechanism,
                    awards: to_u64(n),
                    value_pence: v,
                }
            })
            .collect(),
        small_and_micro_value_pence: small,
        small_and_micro_share: share(small, value),
        outside_supply_chain_value_pence: outside,
        outside_supply_chain_share: share(outside, value),
        by_group: LedByAndFor::iter()
            .map(|group| {
                let (n, v) = by_group.get(&group).copied().unwrap_or_default();
                FundingByGroup {
                    group,
                    awards: to_u64(n),
                    value_pence: v,
                    share: share(v, value),
                }
            })
            .collect(),
        commitments_with_funding: with_funding,
        commitments_without_funding: without_funding,
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn a_share_of_nothing_is_no_share() {
        assert_eq!(share(0, 0), None);
        assert_eq!(share(25, 100), Some(0.25));
    }
}
