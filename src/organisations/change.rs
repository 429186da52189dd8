//! Editing an organisation's profile.

use std::collections::BTreeSet;

use entity::organisation;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::create::charity_number_taken;
use super::queries;
use super::types::{OrganisationOut, OrganisationPatch};
use crate::kernel::access::{self, AuthUser};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;

/// Edits an organisation (its own people and admins; 403 otherwise). Lists
/// given are replaced whole, and rewritten only when they differ from what
/// is stored; a change that changes nothing writes nothing. Another
/// organisation's charity number is 409.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut patch: OrganisationPatch,
) -> ApiResult<OrganisationOut> {
    patch.validate()?;
    let Some(org) = organisation::Entity::find_by_id(id).one(&state.db).await? else {
        return Err(ApiError::not_found("organisation"));
    };
    access::require_organisation_editor(caller, id)?;
    let before = queries::find(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    // Lists are rewritten only when they differ from what is stored.
    let region_ids = match patch.regions_served.take() {
        Some(codes) => {
            let ids = queries::region_ids(&state.db, &codes).await?;
            (!same_set(&codes, &before.regions_served)).then_some(ids)
        }
        None => None,
    };
    let led_by_and_for = patch
        .led_by_and_for
        .take()
        .filter(|given| !same_set(given, &before.led_by_and_for));
    let themes = patch
        .themes
        .take()
        .filter(|given| !same_set(given, &before.themes));
    let mut changes = org.into_active_model();
    patch.apply(&mut changes);
    if !changes.is_changed() && led_by_and_for.is_none() && themes.is_none() && region_ids.is_none()
    {
        return Ok(before);
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    changes
        .update(&txn)
        .await
        .or_conflict(charity_number_taken)?;
    queries::replace_children(
        &txn,
        id,
        led_by_and_for.as_deref(),
        themes.as_deref(),
        region_ids.as_deref(),
    )
    .await?;
    let out = queries::find(&txn, id)
        .await?
        .ok_or_else(|| ApiError::internal("organisation vanished inside its own transaction"))?;
    let changes = audit::diff(&audit::snapshot(&before)?, &audit::snapshot(&out)?);
    AuditEvent::by(
        caller.id(),
        "organisation.updated",
        EntityKind::Organisation,
        id,
    )
    .changes(changes)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Whether a list given holds exactly the values stored (order and repeats aside).
fn same_set<T: Ord + Clone>(given: &[T], stored: &[T]) -> bool {
    let given: BTreeSet<T> = given.iter().cloned().collect();
    let stored: BTreeSet<T> = stored.iter().cloned().collect();
    given == stored
}
