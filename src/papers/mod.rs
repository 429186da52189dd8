//! Papers: files attached to a meeting or one of its agenda items, a raised
//! issue (its evidence), a region's plan or a consultation — uploaded as a
//! stream, their kind decided from their bytes, their SHA-256 kept, every
//! version kept, served only as downloads — readable by whom what they are
//! attached to allows (narrowed further if those who keep them say so).
//!
//! Each operation decides who may do what and makes the write; it knows
//! nothing of HTTP: `api::papers` reads the forms, and sends the files and
//! the meeting pack.

mod change;
mod download;
mod evidence;
mod holder;
mod names;
mod pack;
pub mod quota;
mod read;
mod record;
mod replace;
mod types;
mod upload;

use entity::{Visibility, paper};

pub use change::{change, delete};
pub use download::{Download, paper_file, version_file};
pub use evidence::Evidence;
pub use pack::{Pack, PackEntry, pack};
pub use read::{ItemVisibility, get, list, of_meeting, versions};
pub use replace::{Replacing, replace, replacing};
pub use types::{
    AttachedTo, NewFile, NewPaper, NewVersion, PaperOut, PaperPatch, PaperReplacement, PaperUpload,
    PaperVersionOut,
};
pub use upload::{UploadTo, upload, upload_to};

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
