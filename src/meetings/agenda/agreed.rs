//! Actions agreed on an item of a held meeting: alone, or with its
//! outcome ([`super::outcomes::record_outcome`]), under the same rules.

use chrono_tz::Europe::London;
use entity::{AgendaItemStatus, MeetingStatus, agenda_item, forum, meeting};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::queries::load_item;
use crate::actions::{self, ActionIn, ActionOut};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::meetings::queries::{MeetingLock, lock_meeting};

/// 409 unless the item is on the agenda of a meeting that has been held.
pub(super) fn require_held(
    meeting: &meeting::Model,
    item: &agenda_item::Model,
    refusal: &str,
) -> ApiResult<()> {
    if meeting.status != MeetingStatus::Held || item.status != AgendaItemStatus::Accepted {
        return Err(ApiError::Conflict(refusal.into()));
    }
    Ok(())
}

pub(super) const OUTCOMES_ONCE_HELD: &str =
    "outcomes are recorded for items on the agenda of a meeting that has been held";
const ACTIONS_ONCE_HELD: &str =
    "actions are agreed on items of the agenda of a meeting that has been held";

/// The rules of an action agreed on an item, beyond those of any action
/// ([`actions::check_new`], also checked here): it belongs to the item's
/// meeting, has an owner (an organisation or a person), and is not due
/// before the day the meeting was held. Every field that breaks one is
/// added to `v`, named under `prefix`. Names the meeting on the action;
/// gives its commitments, each once.
pub(super) async fn check_agreed(
    conn: &impl ConnectionTrait,
    v: &mut Validator,
    forum: &forum::Model,
    meeting: &meeting::Model,
    input: &mut ActionIn,
    prefix: &str,
) -> ApiResult<Vec<Uuid>> {
    let field = |name: &str| format!("{prefix}{name}");
    v.check(
        input.meeting_id.is_none_or(|m| m == meeting.id),
        &field("meeting_id"),
        "must be the item's meeting, or left out",
    );
    // The meeting agreed someone would do it: an action nobody owns would
    // be agreed by no one.
    v.check(
        input.owner_organisation_id.is_some() || input.owner_user_id.is_some(),
        &field("owner_organisation_id"),
        "is required: an action agreed at a meeting needs an owner (an organisation or a person)",
    );
    let held_on = meeting.starts_at.with_timezone(&London).date_naive();
    v.check(
        input.due_on.is_none_or(|due| due >= held_on),
        &field("due_on"),
        &format!(
            "must not be before the meeting that agreed it, on {}",
            held_on.format("%-d %B %Y")
        ),
    );
    input.meeting_id = Some(meeting.id);
    actions::check_new(conn, v, forum, input, prefix).await
}

/// Records an action agreed on an agenda item (the forum's officers, once
/// the meeting is held): the rules of any action of the forum, and it
/// belongs to the item's meeting and names the item, has an owner (an
/// organisation or a person) and is not due before the meeting (422
/// otherwise, every such field named at once). 409 before the meeting is
/// held, or for an item not on its agenda.
pub async fn agree_action(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut input: ActionIn,
) -> ApiResult<ActionOut> {
    let (item, meeting, access) = load_item(&state.db, id, caller).await?;
    access.require(ForumAction::RunMeetings)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
    require_held(&meeting, &item, ACTIONS_ONCE_HELD)?;
    let mut v = Validator::default();
    let commitment_ids =
        check_agreed(&txn, &mut v, &access.forum, &meeting, &mut input, "").await?;
    v.finish()?;
    let out = actions::insert(
        &txn,
        caller,
        meeting.forum_id,
        input,
        &commitment_ids,
        Some(id),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}
