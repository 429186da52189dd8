use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    ActionStatus, MembershipStatus, action_commitment, action_item, forum_membership, forum_role,
    meeting,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ActiveValue, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use super::types::ActionQuery;
use crate::access::{ForumAccess, ForumAction};
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::plans::linked_commitments;

/// Actions without a due date sort after every dated one. (Not
/// `NaiveDate::MAX`: SQLite compares dates as text, and that one is written
/// with a leading `+`.)
pub const NO_DUE_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

pub fn due_sort_key() -> Expr {
    Expr::expr(Func::coalesce([
        Expr::col((action_item::Entity, action_item::Column::DueOn)),
        Expr::val(NO_DUE_DATE),
    ]))
}

/// An action and the caller's access to its forum; 404 unless the caller
/// takes part in the forum.
pub async fn load_visible(
    conn: &impl ConnectionTrait,
    id: Uuid,
    caller: &AuthUser,
) -> ApiResult<(action_item::Model, ForumAccess)> {
    let action = action_item::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("action"))?;
    let access = ForumAccess::load(conn, action.forum_id, Some(caller)).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, "action")?;
    Ok((action, access))
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
    if let Some(commitment_id) = query.commitment_id {
        select = select.filter(
            action_item::Column::Id.in_subquery(
                Query::select()
                    .column(action_commitment::Column::ActionId)
                    .from(action_commitment::Entity)
                    .and_where(action_commitment::Column::CommitmentId.eq(commitment_id))
                    .to_owned(),
            ),
        );
    }
    match query.overdue {
        Some(true) => {
            select = select.filter(action_item::Column::DueOn.lt(today)).filter(
                action_item::Column::Status
                    .is_not_in([ActionStatus::Done, ActionStatus::Cancelled]),
            );
        }
        Some(false) => {
            select = select.filter(
                sea_orm::Condition::any()
                    .add(action_item::Column::DueOn.is_null())
                    .add(action_item::Column::DueOn.gte(today))
                    .add(
                        action_item::Column::Status
                            .is_in([ActionStatus::Done, ActionStatus::Cancelled]),
                    ),
            );
        }
        None => {}
    }
    if let Some(before) = query.due_before {
        select = select.filter(action_item::Column::DueOn.lt(before));
    }
    select
}

/// Keyset condition: rows after `(due, id)` in (due date, id) order.
pub fn after(due: NaiveDate, id: Uuid) -> sea_orm::Condition {
    sea_orm::Condition::any().add(due_sort_key().gt(due)).add(
        sea_orm::Condition::all()
            .add(due_sort_key().eq(due))
            .add(action_item::Column::Id.gt(id)),
    )
}
