//! Changing an action: its details, its owners, its status.

use entity::action_item;
use sea_orm::IntoActiveModel;
use uuid::Uuid;

use super::events;
use super::queries::{check_references, commitment_ids_of, move_status};
use super::types::{ActionNames, ActionOut, ActionPatch, check_action};
use crate::counters::{self, ActionFacts};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::events::Kind;
use crate::kernel::names::{Names, People};
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Changes an action (officers, and the members of the organisation that
/// owns it). Status moves follow `open → in-progress → done`, any open state
/// → `blocked | cancelled`, `blocked → in-progress` (409 otherwise), and
/// `completed_at` is set when it is done. The write is conditional on the
/// version read (and on `if_match`, 412 when stale); a change that changes
/// nothing leaves the version as it is.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: ActionPatch,
    if_match: &IfMatch,
) -> ApiResult<ActionOut> {
    let (action, access) =
        access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    let mut v = Validator::default();
    check_action(&mut v, patch.title.as_deref(), patch.description.as_deref());
    v.finish()?;
    if_match.check(action.version)?;
    check_references(
        &state.db,
        action.forum_id,
        patch.meeting_id.flatten(),
        patch.owner_organisation_id.flatten(),
        patch.owner_user_id.flatten(),
    )
    .await?;
    let links = commitment_ids_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let now = state.clock.now();
    let mut changes = action.clone().into_active_model();
    if let Some(to) = patch.status {
        move_status(&mut changes, action.status, to, now)?;
    }
    patch.apply(&mut changes);
    let today = now.date_naive();
    let txn = begin_write(&state.db).await?;
    let saved =
        versioning::save::<action_item::Entity>(&txn, &action, changes, if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    counters::action_changed(&txn, id, ActionFacts::of(&action), ActionFacts::of(&saved)).await?;
    let owners_changed = action.owner_organisation_id != saved.owner_organisation_id
        || action.owner_user_id != saved.owner_user_id;
    let told = if owners_changed && events::has_owner(&saved) {
        Some(events::assigned(&saved, Some(caller.id())))
    } else if action.status != saved.status {
        let moved = events::moved(
            Kind::ActionMoved,
            action.status,
            &saved,
            Some(caller.id()),
            None,
        );
        Some(moved)
    } else {
        None
    };
    if let Some(event) = told {
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    // The names of the owners before and after, for the answer and the trail.
    let names = Names::load(
        &txn,
        People::of_participants(),
        [action.owner_user_id, saved.owner_user_id, saved.created_by],
        [action.owner_organisation_id, saved.owner_organisation_id],
    )
    .await?;
    let now_named = ActionNames::among(&names, &saved);
    let out = ActionOut::new(saved, now_named, links.clone(), today);
    if changed {
        let was_named = ActionNames::among(&names, &action);
        let before = audit::snapshot(&ActionOut::new(action, was_named, links, today))?;
        AuditEvent::by(caller.id(), "action.updated", EntityKind::Action, id)
            .forum(out.forum_id)
            .changes(audit::diff(&before, &audit::snapshot(&out)?))
            .record(&txn, now)
            .await?;
    }
    txn.commit().await?;
    Ok(out)
}
