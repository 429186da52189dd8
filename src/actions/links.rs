//! Tying actions to the plan commitments they are work towards.

use entity::{action_commitment, action_item};
use sea_orm::{EntityTrait, Set, TryInsertResult};
use serde_json::json;
use uuid::Uuid;

use super::read::out;
use super::types::ActionOut;
use crate::counters::{self, ActionFacts};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};
use crate::plans::commitment_regions;

/// Ties an action to a commitment of its region's plans (officers, and the
/// members of the organisation that owns the action). Another region's
/// commitment is 422. A new link raises the action's version; linking
/// again changes nothing.
pub async fn link(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    commitment_id: Uuid,
    if_match: &IfMatch,
) -> ApiResult<ActionOut> {
    let (action, access) =
        access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    match commitment_regions(&state.db, &access.forum, &[commitment_id])
        .await?
        .get(&commitment_id)
    {
        None => return Err(ApiError::not_found("commitment")),
        Some(false) => {
            return Err(ApiError::invalid(
                "commitment_id",
                "belongs to another region's plan; actions are tied to their own region's commitments",
            ));
        }
        Some(true) => {}
    }
    if_match.check(action.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let inserted = action_commitment::Entity::insert(action_commitment::ActiveModel {
        action_id: Set(id),
        commitment_id: Set(commitment_id),
        created_at: Set(now),
    })
    .on_conflict_do_nothing_on([
        action_commitment::Column::ActionId,
        action_commitment::Column::CommitmentId,
    ])
    .exec_without_returning(&txn)
    .await?;
    if matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        let touched =
            versioning::touch::<action_item::Entity>(&txn, &action, if_match, now).await?;
        counters::actions_linked(&txn, id, ActionFacts::of(&touched), &[commitment_id], 1).await?;
        AuditEvent::by(
            caller.id(),
            "action.commitment-linked",
            EntityKind::Action,
            id,
        )
        .forum(touched.forum_id)
        .changes(json!({"commitment_id": commitment_id, "version": touched.version}))
        .record(&txn, now)
        .await?;
    }
    txn.commit().await?;
    out(state, id).await
}

/// Unties an action from a commitment; the action's version rises (404
/// when they are not tied). Returns the version the action is now at.
pub async fn unlink(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    commitment_id: Uuid,
    if_match: &IfMatch,
) -> ApiResult<i32> {
    let (action, access) =
        access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    if_match.check(action.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let removed = action_commitment::Entity::delete_by_id((id, commitment_id))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(ApiError::NotFound(
            "this action is not linked to that commitment".into(),
        ));
    }
    let touched = versioning::touch::<action_item::Entity>(&txn, &action, if_match, now).await?;
    counters::actions_linked(&txn, id, ActionFacts::of(&touched), &[commitment_id], -1).await?;
    AuditEvent::by(
        caller.id(),
        "action.commitment-unlinked",
        EntityKind::Action,
        id,
    )
    .forum(touched.forum_id)
    .changes(json!({"commitment_id": commitment_id, "version": touched.version}))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(touched.version)
}
