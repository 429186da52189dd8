//! One agenda item: reading it, editing, accepting or declining it, removing it.

use entity::{AgendaItemStatus, agenda_item};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use super::queries::{
    links_of, load_item, next_position, proposer_name, replace_links, require_agenda_open,
    require_carriable,
};
use super::types::{AgendaItemOut, AgendaItemPatch};
use super::types::{check_fields, check_visibility};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch, Saved};
use crate::meetings::events;
use crate::meetings::queries::{MeetingLock, lock_meeting};
use crate::plans::require_own_region;

/// One agenda item (the forum's participants; 404 to anyone else), withheld
/// if the caller may not read it.
pub async fn item(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<AgendaItemOut> {
    let (item, _, access) = load_item(&state.db, id, caller).await?;
    let links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let readable = access.may_read(item.visibility);
    let name = proposer_name(&state.db, &item).await?;
    Ok(AgendaItemOut::as_read(item, links, readable, name))
}

/// Edits, accepts or declines an agenda item (secretary, chair, admins).
/// `status` moves a proposal to `accepted` (placed at the end of the
/// agenda) or `declined`; any other move is 409. A stale `if_match` is
/// 412; without one, the loser of two concurrent changes gets 409 naming
/// the state it found. A change that changes nothing leaves the version
/// as it is.
pub async fn change_item(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut patch: AgendaItemPatch,
    if_match: &IfMatch,
) -> ApiResult<AgendaItemOut> {
    let (item, meeting, access) = load_item(&state.db, id, caller).await?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    check_fields(
        &mut v,
        patch.title.as_deref(),
        patch.description.as_deref(),
        patch.presenter.clone().flatten().as_deref(),
        patch.minutes_allotted.flatten(),
    );
    let visibility_reason = check_visibility(
        &mut v,
        patch.visibility.unwrap_or(item.visibility),
        match &patch.visibility_reason {
            Some(reason) => reason.as_deref(),
            None => item.visibility_reason.as_deref(),
        },
    );
    v.finish()?;
    if_match.check(item.version)?;
    let current_links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let links = match patch.commitment_ids.take() {
        Some(ids) => require_own_region(&state.db, &access.forum, &ids, "commitment_ids").await?,
        None => current_links.clone(),
    };
    let to = patch.status.filter(|s| *s != item.status);
    if let Some(to) = to
        && !item.status.can_become(to)
    {
        return Err(ApiError::transition(
            "agenda item",
            item.status.as_str(),
            to.as_str(),
        ));
    }
    let carried_over = patch.carried_over.filter(|c| *c != item.carried_over);
    if carried_over.is_some() {
        require_carriable(&meeting, &item)?;
    }
    let mut changes = item.clone().into_active_model();
    patch.apply(&mut changes);
    changes.visibility_reason.set_ne(visibility_reason);
    if let Some(carried) = carried_over {
        changes.carried_over = Set(carried);
    }
    let links_change = links != current_links;
    let now = state.clock.now();

    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    if let Some(to) = to {
        changes.status = Set(to);
        changes.position = Set(match to {
            AgendaItemStatus::Accepted => Some(next_position(&txn, meeting.id).await?),
            _ => None,
        });
    }
    // A change of links alone changes the item as the API shows it, so it
    // raises the version too.
    let saved = if links_change && !changes.is_changed() {
        Saved::Changed(versioning::touch::<agenda_item::Entity>(&txn, &item, if_match, now).await?)
    } else {
        versioning::save::<agenda_item::Entity>(&txn, &item, changes, if_match, now).await?
    };
    if links_change {
        replace_links(&txn, id, &links, now).await?;
    }
    let changed = saved.changed();
    let saved = saved.into_inner();
    if item.status == AgendaItemStatus::Proposed && saved.status != AgendaItemStatus::Proposed {
        let event =
            events::agenda_item(Kind::AgendaItemDecided, &meeting, &saved, Some(caller.id()));
        crate::kernel::events::emit(&txn, now, event).await?;
    }
    let name = proposer_name(&txn, &saved).await?;
    let out = AgendaItemOut::with_links(saved, links, name.clone());
    if changed {
        let before = audit::snapshot(&AgendaItemOut::with_links(item, current_links, name))?;
        AuditEvent::by(
            caller.id(),
            "agenda-item.updated",
            EntityKind::AgendaItem,
            id,
        )
        .forum(meeting.forum_id)
        .changes(audit::diff(&before, &audit::snapshot(&out)?))
        .record(&txn, now)
        .await?;
    }
    txn.commit().await?;
    Ok(out)
}

/// Removes an agenda item (secretary, chair, admins); with `if_match`, an
/// item changed since the version sent is not removed (412).
pub async fn remove_item(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    if_match: &IfMatch,
) -> ApiResult<()> {
    let (item, meeting, access) = load_item(&state.db, id, caller).await?;
    access.require(ForumAction::RunMeetings)?;
    if_match.check(item.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    // Only the version this request read (and checked against If-Match) is removed.
    let removed = agenda_item::Entity::delete_many()
        .filter(agenda_item::Column::Id.eq(id))
        .filter(agenda_item::Column::Version.eq(item.version))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        let now_there = agenda_item::Entity::find_by_id(id).one(&txn).await?;
        return Err(match now_there {
            None => ApiError::not_found("agenda item"),
            Some(found) if if_match.sent() => ApiError::PreconditionFailed(format!(
                "the item has changed since you read it; it is now at ETag \"{}\"",
                found.version
            )),
            Some(_) => ApiError::Conflict(
                "this agenda item was changed by someone else while your request was being \
                 made; read it again and retry"
                    .into(),
            ),
        });
    }
    AuditEvent::by(
        caller.id(),
        "agenda-item.removed",
        EntityKind::AgendaItem,
        id,
    )
    .forum(meeting.forum_id)
    .changes(audit::snapshot(&AgendaItemOut::from(item))?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(())
}
