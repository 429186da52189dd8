//! What an officer editing the minutes is shown, decided where the writes
//! are decided: whether they may edit at all, the minutes as they stand,
//! the agenda items a section may record, and which of the next steps
//! (drafting from the agenda, approving) the operations would allow, so
//! that a face never offers what an operation would refuse.

use entity::{MeetingStatus, MinutesStatus, Visibility, meeting};
use uuid::Uuid;

use super::approve::forum_has_chair;
use super::queries::{minutes_of, read_as};
use super::sections;
use super::types::MinutesOut;
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;

/// An agenda item a section may record.
#[derive(Debug, Clone)]
pub struct AgendaLine {
    pub id: Uuid,
    pub title: String,
    pub visibility: Visibility,
}

#[derive(Debug)]
pub struct Editing {
    pub meeting: meeting::Model,
    pub forum_name: String,
    /// The minutes as they stand; `None` before the first draft.
    pub minutes: Option<MinutesOut>,
    pub agenda: Vec<AgendaLine>,
    /// Minutes may be drafted from the agenda: the meeting is held and has
    /// none yet.
    pub may_draft_from_agenda: bool,
    /// The caller may approve them now: theirs to approve (the chair, or
    /// the secretary where there is none), the meeting held, a draft kept.
    pub may_approve: bool,
}

/// The minutes of a meeting as its editor (secretary, chair, admins) reads
/// them: 404 for those who may not see the meeting, 403 for its other
/// participants. Approved minutes are given as they are: read-only, as
/// `write` keeps them.
pub async fn editing(state: &AppState, caller: &AuthUser, meeting_id: Uuid) -> ApiResult<Editing> {
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, meeting_id, Some(caller)).await?;
    access.require(ForumAction::DraftMinutes)?;
    let held = meeting.status == MeetingStatus::Held;
    let minutes = match minutes_of(&state.db, meeting_id).await? {
        Some(m) => Some(read_as(&state.db, m, &meeting, &access).await?),
        None => None,
    };
    let draft = minutes
        .as_ref()
        .is_some_and(|m| m.status == MinutesStatus::Draft);
    let may_approve = held
        && draft
        && access.allows(ForumAction::ApproveMinutes {
            forum_has_chair: forum_has_chair(&state.db, meeting.forum_id).await?,
        });
    let mut agenda: Vec<AgendaLine> = sections::agenda_of(&state.db, meeting_id)
        .await?
        .into_values()
        .map(|item| AgendaLine {
            id: item.id,
            title: item.title,
            visibility: item.visibility,
        })
        .collect();
    agenda.sort_by_key(|line| line.id);
    Ok(Editing {
        may_draft_from_agenda: held && minutes.is_none(),
        may_approve,
        forum_name: access.forum.name.clone(),
        meeting,
        minutes,
        agenda,
    })
}
