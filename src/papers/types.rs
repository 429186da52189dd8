//! Request and response bodies of papers, and what an upload is once its
//! form has been read.

use chrono::{DateTime, Utc};
use entity::{Visibility, paper, paper_version};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kernel::limits;
use crate::kernel::links::api_path;
use crate::kernel::patch::{Apply, nullable, present, set, trimmed};
use crate::kernel::storage::Spooled;

/// What papers are attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedTo {
    Meeting(Uuid),
    Issue(Uuid),
    Plan(Uuid),
    Consultation(Uuid),
}

impl AttachedTo {
    /// What it is, as a 404 names it.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Meeting(_) => "meeting",
            Self::Issue(_) => "issue",
            Self::Plan(_) => "plan",
            Self::Consultation(_) => "consultation",
        }
    }
}

/// An uploaded file: spooled (its size, kind and SHA-256 known), and the
/// name it was sent with, if any.
pub struct NewFile {
    pub spooled: Spooled,
    pub name: Option<String>,
}

/// A new paper, as its form gave it (an absent text field is empty).
pub struct NewPaper {
    pub title: String,
    pub description: String,
    pub agenda_item_id: Option<Uuid>,
    pub visibility: Option<Visibility>,
    pub visibility_reason: Option<String>,
    /// Required (422 without it, with the form's other faults).
    pub file: Option<NewFile>,
}

/// A paper's new file, as its form gave it.
pub struct NewVersion {
    /// Why it is replaced: required once the meeting is held.
    pub reason: Option<String>,
    /// Required (422 without it).
    pub file: Option<NewFile>,
}

/// A paper, as its reader may see it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaperOut {
    pub id: Uuid,
    /// The forum it is of (none for a region's plan).
    pub forum_id: Option<Uuid>,
    /// What it is attached to: a meeting (and maybe one of its agenda
    /// items), an issue, or a plan.
    pub meeting_id: Option<Uuid>,
    pub agenda_item_id: Option<Uuid>,
    pub issue_id: Option<Uuid>,
    pub plan_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    /// Who may read it: the narrower of its agenda item's and its own.
    pub visibility: Visibility,
    pub visibility_reason: Option<String>,
    /// Its own narrowing, if officers set one (`null`: as attached).
    pub own_visibility: Option<Visibility>,
    /// The file's name as downloads give it (made safe; its extension
    /// that of its kind).
    pub file_name: String,
    /// The file's kind, decided from its bytes.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256 of the file (also its download's `ETag`).
    pub sha256: String,
    /// The number of the file's current version, from 1.
    pub current_version: i32,
    /// Rises with every change; send it back in `If-Match`.
    pub version: i32,
    pub uploaded_by: Option<Uuid>,
    /// Their display name, for those who take part in the forum (for a
    /// plan's paper, the region's forum); `null` for anyone else.
    pub uploaded_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where to download it.
    pub content_url: String,
}

impl PaperOut {
    pub fn new(
        p: paper::Model,
        visibility: (Visibility, Option<String>),
        uploaded_by_name: Option<String>,
    ) -> Self {
        Self {
            uploaded_by_name,
            content_url: api_path(format_args!("papers/{}/content", p.id)),
            id: p.id,
            forum_id: p.forum_id,
            meeting_id: p.meeting_id,
            agenda_item_id: p.agenda_item_id,
            issue_id: p.issue_id,
            plan_id: p.plan_id,
            title: p.title,
            description: p.description,
            visibility: visibility.0,
            visibility_reason: visibility.1,
            own_visibility: p.visibility,
            file_name: p.file_name,
            content_type: p.content_type,
            size: p.size,
            sha256: p.sha256,
            current_version: p.current_version,
            version: p.version,
            uploaded_by: p.uploaded_by,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// The form of an upload (`multipart/form-data`); no other field is taken.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PaperUpload {
    /// 1–200 characters, one line.
    #[schema(schema_with = limits::PaperTitle::schema)]
    pub title: String,
    /// Markdown, up to 5,000 characters.
    #[schema(schema_with = limits::PaperDescription::schema)]
    pub description: Option<String>,
    /// The agenda item of this meeting it is a paper of (meetings only).
    pub agenda_item_id: Option<Uuid>,
    /// Narrower than what it is attached to (officers only).
    pub visibility: Option<Visibility>,
    /// Why it is not public: required with a `visibility` other than `public`.
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub visibility_reason: Option<String>,
    /// The file: at most the server's limit (25 MiB by default; 413 beyond),
    /// of an accepted kind as its bytes show (415 otherwise).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Only the fields to change. `visibility` may only narrow what the paper
/// is attached to; `null` makes it as attached again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperPatch {
    /// 1–200 characters, one line.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PaperTitle::schema)]
    pub title: Option<String>,
    /// Markdown, up to 5,000 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::PaperDescription::schema)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub visibility: Option<Option<Visibility>>,
    /// Why it is not public.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub visibility_reason: Option<Option<String>>,
}

impl Apply for PaperPatch {
    type ActiveModel = paper::ActiveModel;

    /// Title and description trimmed; `visibility` and its reason as the
    /// operation has settled them (both given, `null` for none).
    fn apply(self, to: &mut paper::ActiveModel) {
        set(&mut to.title, self.title.map(trimmed));
        set(&mut to.description, self.description.map(trimmed));
        set(&mut to.visibility, self.visibility);
        set(&mut to.visibility_reason, self.visibility_reason);
    }
}

/// One version of a paper's file.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaperVersionOut {
    /// From 1; the highest is the paper's current file.
    pub number: i32,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Why it replaced the version before.
    pub reason: Option<String>,
    pub uploaded_by: Option<Uuid>,
    /// Their display name, for those who take part in the forum; `null`
    /// for anyone else.
    pub uploaded_by_name: Option<String>,
    pub uploaded_at: DateTime<Utc>,
    /// Where to download it.
    pub content_url: String,
}

impl PaperVersionOut {
    pub fn new(v: paper_version::Model, uploaded_by_name: Option<String>) -> Self {
        Self {
            uploaded_by_name,
            content_url: api_path(format_args!(
                "papers/{}/versions/{}/content",
                v.paper_id, v.number
            )),
            number: v.number,
            file_name: v.file_name,
            content_type: v.content_type,
            size: v.size,
            sha256: v.sha256,
            reason: v.reason,
            uploaded_by: v.uploaded_by,
            uploaded_at: v.uploaded_at,
        }
    }
}

/// The form of a replacement (`multipart/form-data`); no other field is taken.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PaperReplacement {
    /// Why the file is replaced: required once the meeting is held. One
    /// line, up to 500 characters.
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub reason: Option<String>,
    /// The new file, under the same rules as an upload.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::PaperPatch>();
    }
}
