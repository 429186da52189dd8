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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::forms::Form;

    /// Every label, hint and option these pages word by a variable is a
    /// message of the resources (Fluent would show the id itself).
    #[test]
    fn every_message_the_forms_ask_for_by_name_exists() {
        let text = Text::default();
        let typed = new_meeting::MeetingFields::default();
        let forms: Vec<Form> = vec![
            new_meeting::meeting_form(&text, &typed),
            edit::edit_form(&text, &typed, Some("this")),
            new_series::series_form(&text, &new_series::SeriesFields::blank()),
            cancel::reason_form(&text, ""),
        ];
        let mut words = Vec::new();
        for form in &forms {
            for f in &form.fields {
                words.push(f.label.clone());
                words.extend(f.hint.clone());
                words.extend(f.choices.iter().map(|c| c.label.clone()));
                words.extend(f.choices.iter().filter_map(|c| c.hint.clone()));
            }
        }
        for status in ["scheduled", "held", "cancelled"] {
            words.push(text.get(&format!("scheduling-status-{status}")));
        }
        for done in [
            "scheduled",
            "series",
            "changed",
            "following",
            "cancelled",
            "series-cancelled",
        ] {
            let id = list::done(done).expect("a banner");
            words.push(text.get(id));
        }
        let unworded: Vec<&String> = words
            .iter()
            .filter(|w| w.is_empty() || w.contains("scheduling-") || w.contains("field-"))
            .collect();
        assert!(words.len() > 40);
        // What a missing message reads as, so that the check can catch one.
        assert!(
            text.get("scheduling-no-such-message")
                .contains("scheduling-")
        );
        assert!(unworded.is_empty(), "no message for {unworded:?}");
    }
}
