use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    ActionStatus, MembershipStatus, action_commitment, action_item, commitment, forum,
    forum_membership, forum_role, meeting, regional_plan,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order};
use sea_orm::{
    ActiveValue, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, JoinType, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, SelectModel, Selector,
};
use uuid::Uuid;

use super::types::{ActionQuery, ActionRow};
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::names::{People, organisation_name, person_name};
use crate::kernel::pagination::after_key;
use crate::plans::{linked_commitments, with_linked_ids};

/// Actions without a due date sort after every dated one. (Not
/// `NaiveDate::MAX`: SQLite compares dates as text, and that one is written
/// with a leading `+`.)
pub const NO_DUE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// The column actions are listed by: the due date, or [`NO_DUE_DATE`] for
/// an undated action. The database computes it from `due_on` and indexes it
/// (see the migration that adds it), so no write sets it and none can leave
/// it stale; that is why the entity does not carry it.
pub fn due_sort() -> Expr {
    Expr::col((action_item::Entity, Alias::new("due_sort")))
}

/// An action's [`due_sort`], as the database computes it: its page cursor.
pub fn due_sort_of(action: &action_item::Model) -> (NaiveDate, Uuid) {
    (action.due_on.unwrap_or(NO_DUE_DATE), action.id)
}

/// Soonest due first, undated last, read in the order of the list indexes.
pub fn in_due_order(select: Select<action_item::Entity>) -> Select<action_item::Entity> {
    select
        .order_by(due_sort(), Order::Asc)
        .order_by_asc(action_item::Column::Id)
}

/// The forum of a commitment's region, in one query: 404 when there is no
/// such commitment, or when its region has no forum (so no actions).
pub async fn forum_of_commitment(
    conn: &impl ConnectionTrait,
    commitment_id: Uuid,
) -> ApiResult<Uuid> {
    let found: Option<Option<Uuid>> = commitment::Entity::find_by_id(commitment_id)
        .select_only()
        .column(forum::Column::Id)
        .join(
            JoinType::InnerJoin,
            commitment::Entity::belongs_to(regional_plan::Entity)
                .from(commitment::Column::PlanId)
                .to(regional_plan::Column::Id)
                .into(),
        )
        .join_rev(
            JoinType::LeftJoin,
            forum::Entity::belongs_to(regional_plan::Entity)
                .from(forum::Column::RegionId)
                .to(regional_plan::Column::RegionId)
                .into(),
        )
        .into_tuple()
        .one(conn)
        .await?;
    found
        .ok_or_else(|| ApiError::not_found("commitment"))?
        .ok_or_else(|| {
            ApiError::NotFound("this commitment's region has no forum, so no actions".into())
        })
}

/// The commitments linked to each of some actions, in one query.
pub async fn commitment_ids_of(
    conn: &impl ConnectionTrait,
    action_ids: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<Uuid>>> {
    linked_commitments::<action_commitment::Entity>(
        conn,
        action_commitment::Column::ActionId,
        action_commitment::Column::CommitmentId,
        action_ids,
    )
    .await
}

/// Actions read with the names beside their ids and the commitments each
/// is linked to, in the same statement. Only the forum's participants read
/// actions, so people's names are shown.
pub fn listed(
    select: Select<action_item::Entity>,
    backend: DbBackend,
) -> Selector<SelectModel<ActionRow>> {
    let col = |c: action_item::Column| (action_item::Entity, c);
    let people = People::of_participants();
    let select = select
        .column_as(
            organisation_name(col(action_item::Column::OwnerOrganisationId)),
            "owner_organisation_name",
        )
        .column_as(
            person_name(col(action_item::Column::OwnerUserId), people),
            "owner_user_name",
        )
        .column_as(
            person_name(col(action_item::Column::CreatedBy), people),
            "created_by_name",
        );
    with_linked_ids::<_, action_commitment::Entity, _>(
        select,
        backend,
        action_item::Column::Id,
        action_commitment::Column::ActionId,
        action_commitment::Column::CommitmentId,
    )
}

/// One action as lists read it (one statement), if there is one.
pub async fn read_one(conn: &impl ConnectionTrait, id: Uuid) -> ApiResult<Option<ActionRow>> {
    Ok(listed(
        action_item::Entity::find_by_id(id),
        conn.get_database_backend(),
    )
    .one(conn)
    .await?)
}

/// A meeting given as the origin of a record must be the forum's own (422 otherwise).
pub async fn check_meeting(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    meeting_id: Option<Uuid>,
) -> ApiResult<()> {
    check_references(conn, forum_id, meeting_id, None, None).await
}

/// The meeting, owner organisation and owner person must belong to the forum.
pub async fn check_references(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    meeting_id: Option<Uuid>,
    owner_organisation_id: Option<Uuid>,
    owner_user_id: Option<Uuid>,
) -> ApiResult<()> {
    let mut errors = Vec::new();
    if let Some(id) = meeting_id {
        let ok = meeting::Entity::find_by_id(id)
            .one(conn)
            .await?
            .is_some_and(|m| m.forum_id == forum_id);
        if !ok {
            errors.push(FieldError::new(
                "meeting_id",
                "is not a meeting of this forum",
            ));
        }
    }
    if let Some(id) = owner_organisation_id {
        let ok = forum_membership::Entity::find()
            .filter(forum_membership::Column::ForumId.eq(forum_id))
            .filter(forum_membership::Column::OrganisationId.eq(id))
            .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
            .one(conn)
            .await?
            .is_some();
        if !ok {
            errors.push(FieldError::new(
                "owner_organisation_id",
                "is not an active member organisation of this forum",
            ));
        }
    }
    if let Some(id) = owner_user_id {
        let ok = forum_role::Entity::find_by_id((forum_id, id))
            .one(conn)
            .await?
            .is_some();
        if !ok {
            errors.push(FieldError::new(
                "owner_user_id",
                "does not take part in this forum",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Moves the action's status, or refuses with 409; `completed_at` follows
/// `done`. Asking for the status it already has changes nothing.
pub fn move_status(
    changes: &mut action_item::ActiveModel,
    from: ActionStatus,
    to: ActionStatus,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if to == from {
        return Ok(());
    }
    if !from.can_become(to) {
        return Err(ApiError::transition("action", from.as_str(), to.as_str()));
    }
    changes.status = ActiveValue::Set(to);
    changes.completed_at = ActiveValue::Set((to == ActionStatus::Done).then_some(now));
    Ok(())
}

/// The forum's actions matching the list filters (shared by pages and CSV).
pub fn filtered(
    forum_id: Uuid,
    query: &ActionQuery,
    today: NaiveDate,
) -> Select<action_item::Entity> {
    let mut select = action_item::Entity::find().filter(action_item::Column::ForumId.eq(forum_id));
    if let Some(status) = query.status {
        select = select.filter(action_item::Column::Status.eq(status));
    }
    if let Some(owner) = query.owner_organisation_id {
        select = select.filter(action_item::Column::OwnerOrganisationId.eq(owner));
    }
    match query.overdue {
        // Undated actions sort at NO_DUE_DATE, never before today.
        Some(true) => {
            select = select.filter(due_sort().lt(today)).filter(still_open());
        }
        Some(false) => {
            select = select.filter(sea_orm::Condition::any().add(due_sort().gte(today)).add(
                action_item::Column::Status.is_in([ActionStatus::Done, ActionStatus::Cancelled]),
            ));
        }
        None => {}
    }
    if let Some(before) = query.due_before {
        // Capped so that undated actions never count as due before a date.
        select = select.filter(due_sort().lt(Ord::min(before, NO_DUE_DATE)));
    }
    if let Some(commitment_id) = query.commitment_id {
        select = linked_to(select, commitment_id);
    }
    select
}

/// Neither done nor cancelled: the predicate of the partial index of open
/// actions by due date, written as it is there (literals, not bound values)
/// so that both databases see the index applies.
fn still_open() -> Expr {
    Expr::cust(format!(
        r#""action_items"."status" NOT IN ('{}', '{}')"#,
        ActionStatus::Done.as_str(),
        ActionStatus::Cancelled.as_str()
    ))
}

/// Narrows a selection of actions to those linked to a commitment, read
/// through the link table. A commitment's actions are few beside a forum's,
/// so the page is those few, sorted, rather than a walk along the forum's
/// whole due-date order in search of them. `FROM links CROSS JOIN actions`
/// makes SQLite take the links first (its documented rule for CROSS JOIN);
/// PostgreSQL reads it as the plain join it is and plans it by cost.
pub fn linked_to(
    mut select: Select<action_item::Entity>,
    commitment_id: Uuid,
) -> Select<action_item::Entity> {
    QueryTrait::query(&mut select)
        .from_clear()
        .from(action_commitment::Entity)
        .cross_join(action_item::Entity)
        .and_where(
            Expr::col((action_item::Entity, action_item::Column::Id)).equals((
                action_commitment::Entity,
                action_commitment::Column::ActionId,
            )),
        )
        .and_where(
            Expr::col((
                action_commitment::Entity,
                action_commitment::Column::CommitmentId,
            ))
            .eq(commitment_id),
        );
    select
}

/// Keyset condition: rows after `(due, id)` in (due date, id) order.
pub fn after((due, id): (NaiveDate, Uuid)) -> Expr {
    after_key(
        [
            due_sort(),
            Expr::col((action_item::Entity, action_item::Column::Id)),
        ],
        [due.into(), id.into()],
    )
}
