//! Meeting papers: files attached to a meeting or one of its agenda items
//! — uploaded as a stream, their kind decided from their bytes, their
//! SHA-256 kept, served only as downloads — readable by whom what they are
//! attached to allows (narrowed further if officers say so).

mod download;
mod pack;
mod routes;
pub mod sniff;
pub mod storage;
mod types;
mod upload;
mod versions;

use axum::extract::DefaultBodyLimit;
use entity::{MeetingStatus, Visibility, agenda_item, meeting, paper};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::access::{ForumAccess, ForumAction};
use crate::state::AppState;

pub use types::PaperOut;

pub fn router() -> OpenApiRouter<AppState> {
    // Uploads are not held to the API's body limit: the file is capped as
    // it streams in (413), and every other field of the form is small.
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload::upload_paper))
        .routes(routes!(versions::replace_content))
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .routes(routes!(routes::list_papers))
        .merge(uploads)
        .routes(routes!(
            routes::get_paper,
            routes::patch_paper,
            routes::delete_paper
        ))
        .routes(routes!(download::paper_content))
        .routes(routes!(versions::list_versions))
        .routes(routes!(versions::version_content))
        .routes(routes!(pack::meeting_pack))
}

/// Who may read a paper, and why not everyone: the narrowest of its
/// agenda item's visibility (if it is an item's) and its own.
pub fn visibility_of(
    paper: &paper::Model,
    item: Option<&agenda_item::Model>,
) -> (Visibility, Option<String>) {
    let mut found = (Visibility::Public, None);
    if let Some(item) = item {
        found = (item.visibility, item.visibility_reason.clone());
    }
    if let Some(own) = paper.visibility
        && own.narrower(found.0) == own
        && own != found.0
    {
        found = (own, paper.visibility_reason.clone());
    }
    found
}

/// Whether the caller may read a paper of this visibility, of this meeting:
/// the forum's participants as their role allows; anyone else only public
/// papers, and only once the meeting is held (until then they are the
/// forum's).
pub fn may_read(access: &ForumAccess, meeting: &meeting::Model, visibility: Visibility) -> bool {
    if access.allows(ForumAction::ReadParticipantRecords) {
        access.may_read(visibility)
    } else {
        visibility == Visibility::Public && meeting.status == MeetingStatus::Held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(visibility: Option<Visibility>) -> paper::Model {
        let now = chrono::Utc::now();
        paper::Model {
            id: uuid::Uuid::now_v7(),
            forum_id: uuid::Uuid::now_v7(),
            meeting_id: uuid::Uuid::now_v7(),
            agenda_item_id: None,
            title: "Briefing".into(),
            description: String::new(),
            visibility,
            visibility_reason: visibility.map(|_| "draft figures".into()),
            current_version: 1,
            content_id: uuid::Uuid::now_v7(),
            file_name: "briefing.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1,
            sha256: String::new(),
            version: 1,
            uploaded_by: None,
            created_at: now,
            updated_at: now,
        }
    }

    fn item(visibility: Visibility) -> agenda_item::Model {
        let now = chrono::Utc::now();
        agenda_item::Model {
            id: uuid::Uuid::now_v7(),
            meeting_id: uuid::Uuid::now_v7(),
            position: Some(1),
            title: "Contract dispute".into(),
            description: String::new(),
            presenter: None,
            minutes_allotted: None,
            status: entity::AgendaItemStatus::Accepted,
            proposed_by: None,
            version: 1,
            created_at: now,
            updated_at: now,
            visibility,
            visibility_reason: Some("legal advice".into()),
            carried_over: false,
            outcome: None,
            votes_for: None,
            votes_against: None,
            votes_abstain: None,
            outcome_at: None,
        }
    }

    #[test]
    fn a_paper_is_as_confidential_as_its_item_or_more() {
        assert_eq!(visibility_of(&paper(None), None).0, Visibility::Public);
        let confidential = item(Visibility::Officers);
        assert_eq!(
            visibility_of(&paper(None), Some(&confidential)),
            (Visibility::Officers, Some("legal advice".into()))
        );
        // Narrowed by its own, never widened by it.
        assert_eq!(
            visibility_of(&paper(Some(Visibility::Participants)), None),
            (Visibility::Participants, Some("draft figures".into()))
        );
        assert_eq!(
            visibility_of(&paper(Some(Visibility::Public)), Some(&confidential)).0,
            Visibility::Officers
        );
    }
}
