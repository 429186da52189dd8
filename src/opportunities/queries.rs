use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{
    OpportunityState, PlanStatus, award, award_group, commitment, forum, opportunity,
    opportunity_commitment, opportunity_group, opportunity_theme, regional_plan,
};
use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query as SqlQuery};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, Select, SelectModel, Selector, Set,
};
use uuid::Uuid;

use super::award_types::{AwardNames, AwardOut};
use super::types::{Lists, OpportunityOut, OpportunityQuery, OpportunityStatus};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, ONE_NAME, OneName, People, organisation_name, person_name};

crate::versioned!(entity::opportunity::Entity, "opportunity", status);

pub async fn load(conn: &impl ConnectionTrait, id: Uuid) -> ApiResult<opportunity::Model> {
    opportunity::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("opportunity"))
}

/// The opportunity as it is now, locked until the transaction commits: an
/// award and a withdrawal of one opportunity wait for each other.
pub async fn lock(txn: &DatabaseTransaction, id: Uuid) -> ApiResult<opportunity::Model> {
    opportunity::Entity::find_by_id(id)
        .lock(LockType::NoKeyUpdate)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::not_found("opportunity"))
}

/// The opportunity as it is now, share-locked until the transaction
/// commits: interest is registered in it while nobody withdraws it, and
/// many organisations may register at once.
pub async fn hold(txn: &DatabaseTransaction, id: Uuid) -> ApiResult<opportunity::Model> {
    opportunity::Entity::find_by_id(id)
        .lock(LockType::Share)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::not_found("opportunity"))
}

/// The region's forum, if it has one.
pub async fn region_forum(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
) -> Result<Option<forum::Model>, DbErr> {
    forum::Entity::find()
        .filter(forum::Column::RegionId.eq(region_id))
        .one(conn)
        .await
}

/// The lists of some opportunities: three queries.
pub async fn lists_of(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Lists>, DbErr> {
    let mut by_id: HashMap<Uuid, Lists> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_id);
    }
    let themes = opportunity_theme::Entity::find()
        .filter(opportunity_theme::Column::OpportunityId.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    for t in themes {
        by_id
            .entry(t.opportunity_id)
            .or_default()
            .themes
            .push(t.theme);
    }
    let groups = opportunity_group::Entity::find()
        .filter(opportunity_group::Column::OpportunityId.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    for g in groups {
        by_id
            .entry(g.opportunity_id)
            .or_default()
            .led_by_and_for
            .push(g.category);
    }
    let links = opportunity_commitment::Entity::find()
        .filter(opportunity_commitment::Column::OpportunityId.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    for l in links {
        by_id
            .entry(l.opportunity_id)
            .or_default()
            .commitment_ids
            .push(l.commitment_id);
    }
    for lists in by_id.values_mut() {
        lists.themes.sort();
        lists.led_by_and_for.sort();
        lists.commitment_ids.sort();
    }
    Ok(by_id)
}

pub async fn lists_of_one(conn: &impl ConnectionTrait, id: Uuid) -> Result<Lists, DbErr> {
    Ok(lists_of(conn, &[id]).await?.remove(&id).unwrap_or_default())
}

/// Writes an opportunity's lists, replacing what it had.
pub async fn write_lists(txn: &DatabaseTransaction, id: Uuid, lists: &Lists) -> Result<(), DbErr> {
    opportunity_theme::Entity::delete_many()
        .filter(opportunity_theme::Column::OpportunityId.eq(id))
        .exec(txn)
        .await?;
    opportunity_group::Entity::delete_many()
        .filter(opportunity_group::Column::OpportunityId.eq(id))
        .exec(txn)
        .await?;
    opportunity_commitment::Entity::delete_many()
        .filter(opportunity_commitment::Column::OpportunityId.eq(id))
        .exec(txn)
        .await?;
    if !lists.themes.is_empty() {
        opportunity_theme::Entity::insert_many(lists.themes.iter().map(|theme| {
            opportunity_theme::ActiveModel {
                opportunity_id: Set(id),
                theme: Set(*theme),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    if !lists.led_by_and_for.is_empty() {
        opportunity_group::Entity::insert_many(lists.led_by_and_for.iter().map(|category| {
            opportunity_group::ActiveModel {
                opportunity_id: Set(id),
                category: Set(*category),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    if !lists.commitment_ids.is_empty() {
        opportunity_commitment::Entity::insert_many(lists.commitment_ids.iter().map(
            |commitment_id| opportunity_commitment::ActiveModel {
                opportunity_id: Set(id),
                commitment_id: Set(*commitment_id),
            },
        ))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Of the given commitments, those that are not of the region's current
/// plan: one query.
pub async fn not_of_current_plan(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<Uuid> = commitment::Entity::find()
        .select_only()
        .column(commitment::Column::Id)
        .join(
            JoinType::InnerJoin,
            commitment::Entity::belongs_to(regional_plan::Entity)
                .from(commitment::Column::PlanId)
                .to(regional_plan::Column::Id)
                .into(),
        )
        .filter(commitment::Column::Id.is_in(ids.iter().copied()))
        .filter(regional_plan::Column::RegionId.eq(region_id))
        .filter(regional_plan::Column::Status.eq(PlanStatus::Current))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect())
}

/// The opportunities standing where `status` says on `today`: the same
/// rule as [`OpportunityStatus::of`], in SQL.
pub fn in_status(status: OpportunityStatus, today: NaiveDate) -> Condition {
    let published =
        Condition::all().add(opportunity::Column::Status.eq(OpportunityState::Published));
    match status {
        OpportunityStatus::Withdrawn => {
            Condition::all().add(opportunity::Column::Status.eq(OpportunityState::Withdrawn))
        }
        OpportunityStatus::Awarded => {
            Condition::all().add(opportunity::Column::Status.eq(OpportunityState::Awarded))
        }
        OpportunityStatus::Upcoming => published.add(opportunity::Column::OpensOn.gt(today)),
        OpportunityStatus::Open => published
            .add(opportunity::Column::OpensOn.lte(today))
            .add(opportunity::Column::ClosesOn.gte(today)),
        OpportunityStatus::Closed => published.add(opportunity::Column::ClosesOn.lt(today)),
    }
}

/// The region's opportunities matching the list's filters, newest first.
pub fn filtered(
    region_id: Uuid,
    query: &OpportunityQuery,
    today: NaiveDate,
) -> Select<opportunity::Entity> {
    let mut select =
        opportunity::Entity::find().filter(opportunity::Column::RegionId.eq(region_id));
    if let Some(status) = query.status {
        select = select.filter(in_status(status, today));
    }
    if let Some(mechanism) = query.mechanism {
        select = select.filter(opportunity::Column::Mechanism.eq(mechanism));
    }
    // Correlated EXISTS, not IN: the page is still walked in the order of
    // the region's index, each row probed in the list's primary key, so a
    // later page seeks to its cursor instead of reading every match again.
    let this_opportunity = || Expr::col((opportunity::Entity, opportunity::Column::Id));
    if let Some(theme) = query.theme {
        select = select.filter(Expr::exists(
            SqlQuery::select()
                .expr(Expr::val(1))
                .from(opportunity_theme::Entity)
                .and_where(
                    Expr::col((
                        opportunity_theme::Entity,
                        opportunity_theme::Column::OpportunityId,
                    ))
                    .eq(this_opportunity()),
                )
                .and_where(opportunity_theme::Column::Theme.eq(theme))
                .to_owned(),
        ));
    }
    if let Some(group) = query.led_by_and_for {
        select = select.filter(Expr::exists(
            SqlQuery::select()
                .expr(Expr::val(1))
                .from(opportunity_group::Entity)
                .and_where(
                    Expr::col((
                        opportunity_group::Entity,
                        opportunity_group::Column::OpportunityId,
                    ))
                    .eq(this_opportunity()),
                )
                .and_where(opportunity_group::Column::Category.eq(group))
                .to_owned(),
        ));
    }
    select.order_by_desc(opportunity::Column::Id)
}

/// The id of the opportunity's region, as a subquery (for
/// [`people_of_region`](crate::kernel::names::people_of_region)).
pub fn region_of(opportunity_id: Uuid) -> Expr {
    Expr::from(
        SqlQuery::select()
            .column(opportunity::Column::RegionId)
            .from(opportunity::Entity)
            .and_where(opportunity::Column::Id.eq(opportunity_id))
            .to_owned(),
    )
}

/// Opportunities read with who published them, named as `people` says.
pub fn named(
    select: Select<opportunity::Entity>,
    people: People,
) -> Selector<SelectModel<Named<opportunity::Model, OneName>>> {
    select
        .column_as(
            person_name(
                (opportunity::Entity, opportunity::Column::CreatedBy),
                people,
            ),
            ONE_NAME,
        )
        .into_model()
}

/// Some opportunities as the API shows them, their lists read in three
/// queries.
pub async fn outs(
    conn: &impl ConnectionTrait,
    rows: Vec<Named<opportunity::Model, OneName>>,
    region: &str,
    today: NaiveDate,
) -> Result<Vec<OpportunityOut>, DbErr> {
    let ids: Vec<Uuid> = rows.iter().map(|o| o.record.id).collect();
    let mut lists = lists_of(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            let own = lists.remove(&o.record.id).unwrap_or_default();
            OpportunityOut::new(o.record, region.to_string(), own, today, o.names.one_name)
        })
        .collect())
}

/// An opportunity's awards after `after` (by id, oldest first), with their
/// names (people's as `people` says) and the categories copied at each
/// award: two queries.
pub async fn awards_of(
    conn: &impl ConnectionTrait,
    opportunity_id: Uuid,
    after: Option<Uuid>,
    limit: Option<u64>,
    people: People,
) -> Result<Vec<AwardOut>, DbErr> {
    let mut select = award::Entity::find().filter(award::Column::OpportunityId.eq(opportunity_id));
    if let Some(after) = after {
        select = select.filter(award::Column::Id.gt(after));
    }
    let rows = select
        .column_as(
            organisation_name((award::Entity, award::Column::OrganisationId)),
            "organisation_name",
        )
        .column_as(
            person_name((award::Entity, award::Column::CreatedBy), people),
            "created_by_name",
        )
        .order_by_asc(award::Column::Id)
        .limit(limit)
        .into_model::<Named<award::Model, AwardNames>>()
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|a| a.record.id).collect();
    let mut groups: HashMap<Uuid, Vec<_>> = HashMap::new();
    if !ids.is_empty() {
        for g in award_group::Entity::find()
            .filter(award_group::Column::AwardId.is_in(ids))
            .all(conn)
            .await?
        {
            groups.entry(g.award_id).or_default().push(g.category);
        }
    }
    Ok(rows
        .into_iter()
        .map(|a| {
            let mut own = groups.remove(&a.record.id).unwrap_or_default();
            own.sort();
            AwardOut::new(a.record, own, a.names)
        })
        .collect())
}
