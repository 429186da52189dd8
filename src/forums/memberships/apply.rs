//! Applying to join a forum, for an organisation.

use entity::{MembershipStatus, forum_membership};
use sea_orm::{ActiveModelTrait, DbErr, Set, SqlErr};
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::queries;
use super::types::{MembershipIn, MembershipOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{Kind, emit};
use crate::kernel::state::AppState;
use crate::organisations::{self, OrganisationOut};

/// Applies to join the forum for the caller's organisation (admins for any,
/// named by `organisation_id`). An organisation has at most one open
/// (applied, active or suspended) membership of a forum: the partial unique
/// index of open memberships decides, and a second is 409 naming the state
/// of the one it has, also when both are made at the same moment. After a
/// rejection or leaving, it may apply again.
pub async fn apply(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: MembershipIn,
) -> ApiResult<MembershipOut> {
    input.validate()?;
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    let Some(organisation_id) = input.organisation_id.or(caller.user.organisation_id) else {
        return Err(ApiError::invalid(
            "organisation_id",
            "you belong to no organisation: register yours first",
        ));
    };
    access.require(ForumAction::ApplyForMembership { organisation_id })?;
    let Some(org) = organisations::find(&state.db, organisation_id).await? else {
        return Err(ApiError::invalid(
            "organisation_id",
            "no organisation has this id",
        ));
    };
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let inserted = forum_membership::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        organisation_id: Set(organisation_id),
        status: Set(MembershipStatus::Applied),
        statement: Set(input.statement.trim().to_string()),
        status_reason: Set(None),
        applied_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await;
    let membership = match inserted {
        Err(err) if is_unique_violation(&err) => {
            // The transaction is spent (PostgreSQL aborts it); the one that
            // stands in the way is read outside it.
            txn.rollback().await?;
            return Err(already_open(state, forum_id, &org).await?);
        }
        other => other?,
    };
    let event = events::membership(
        Kind::MembershipApplied,
        &membership,
        &org.name,
        Some(caller.id()),
    );
    emit(&txn, now, event).await?;
    AuditEvent::by(caller.id(), "membership.applied", EntityKind::Membership, membership.id)
            .forum(forum_id)
            .changes(json!({"organisation_id": organisation_id, "status": "applied", "statement": membership.statement}))
.record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(MembershipOut::full(membership, &org))
}

fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// The conflict of the unique index of open memberships, naming the
/// organisation and the state of the membership it has.
async fn already_open(
    state: &AppState,
    forum_id: Uuid,
    org: &OrganisationOut,
) -> ApiResult<ApiError> {
    let detail = match queries::open_membership(&state.db, forum_id, org.id).await? {
        Some(open) => format!(
            "{} already has a membership of this forum that is {}",
            org.name,
            open.status.as_str()
        ),
        // Closed again between the conflict and this read.
        None => format!(
            "{} applied to this forum at the same moment; read its memberships again",
            org.name
        ),
    };
    Ok(ApiError::Conflict(detail))
}
