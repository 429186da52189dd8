//! Papers: files attached to a meeting or one of its agenda items, a raised
//! issue (its evidence) or a region's plan — uploaded as a stream, their
//! kind decided from their bytes, their SHA-256 kept, every version kept,
//! served only as downloads — readable by whom what they are attached to
//! allows (narrowed further if those who keep them say so).

mod download;
mod holder;
mod pack;
pub mod quota;
mod routes;
mod types;
mod upload;
mod versions;

use axum::extract::DefaultBodyLimit;
use entity::{Visibility, paper};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::kernel::state::AppState;

pub use types::PaperOut;

pub fn router() -> OpenApiRouter<AppState> {
    // Uploads are not held to the API's body limit: the file is capped as
    // it streams in (413), and every other field of the form is small.
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload::upload_paper))
        .routes(routes!(upload::upload_issue_paper))
        .routes(routes!(upload::upload_plan_paper))
        .routes(routes!(upload::upload_consultation_paper))
        .routes(routes!(versions::replace_content))
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .routes(routes!(routes::list_papers))
        .routes(routes!(routes::list_issue_papers))
        .routes(routes!(routes::list_plan_papers))
        .routes(routes!(routes::list_consultation_papers))
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

/// Who may read a paper, and why not everyone: the narrower of what it
/// inherits (its agenda item's visibility, if it is an item's) and its own.
pub fn visibility_of(
    paper: &paper::Model,
    inherited: (Visibility, Option<String>),
) -> (Visibility, Option<String>) {
    match paper.visibility {
        Some(own) if own.narrower(inherited.0) == own && own != inherited.0 => {
            (own, paper.visibility_reason.clone())
        }
        _ => inherited,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(visibility: Option<Visibility>) -> paper::Model {
        let now = chrono::Utc::now();
        paper::Model {
            id: uuid::Uuid::now_v7(),
            forum_id: Some(uuid::Uuid::now_v7()),
            meeting_id: Some(uuid::Uuid::now_v7()),
            agenda_item_id: None,
            issue_id: None,
            plan_id: None,
            consultation_id: None,
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

    #[test]
    fn a_paper_is_as_confidential_as_its_item_or_more() {
        let public = (Visibility::Public, None);
        assert_eq!(
            visibility_of(&paper(None), public.clone()).0,
            Visibility::Public
        );
        let confidential = (Visibility::Officers, Some("legal advice".to_string()));
        assert_eq!(
            visibility_of(&paper(None), confidential.clone()),
            confidential
        );
        // Narrowed by its own, never widened by it.
        assert_eq!(
            visibility_of(&paper(Some(Visibility::Participants)), public),
            (Visibility::Participants, Some("draft figures".into()))
        );
        assert_eq!(
            visibility_of(&paper(Some(Visibility::Public)), confidential).0,
            Visibility::Officers
        );
    }
}
