//! Forum queries that know nothing of HTTP.

use entity::{
    LedByAndFor, MembershipStatus, SizeBand, forum, forum_membership, forum_paper_storage,
    organisation, organisation_led_by, region,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Iterable, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::types::{ForumOut, MembershipSummary};

/// `SELECT organisation_id FROM forum_memberships WHERE forum_id = ? AND status = 'active'`
pub fn active_member_ids(forum_id: Uuid) -> SelectStatement {
    Query::select()
        .column(forum_membership::Column::OrganisationId)
        .from(forum_membership::Entity)
        .and_where(forum_membership::Column::ForumId.eq(forum_id))
        .and_where(forum_membership::Column::Status.eq(MembershipStatus::Active))
        .to_owned()
}

/// Two aggregate queries, whatever the number of members.
pub async fn membership_summary(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
) -> Result<MembershipSummary, DbErr> {
    let by_band: Vec<(SizeBand, bool, i64)> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::SizeBand)
        .column(organisation::Column::InSupplyChain)
        .column_as(Expr::col(organisation::Column::Id).count(), "n")
        .filter(organisation::Column::Id.in_subquery(active_member_ids(forum_id)))
        .group_by(organisation::Column::SizeBand)
        .group_by(organisation::Column::InSupplyChain)
        .into_tuple()
        .all(conn)
        .await?;
    let by_category: Vec<(LedByAndFor, i64)> = organisation_led_by::Entity::find()
        .select_only()
        .column(organisation_led_by::Column::Category)
        .column_as(
            Expr::col(organisation_led_by::Column::OrganisationId).count(),
            "n",
        )
        .filter(
            organisation_led_by::Column::OrganisationId.in_subquery(active_member_ids(forum_id)),
        )
        .group_by(organisation_led_by::Column::Category)
        .into_tuple()
        .all(conn)
        .await?;

    let mut summary = MembershipSummary::default();
    for band in SizeBand::iter() {
        summary.by_size_band.insert(band.to_value(), 0);
    }
    for category in LedByAndFor::iter() {
        summary.by_led_by_and_for.insert(category.to_value(), 0);
    }
    for (band, in_supply_chain, n) in by_band {
        let n = u64::try_from(n).unwrap_or(0);
        summary.active_member_organisations += n;
        if in_supply_chain {
            summary.in_supply_chain += n;
        } else {
            summary.outside_supply_chain += n;
        }
        *summary.by_size_band.entry(band.to_value()).or_default() += n;
    }
    for (category, n) in by_category {
        *summary
            .by_led_by_and_for
            .entry(category.to_value())
            .or_default() += u64::try_from(n).unwrap_or(0);
    }
    Ok(summary)
}

pub async fn region_code(conn: &impl ConnectionTrait, region_id: Uuid) -> Result<String, DbErr> {
    Ok(region::Entity::find_by_id(region_id)
        .one(conn)
        .await?
        .map(|r| r.code)
        .unwrap_or_default())
}

pub async fn forum_out(
    conn: &impl ConnectionTrait,
    forum: forum::Model,
) -> Result<ForumOut, DbErr> {
    let code = region_code(conn, forum.region_id).await?;
    Ok(ForumOut::new(forum, code))
}

/// What the forum's papers take in storage now, every version counted (the
/// counter the papers keep as they are uploaded and deleted).
pub async fn paper_storage_used(conn: &impl ConnectionTrait, forum_id: Uuid) -> Result<i64, DbErr> {
    Ok(forum_paper_storage::Entity::find_by_id(forum_id)
        .one(conn)
        .await?
        .map_or(0, |row| row.used_bytes))
}

/// The forum's active member organisations, by name, as `(id, name)`: the
/// owners an action of the forum may have (one statement). For callers
/// who have already been let into the forum's records.
pub async fn active_member_names(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
) -> Result<Vec<(Uuid, String)>, DbErr> {
    organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.in_subquery(active_member_ids(forum_id)))
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .into_tuple()
        .all(conn)
        .await
}
