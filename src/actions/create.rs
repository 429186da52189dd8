//! Recording an action.

use chrono::{DateTime, Utc};
use entity::{ActionStatus, action_commitment, action_item, forum};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set};
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
    record(state, caller, &access, input).await
}

/// Makes an action of the access's forum, the caller's right to having
/// been checked by whoever asks: its rules, then the action with its
/// counters, notification and audit entry in its one transaction.
async fn record(
    state: &AppState,
    caller: &AuthUser,
    access: &ForumAccess,
    input: ActionIn,
) -> ApiResult<ActionOut> {
    let mut v = Validator::default();
    let commitment_ids = check_new(&state.db, &mut v, &access.forum, &input, "").await?;
    v.finish()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let out = insert(
        &txn,
        caller,
        access.forum.id,
        input,
        &commitment_ids,
        None,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// The rules of any new action of the forum — its text, its meeting and
/// owners of this forum, its commitments of the forum's region's plans —
/// every field that breaks one added to `v`, named under `prefix` (`""`,
/// or `actions[0].` for one of several). Gives its commitments, each once.
pub async fn check_new(
    conn: &impl ConnectionTrait,
    v: &mut Validator,
    forum: &forum::Model,
    input: &ActionIn,
    prefix: &str,
) -> ApiResult<Vec<Uuid>> {
    let mut own = Validator::default();
    check_action(&mut own, Some(&input.title), Some(&input.description));
    v.gather(own.finish(), prefix)?;
    let references = check_references(
        conn,
        forum.id,
        input.meeting_id,
        input.owner_organisation_id,
        input.owner_user_id,
    )
    .await;
    v.gather(references, prefix)?;
    let commitments =
        require_own_region(conn, forum, &input.commitment_ids, "commitment_ids").await;
    Ok(v.gather(commitments, prefix)?.unwrap_or_default())
}

/// Writes an action whose rules [`check_new`] has checked, in the
/// caller's transaction — optionally agreed on an agenda item — with its
/// links, the report's counters, the owner's notification and its audit
/// entry.
pub async fn insert(
    txn: &DatabaseTransaction,
    caller: &AuthUser,
    forum_id: Uuid,
    input: ActionIn,
    commitment_ids: &[Uuid],
    agenda_item_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> ApiResult<ActionOut> {
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
    .insert(txn)
    .await?;
    if !commitment_ids.is_empty() {
        action_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            action_commitment::ActiveModel {
                action_id: Set(action.id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    counters::actions_linked(txn, action.id, ActionFacts::of(&action), commitment_ids, 1).await?;
    if events::has_owner(&action) {
        crate::kernel::events::emit(txn, now, events::assigned(&action, Some(caller.id()))).await?;
    }
    let names = Names::load(
        txn,
        People::of_participants(),
        [action.owner_user_id, action.created_by],
        [action.owner_organisation_id],
    )
    .await?;
    let names = ActionNames::among(&names, &action);
    let out = ActionOut::new(action, names, commitment_ids.to_vec(), now.date_naive());
    AuditEvent::by(caller.id(), "action.created", EntityKind::Action, out.id)
        .forum(forum_id)
        .changes(audit::snapshot(&out)?)
        .record(txn, now)
        .await?;
    Ok(out)
}
