//! The forum officers' scheduling pages: the forum's meetings, one
//! meeting or a series scheduled, a meeting edited (or its series from it
//! on), a meeting or a series cancelled. Each calls the operation the API
//! calls; times are typed on London's clock and given to the operations as
//! the API takes them.

pub mod cancel;
pub mod edit;
pub mod list;
pub mod new_meeting;
pub mod new_series;
mod when;

use uuid::Uuid;

use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::meetings::{self, MeetingOut};
use crate::web::error::PageError;
use crate::web::forms::{Field, Kind};
use crate::web::i18n::Text;

/// A field of these pages, labelled by its own message
/// (`scheduling-field-…`).
fn field(text: &Text, name: &'static str, kind: Kind) -> Field {
    let mut field = Field::plain(text, name, kind);
    field.label = text.get(&format!("scheduling-field-{}", name.replace('_', "-")));
    field
}

/// The forum, for one who may run its meetings: a participant who may not
/// gets the 403 page, anyone else what the API gives.
async fn officer_of(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
) -> Result<ForumAccess, PageError> {
    let access = ForumAccess::load(&state.db, forum_id, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    Ok(access)
}

/// A meeting of this forum, as the API reads it: one of another forum (or
/// not the caller's to see) is not found here.
async fn meeting_of(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    meeting_id: Uuid,
) -> Result<MeetingOut, PageError> {
    let meeting = meetings::get(state, caller, meeting_id).await?;
    if meeting.forum_id != forum_id {
        return Err(ApiError::not_found("meeting").into());
    }
    Ok(meeting)
}

/// The forum's meetings page, telling what was just done.
fn meetings_page(forum_id: Uuid, done: &str) -> String {
    format!("/forums/{forum_id}/meetings?done={done}")
}
