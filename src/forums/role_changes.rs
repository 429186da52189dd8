//! Giving a person a role in a forum, changing it and taking it away.

use entity::{ForumRole, MembershipStatus, forum_membership, forum_role, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::types::{RoleAssigned, RoleIn, RoleOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::events::emit;
use crate::kernel::names::people_with_organisations;
use crate::kernel::state::AppState;

/// Gives a person a role in the forum, replacing any role they had.
/// Officers assign `member` and `observer`; only admins assign (or replace)
/// `secretary`, `chair` and `rpd-staff` (403). A `member` must belong to an
/// organisation with an active membership of the forum (422). The role is
/// replaced only if it is still the one read: a change made by someone else
/// meanwhile (or a role given at the same moment) is 409.
pub async fn assign_role(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    user_id: Uuid,
    input: RoleIn,
) -> ApiResult<RoleAssigned> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::AssignRole(input.role))?;
    let named = people_with_organisations(&state.db, [user_id])
        .await?
        .remove(&user_id)
        .ok_or_else(|| ApiError::not_found("user"))?;
    let person = &named.record;
    let existing = forum_role::Entity::find_by_id((forum_id, user_id))
        .one(&state.db)
        .await?;
    if let Some(current) = &existing {
        // Replacing an officer's or RPD staff role is itself an admin's act.
        access.require(ForumAction::AssignRole(current.role))?;
        if current.role == input.role {
            let out = RoleOut::new(current.clone(), Some(&named));
            return Ok(RoleAssigned::AlreadyHeld(out));
        }
    }
    if input.role == ForumRole::Member && person.organisation_id.is_none() {
        return Err(not_a_member_organisation());
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if input.role == ForumRole::Member {
        require_active_membership(&txn, forum_id, person).await?;
    }
    let previous = existing.as_ref().map(|r| r.role);
    let saved = match previous {
        Some(from) => replace_role(&txn, forum_id, user_id, from, input.role, caller).await?,
        None => forum_role::ActiveModel {
            forum_id: Set(forum_id),
            user_id: Set(user_id),
            role: Set(input.role),
            assigned_by: Set(Some(caller.id())),
            created_at: Set(now),
        }
        .insert(&txn)
        .await
        .or_conflict(|| {
            "this person was given a role in this forum at the same moment; read their \
             role again"
                .into()
        })?,
    };
    let given = events::role(
        forum_id,
        &access.forum.name,
        user_id,
        Some(input.role),
        Some(caller.id()),
    );
    emit(&txn, now, given).await?;
    AuditEvent::by(caller.id(), "role.assigned", EntityKind::ForumRole, user_id)
        .forum(forum_id)
        .changes(json!({"role": {"from": previous, "to": input.role}}))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    let out = RoleOut::new(saved, Some(&named));
    Ok(match previous {
        Some(_) => RoleAssigned::Replaced(out),
        None => RoleAssigned::Given(out),
    })
}

/// Replaces the role `from` the person holds with `to`, in one conditional
/// update: 409 when their role is no longer `from`.
async fn replace_role(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    user_id: Uuid,
    from: ForumRole,
    to: ForumRole,
    caller: &AuthUser,
) -> ApiResult<forum_role::Model> {
    let replaced = forum_role::Entity::update_many()
        .col_expr(forum_role::Column::Role, Expr::value(to.as_str()))
        .col_expr(forum_role::Column::AssignedBy, Expr::value(caller.id()))
        .filter(forum_role::Column::ForumId.eq(forum_id))
        .filter(forum_role::Column::UserId.eq(user_id))
        .filter(forum_role::Column::Role.eq(from))
        .exec_with_returning(conn)
        .await?;
    match replaced.into_iter().next() {
        Some(role) => Ok(role),
        None => Err(match role_now(conn, forum_id, user_id).await? {
            Some(role) => role_became(role),
            None => ApiError::Conflict(
                "this person's role was taken away while your request was being \
                 made; read it again"
                    .into(),
            ),
        }),
    }
}

fn not_a_member_organisation() -> ApiError {
    ApiError::invalid(
        "role",
        "a member must belong to an organisation with an active membership of this forum",
    )
}

/// A `member` speaks for an organisation with an active membership. The
/// membership row is read with a shared lock, so a suspension or departure
/// being decided at the same moment waits for this transaction, and then
/// ends the role given here with the organisation's other member roles.
async fn require_active_membership(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    person: &user::Model,
) -> ApiResult<()> {
    let Some(organisation_id) = person.organisation_id else {
        return Err(not_a_member_organisation());
    };
    let active = forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum_id))
        .filter(forum_membership::Column::OrganisationId.eq(organisation_id))
        .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
        .lock_shared()
        .one(conn)
        .await?;
    match active {
        Some(_) => Ok(()),
        None => Err(not_a_member_organisation()),
    }
}

/// The role the person holds now: read again when the role read is no
/// longer there to replace or remove.
async fn role_now(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    user_id: Uuid,
) -> ApiResult<Option<ForumRole>> {
    Ok(forum_role::Entity::find_by_id((forum_id, user_id))
        .one(conn)
        .await?
        .map(|r| r.role))
}

fn role_became(role: ForumRole) -> ApiError {
    ApiError::Conflict(format!(
        "this person's role became {} while your request was being made; read it again",
        role.as_str()
    ))
}

/// Takes away a person's role in the forum (the same people who may give
/// it). Only the role read is taken away: one changed meanwhile is 409; a
/// person with no role is 404 to officers, and refused as for a real role
/// to anyone else.
pub async fn remove_role(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    user_id: Uuid,
) -> ApiResult<()> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    let existing = forum_role::Entity::find_by_id((forum_id, user_id))
        .one(&state.db)
        .await?;
    let Some(existing) = existing else {
        // Officers learn that there is nothing to remove; others are refused
        // exactly as they would be for a real role.
        access.require(ForumAction::AssignRole(ForumRole::Member))?;
        return Err(no_role());
    };
    access.require(ForumAction::AssignRole(existing.role))?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let removed = forum_role::Entity::delete_many()
        .filter(forum_role::Column::ForumId.eq(forum_id))
        .filter(forum_role::Column::UserId.eq(user_id))
        .filter(forum_role::Column::Role.eq(existing.role))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(match role_now(&txn, forum_id, user_id).await? {
            Some(role) => role_became(role),
            None => no_role(),
        });
    }
    let removed = events::role(
        forum_id,
        &access.forum.name,
        user_id,
        None,
        Some(caller.id()),
    );
    emit(&txn, now, removed).await?;
    AuditEvent::by(caller.id(), "role.removed", EntityKind::ForumRole, user_id)
        .forum(forum_id)
        .changes(json!({"role": {"from": existing.role, "to": null}}))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

fn no_role() -> ApiError {
    ApiError::NotFound("this person has no role in this forum".into())
}
