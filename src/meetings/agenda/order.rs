//! Putting a meeting's accepted items in order.

use std::collections::{HashMap, HashSet};

use entity::{AgendaItemStatus, agenda_item, meeting};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::queries::{MAX_ITEMS, agenda_as_read, require_agenda_open};
use super::types::{AgendaOrderIn, AgendaOut};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::queries::{MeetingLock, lock_meeting};

async fn accepted_items(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> ApiResult<Vec<agenda_item::Model>> {
    Ok(agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::Status.eq(AgendaItemStatus::Accepted))
        .all(conn)
        .await?)
}

/// Whether `given` names exactly these items, each once.
fn names_exactly(given: &[Uuid], items: &[agenda_item::Model]) -> bool {
    let mut given = given.to_vec();
    let mut ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    given.sort();
    ids.sort();
    given == ids
}

/// Puts the meeting's accepted items in order (secretary, chair, admins).
/// The list must hold every accepted item exactly once (422 otherwise);
/// each item whose place changes gets a new version. Two orders sent at
/// once are applied one after the other, each whole: the agenda ends in
/// the order of the later one, never a mix of both.
pub async fn order_agenda(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: AgendaOrderIn,
) -> ApiResult<AgendaOut> {
    let (_, access) = access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    let distinct: HashSet<&Uuid> = input.item_ids.iter().collect();
    if input.item_ids.len() as u64 > MAX_ITEMS || distinct.len() != input.item_ids.len() {
        return Err(ApiError::invalid(
            "item_ids",
            "must list every accepted item of this meeting exactly once",
        ));
    }
    if !names_exactly(&input.item_ids, &accepted_items(&state.db, id).await?) {
        return Err(ApiError::invalid(
            "item_ids",
            "must list every accepted item of this meeting exactly once",
        ));
    }
    let now = state.clock.now();

    let txn = begin_write(&state.db).await?;
    // The meeting's row is locked before the items are read (see the module
    // above): a second reorder waits here until this one has committed, then
    // reads the positions this one wrote and writes its own whole order. Each
    // item's write is still conditional on the version read under the lock.
    let meeting = lock_meeting(&txn, id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    let mut items = accepted_items(&txn, id).await?;
    items.sort_by_key(|i| (i.position, i.id));
    if let Some(read) = &input.read_order
        && !items.iter().map(|i| i.id).eq(read.iter().copied())
    {
        return Err(ApiError::Conflict(
            "the agenda's order has changed since you read it; read the agenda again".into(),
        ));
    }
    if !names_exactly(&input.item_ids, &items) {
        return Err(ApiError::Conflict(
            "the meeting's accepted items changed while your request was being made; \
             read the agenda again"
                .into(),
        ));
    }
    let by_id: HashMap<Uuid, &agenda_item::Model> = items.iter().map(|i| (i.id, i)).collect();
    let mut moved = Vec::new();
    for (index, item_id) in input.item_ids.iter().enumerate() {
        let position = Some(i32::try_from(index + 1).unwrap_or(i32::MAX));
        let Some(item) = by_id.get(item_id).copied() else {
            continue;
        };
        if item.position == position {
            continue;
        }
        let mut changes = item.clone().into_active_model();
        changes.position.set_ne(position);
        versioning::save::<agenda_item::Entity>(&txn, item, changes, &IfMatch::none(), now).await?;
        moved.push(item.id);
    }
    if !moved.is_empty() {
        AuditEvent::by(caller.id(), "agenda.reordered", EntityKind::Meeting, id)
            .forum(meeting.forum_id)
            .changes(json!({"item_ids": input.item_ids, "moved": moved}))
            .record(&txn, now)
            .await?;
    }
    let out = agenda_as_read(&txn, &meeting, &access).await?;
    txn.commit().await?;
    Ok(out)
}
