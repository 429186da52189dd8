//! Reading a meeting's agenda and putting items on it.

use entity::{AgendaItemStatus, Visibility, agenda_item, meeting};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::queries::{
    MAX_ITEMS, agenda_as_read, next_position, replace_links, require_agenda_open,
};
use super::types::{AgendaItemIn, AgendaItemOut, AgendaOut};
use super::types::{check_fields, check_visibility};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::patch::trimmed;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::meetings::events;
use crate::meetings::queries::{MeetingLock, lock_meeting};
use crate::plans::require_own_region;

/// The meeting's agenda (the forum's participants), each item with the
/// `version` to send back in `If-Match` when changing it.
pub async fn agenda(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<AgendaOut> {
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    agenda_as_read(&state.db, &meeting, &access).await
}

/// Proposes an agenda item (members, RPD staff), or adds an accepted one
/// (secretary, chair), at the end of the agenda; 409 when the meeting is
/// cancelled, held, or its agenda is full.
pub async fn add_item(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: AgendaItemIn,
) -> ApiResult<AgendaItemOut> {
    let (_, access) = access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::TakePart)?;
    let mut v = Validator::default();
    check_fields(
        &mut v,
        Some(&input.title),
        Some(&input.description),
        input.presenter.as_deref(),
        input.minutes_allotted,
    );
    let visibility = input.visibility.unwrap_or(Visibility::Public);
    let visibility_reason =
        check_visibility(&mut v, visibility, input.visibility_reason.as_deref());
    v.finish()?;
    let commitment_ids = require_own_region(
        &state.db,
        &access.forum,
        &input.commitment_ids,
        "commitment_ids",
    )
    .await?;
    let accepted = access.allows(ForumAction::RunMeetings);
    let now = state.clock.now();

    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    let count = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .count(&txn)
        .await?;
    if count >= MAX_ITEMS {
        return Err(ApiError::Conflict(format!(
            "an agenda holds at most {MAX_ITEMS} items"
        )));
    }
    let position = if accepted {
        Some(next_position(&txn, id).await?)
    } else {
        None
    };
    let item = agenda_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(id),
        position: Set(position),
        title: Set(trimmed(input.title)),
        description: Set(trimmed(input.description)),
        presenter: Set(input.presenter.map(trimmed)),
        minutes_allotted: Set(input.minutes_allotted),
        status: Set(if accepted {
            AgendaItemStatus::Accepted
        } else {
            AgendaItemStatus::Proposed
        }),
        proposed_by: Set(Some(caller.id())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        carried_over: Set(false),
        outcome: Set(None),
        votes_for: Set(None),
        votes_against: Set(None),
        votes_abstain: Set(None),
        outcome_at: Set(None),
        visibility: Set(visibility),
        visibility_reason: Set(visibility_reason),
    }
    .insert(&txn)
    .await?;
    replace_links(&txn, item.id, &commitment_ids, now).await?;
    if item.status == AgendaItemStatus::Proposed {
        let event =
            events::agenda_item(Kind::AgendaItemProposed, &meeting, &item, Some(caller.id()));
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    let name = Some(caller.user.display_name.clone());
    let out = AgendaItemOut::with_links(item, commitment_ids, name);
    AuditEvent::by(
        caller.id(),
        "agenda-item.added",
        EntityKind::AgendaItem,
        out.id,
    )
    .forum(meeting.forum_id)
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}
