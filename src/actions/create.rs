//! Recording an action.

use entity::{ActionStatus, action_commitment, action_item};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use super::events;
use super::queries::check_references;
use super::types::{ActionIn, ActionNames, ActionOut, check_action};
use crate::counters::{self, ActionFacts};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::names::{Names, People};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::plans::require_own_region;

/// Records an action of the forum (members, officers, RPD staff). Linked
/// commitments must come from a plan of the forum's own region (422).
pub async fn create(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: ActionIn,
) -> ApiResult<ActionOut> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::TakePart)?;
    record(state, caller, &access, input, None).await
}

/// Makes an action of the access's forum — the caller's right to has been
/// checked by whoever asks (creating one, or recording an agenda item's
/// outcome) — optionally agreed on an agenda item: its links checked, its
/// counters, notification and audit entry in its one transaction.
pub async fn record(
    state: &AppState,
    caller: &AuthUser,
    access: &ForumAccess,
    input: ActionIn,
    agenda_item_id: Option<Uuid>,
) -> ApiResult<ActionOut> {
    let forum_id = access.forum.id;
    let mut v = Validator::default();
    check_action(&mut v, Some(&input.title), Some(&input.description));
    v.finish()?;
    check_references(
        &state.db,
        forum_id,
        input.meeting_id,
        input.owner_organisation_id,
        input.owner_user_id,
    )
    .await?;
    let commitment_ids = require_own_region(
        &state.db,
        &access.forum,
        &input.commitment_ids,
        "commitment_ids",
    )
    .await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let action = action_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        meeting_id: Set(input.meeting_id),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        owner_organisation_id: Set(input.owner_organisation_id),
        owner_user_id: Set(input.owner_user_id),
        due_on: Set(input.due_on),
        status: Set(ActionStatus::Open),
        completed_at: Set(None),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
        agenda_item_id: Set(agenda_item_id),
    }
    .insert(&txn)
    .await?;
    if !commitment_ids.is_empty() {
        action_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            action_commitment::ActiveModel {
                action_id: Set(action.id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    counters::actions_linked(
        &txn,
        action.id,
        ActionFacts::of(&action),
        &commitment_ids,
        1,
    )
    .await?;
    if events::has_owner(&action) {
        crate::kernel::events::emit(&txn, now, events::assigned(&action, Some(caller.id())))
            .await?;
    }
    let names = Names::load(
        &txn,
        People::of_participants(),
        [action.owner_user_id, action.created_by],
        [action.owner_organisation_id],
    )
    .await?;
    let names = ActionNames::among(&names, &action);
    let out = ActionOut::new(action, names, commitment_ids, now.date_naive());
    AuditEvent::by(caller.id(), "action.created", EntityKind::Action, out.id)
        .forum(forum_id)
        .changes(audit::snapshot(&out)?)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
