//! Deciding on a membership: approving or rejecting an application,
//! suspending, reinstating, leaving.

use axum::extract::State;
use entity::MembershipStatus;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{self, Move};
use super::types::{MembershipChange, MembershipOut};
use crate::http::extract::{Json, Path};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::state::AppState;
use crate::organisations;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_membership))
}

/// Move a membership along its state machine.
///
/// Secretaries, chairs and admins approve (`active`) or reject an application,
/// suspend an active membership (with a reason) and reinstate a suspended one;
/// the organisation itself may leave (`left`). Any other move is 409.
/// Suspending or leaving ends the `member` roles of the organisation's people
/// in this forum, in the same step. The move is made only from the state
/// read: of several decisions made at the same moment, one is made and the
/// others are 409, naming the state they found.
#[utoipa::path(
    patch,
    path = "/forums/{id}/memberships/{membership_id}",
    tag = "memberships",
    params(
        ("id" = Uuid, Path, description = "Forum id"),
        ("membership_id" = Uuid, Path, description = "Membership id"),
    ),
    request_body = MembershipChange,
    responses(
        (status = 200, description = "The membership as it now is", body = MembershipOut),
        (status = 404, description = "No such forum or membership", body = crate::http::problem::Problem),
        (status = 409, description = "That move is not allowed from the current state, or the membership changed meanwhile", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn change_membership(
    State(state): State<AppState>,
    user: AuthUser,
    Path((forum_id, membership_id)): Path<(Uuid, Uuid)>,
    Json(change): Json<MembershipChange>,
) -> ApiResult<Json<MembershipOut>> {
    change.validate()?;
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
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
    let event = Event::membership(
        Kind::MembershipDecided,
        &updated,
        &org.name,
        Some(user.id()),
    );
    events::emit(&txn, now, event).await?;
    let roles_ended = if matches!(
        change.status,
        MembershipStatus::Suspended | MembershipStatus::Left
    ) {
        queries::end_member_roles(&txn, forum_id, organisation_id).await?
    } else {
        0
    };
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "membership.status-changed",
            EntityKind::Membership,
            membership_id,
        )
        .forum(forum_id)
        .changes(json!({
            "status": {"from": from.as_str(), "to": updated.status.as_str()},
            "status_reason": updated.status_reason,
            "member_roles_ended": roles_ended,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(MembershipOut::full(updated, &org)))
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
