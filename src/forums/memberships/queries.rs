use chrono::{DateTime, Utc};
use entity::{
    ForumRole, MembershipStatus, forum_membership, forum_role, organisation, organisation_led_by,
    organisation_theme, user,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::types::MembershipQuery;

/// The list's filters on the member organisations' profiles. Each probes the
/// membership's own organisation by its key: a forum's members are few beside
/// the national directory, which an uncorrelated `IN (SELECT …)` would read
/// whole on every page.
pub fn organisation_filters(query: &MembershipQuery) -> Condition {
    let membership_organisation = || {
        Expr::col((
            forum_membership::Entity,
            forum_membership::Column::OrganisationId,
        ))
    };
    let mut filters = Condition::all();
    if query.size_band.is_some() || query.in_supply_chain.is_some() {
        let mut profile = Query::select()
            .expr(Expr::val(1))
            .from(organisation::Entity)
            .and_where(
                Expr::col((organisation::Entity, organisation::Column::Id))
                    .eq(membership_organisation()),
            )
            .to_owned();
        if let Some(band) = query.size_band {
            profile.and_where(organisation::Column::SizeBand.eq(band));
        }
        if let Some(in_supply_chain) = query.in_supply_chain {
            profile.and_where(organisation::Column::InSupplyChain.eq(in_supply_chain));
        }
        filters = filters.add(Expr::exists(profile));
    }
    if let Some(category) = query.led_by_and_for {
        filters = filters.add(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(organisation_led_by::Entity)
                .and_where(
                    Expr::col((
                        organisation_led_by::Entity,
                        organisation_led_by::Column::OrganisationId,
                    ))
                    .eq(membership_organisation()),
                )
                .and_where(organisation_led_by::Column::Category.eq(category))
                .to_owned(),
        ));
    }
    if let Some(theme) = query.theme {
        filters = filters.add(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(organisation_theme::Entity)
                .and_where(
                    Expr::col((
                        organisation_theme::Entity,
                        organisation_theme::Column::OrganisationId,
                    ))
                    .eq(membership_organisation()),
                )
                .and_where(organisation_theme::Column::Theme.eq(theme))
                .to_owned(),
        ));
    }
    filters
}

/// The open (applied, active or suspended) membership of an organisation, if any.
pub async fn open_membership(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    organisation_id: Uuid,
) -> Result<Option<forum_membership::Model>, DbErr> {
    forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum_id))
        .filter(forum_membership::Column::OrganisationId.eq(organisation_id))
        .filter(forum_membership::Column::Status.is_in([
            MembershipStatus::Applied,
            MembershipStatus::Active,
            MembershipStatus::Suspended,
        ]))
        .one(conn)
        .await
}

/// Ends the `member` roles in this forum of everyone in the organisation:
/// a suspended or departed organisation's people no longer speak for it.
pub async fn end_member_roles(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    organisation_id: Uuid,
) -> Result<u64, DbErr> {
    let people = Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(user::Column::OrganisationId.eq(organisation_id))
        .to_owned();
    let ended = forum_role::Entity::delete_many()
        .filter(forum_role::Column::ForumId.eq(forum_id))
        .filter(forum_role::Column::Role.eq(ForumRole::Member))
        .filter(forum_role::Column::UserId.in_subquery(people))
        .exec(conn)
        .await?;
    Ok(ended.rows_affected)
}

/// A move of a membership from one state to another.
pub struct Move {
    pub forum_id: Uuid,
    pub membership_id: Uuid,
    pub from: MembershipStatus,
    pub to: MembershipStatus,
    pub reason: Option<String>,
}

/// Makes the move in one conditional update: `UPDATE … WHERE id = ? AND
/// forum_id = ? AND status = <from>`. `None` when the membership is no
/// longer in `from` (someone else moved it first) or no longer exists: of
/// several concurrent decisions, exactly one finds it where it was read.
pub async fn move_status(
    conn: &impl ConnectionTrait,
    change: Move,
    now: DateTime<Utc>,
) -> Result<Option<forum_membership::Model>, DbErr> {
    let moved = forum_membership::Entity::update_many()
        .col_expr(
            forum_membership::Column::Status,
            Expr::value(change.to.as_str()),
        )
        .col_expr(
            forum_membership::Column::StatusReason,
            Expr::value(change.reason),
        )
        .col_expr(forum_membership::Column::UpdatedAt, Expr::value(now))
        .filter(forum_membership::Column::Id.eq(change.membership_id))
        .filter(forum_membership::Column::ForumId.eq(change.forum_id))
        .filter(forum_membership::Column::Status.eq(change.from))
        .exec_with_returning(conn)
        .await?;
    Ok(moved.into_iter().next())
}

/// The membership, if it is one of this forum's.
pub async fn find_in_forum(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    membership_id: Uuid,
) -> Result<Option<forum_membership::Model>, DbErr> {
    Ok(forum_membership::Entity::find_by_id(membership_id)
        .one(conn)
        .await?
        .filter(|m| m.forum_id == forum_id))
}
