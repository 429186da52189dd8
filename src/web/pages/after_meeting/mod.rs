//! After the meeting, the forum's officers' pages: who came (and marking
//! the meeting held), then what was decided on each item of its agenda,
//! with the actions agreed on it and the items carried over. Each page
//! calls the operations the API calls; a refusal is theirs.

pub mod attendance;
pub mod attendance_save;
pub mod held;
pub mod outcome;
mod outcome_form;
pub mod outcomes;

use uuid::Uuid;

use entity::meeting;

use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::{PageError, id_in_path};

/// A meeting reached at its forum's address, by someone who runs the
/// forum's meetings.
pub struct OfficersMeeting {
    pub access: ForumAccess,
    pub meeting: meeting::Model,
}

impl OfficersMeeting {
    /// The meeting as its officers' pages read it: 404 (as the API answers)
    /// for someone who may not see it, or for a meeting of another forum at
    /// this forum's address; 403 for a participant who does not run
    /// meetings.
    pub async fn load(
        state: &AppState,
        caller: &AuthUser,
        forum: &str,
        meeting: &str,
    ) -> Result<Self, PageError> {
        let (forum, meeting) = (id_in_path(forum)?, id_in_path(meeting)?);
        // The meeting and the caller's access to its forum, as the
        // meeting's operations load them (two statements).
        let (meeting, access) =
            access::load_visible::<meeting::Entity>(&state.db, meeting, Some(caller)).await?;
        if meeting.forum_id != forum {
            return Err(ApiError::not_found("meeting").into());
        }
        access.require(ForumAction::RunMeetings)?;
        Ok(Self { access, meeting })
    }

    pub fn forum_id(&self) -> Uuid {
        self.meeting.forum_id
    }

    /// The meeting's own page (built beside these).
    pub fn meeting_href(&self) -> String {
        format!("/forums/{}/meetings/{}", self.forum_id(), self.meeting.id)
    }

    /// The address of one of its after-the-meeting pages.
    pub fn href(&self, tail: &str) -> String {
        format!("{}/{tail}", self.meeting_href())
    }
}
