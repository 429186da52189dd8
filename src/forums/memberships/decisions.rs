//! Deciding on a membership: approving or rejecting an application,
//! suspending, reinstating, leaving.

use entity::MembershipStatus;
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::queries::{self, Move};
use super::types::{MembershipChange, MembershipOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{Kind, emit};
use crate::kernel::state::AppState;
use crate::organisations;

/// Moves a membership along its state machine (`MembershipStatus::can_become`,
/// 409 otherwise): officers and admins decide, the organisation itself may
/// leave. Suspending or leaving ends the `member` roles of the
/// organisation's people in this forum, in the same step. The move is made
/// only from the state read: of several decisions made at the same moment,
/// one is made and the others are 409, naming the state they found.
pub async fn decide(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    membership_id: Uuid,
    change: MembershipChange,
) -> ApiResult<MembershipOut> {
    change.validate()?;
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    let membership = queries::find_in_forum(&state.db, forum_id, membership_id)
        .await?
        .ok_or_else(|| ApiError::not_found("membership"))?;
    let organisation_id = membership.organisation_id;
    access.require(match change.status {
        MembershipStatus::Left => ForumAction::LeaveForum { organisation_id },
        _ => ForumAction::DecideMembership,
    })?;
    let from = membership.status;
    if !from.can_become(change.status) {
        return Err(ApiError::transition(
            "membership",
            from.as_str(),
            change.status.as_str(),
        ));
    }
    let org = organisations::find(&state.db, organisation_id)
        .await?
        .ok_or_else(|| ApiError::not_found("membership"))?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let moved = queries::move_status(
        &txn,
        Move {
            forum_id,
            membership_id,
            from,
            to: change.status,
            reason: change.reason.map(|r| r.trim().to_string()),
        },
        now,
    )
    .await?;
    let Some(updated) = moved else {
        return Err(lost_race(&txn, forum_id, membership_id).await?);
    };
    let event = events::membership(
        Kind::MembershipDecided,
        &updated,
        &org.name,
        Some(caller.id()),
    );
    emit(&txn, now, event).await?;
    let roles_ended = if matches!(
        change.status,
        MembershipStatus::Suspended | MembershipStatus::Left
    ) {
        queries::end_member_roles(&txn, forum_id, organisation_id).await?
    } else {
        0
    };
    AuditEvent::by(
        caller.id(),
        "membership.status-changed",
        EntityKind::Membership,
        membership_id,
    )
    .forum(forum_id)
    .changes(json!({
        "status": {"from": from.as_str(), "to": updated.status.as_str()},
        "status_reason": updated.status_reason,
        "member_roles_ended": roles_ended,
    }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(MembershipOut::full(updated, &org))
}

/// The answer for a decision whose conditional update matched no row: the
/// membership was moved (or removed) between this request's read and its write.
async fn lost_race(
    conn: &impl sea_orm::ConnectionTrait,
    forum_id: Uuid,
    membership_id: Uuid,
) -> ApiResult<ApiError> {
    Ok(
        match queries::find_in_forum(conn, forum_id, membership_id).await? {
            None => ApiError::not_found("membership"),
            Some(found) => ApiError::Conflict(format!(
                "this membership became {} while your request was being made; read it again",
                found.status.as_str()
            )),
        },
    )
}
