//! An action as its own page reads it: the action with its names, the
//! caller's access to its forum (what they may do to it), the meeting and
//! agenda item it was agreed at, the commitments it serves, and the newest
//! of its progress log — a few statements, whatever its size.

use chrono::{DateTime, Utc};
use entity::{action_item, agenda_item, meeting};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::progress::latest_progress;
use super::queries::read_one;
use super::types::{ActionOut, UpdateOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction, visible_to};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::plans::{CommitmentLabel, commitment_labels};

pub struct ActionDetail {
    pub action: ActionOut,
    pub access: ForumAccess,
    /// Whether the caller may log progress, move its status and link it.
    pub may_update: bool,
    pub origin: Option<Origin>,
    /// The commitments it is work towards, by reference.
    pub commitments: Vec<CommitmentLabel>,
    /// The newest notes of its log, newest first.
    pub log: Vec<UpdateOut>,
    /// Whether the log has older notes than those given.
    pub older: bool,
}

/// The meeting an action was agreed at, and the agenda item.
pub struct Origin {
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub starts_at: DateTime<Utc>,
    pub item: Option<OriginItem>,
}

pub enum OriginItem {
    /// An item the caller may read: its id and title.
    Named(Uuid, String),
    /// A confidential item the caller may not read: said to be there,
    /// never named.
    Withheld,
}

/// One action with what its page shows (the forum's participants; 404 to
/// anyone else), with at most `log_limit` notes of its log.
pub async fn detail(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    log_limit: u64,
) -> ApiResult<ActionDetail> {
    let row = read_one(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("action"))?;
    let access = visible_to::<action_item::Entity>(&state.db, row.action(), Some(caller)).await?;
    let model = row.action().clone();
    let action = ActionOut::listed(row, state.clock.now().date_naive());
    let origin = origin(state, &access, &model).await?;
    let commitments = commitment_labels(&state.db, &action.commitment_ids).await?;
    let (log, older) = latest_progress(&state.db, id, log_limit).await?;
    Ok(ActionDetail {
        may_update: access.allows(ForumAction::UpdateAction {
            owner_organisation_id: action.owner_organisation_id,
        }),
        action,
        access,
        origin,
        commitments,
        log,
        older,
    })
}

/// Where the action was agreed: its agenda item's meeting (the item named
/// only to who may read it), or the meeting it names. None when neither.
async fn origin(
    state: &AppState,
    access: &ForumAccess,
    action: &action_item::Model,
) -> ApiResult<Option<Origin>> {
    let item = match action.agenda_item_id {
        Some(id) => agenda_item::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    let Some(meeting_id) = item.as_ref().map(|i| i.meeting_id).or(action.meeting_id) else {
        return Ok(None);
    };
    let Some(meeting) = meeting::Entity::find_by_id(meeting_id)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(Origin {
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        starts_at: meeting.starts_at,
        item: item.map(|i| match access.may_read(i.visibility) {
            true => OriginItem::Named(i.id, i.title),
            false => OriginItem::Withheld,
        }),
    }))
}
