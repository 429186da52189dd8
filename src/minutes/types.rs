//! Request and response bodies of the minutes.

use super::sections::{SectionIn, SectionOut, render};
use crate::kernel::limits;
use chrono::{DateTime, Utc};
use entity::{MinutesStatus, meeting, minutes};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The minutes' text: `sections`, or `body` alone as shorthand for one
/// public section with no heading (exactly one of the two).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesIn {
    /// The minutes in order, 1–200 sections.
    pub sections: Option<Vec<SectionIn>>,
    /// Markdown, up to 200,000 characters: minutes as one public text.
    #[schema(schema_with = limits::MinutesBody::nullable)]
    pub body: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MinutesOut {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub forum_id: Uuid,
    pub meeting_title: String,
    pub meeting_starts_at: DateTime<Utc>,
    /// The sections as the reader may see them, as one markdown text (each
    /// heading a level-two heading; withheld sections as their reason).
    pub body: String,
    /// The sections in order, as the reader may see them.
    pub sections: Vec<SectionOut>,
    pub status: MinutesStatus,
    /// Rises with every edit and with approval; send it back in `If-Match`.
    pub version: i32,
    pub approved_by: Option<Uuid>,
    /// The approver's display name, for those who take part in the forum;
    /// `null` for anyone else, and while the minutes are a draft.
    pub approved_by_name: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MinutesOut {
    pub fn new(
        m: minutes::Model,
        meeting: &meeting::Model,
        sections: Vec<SectionOut>,
        approved_by_name: Option<String>,
    ) -> Self {
        Self {
            approved_by_name,
            id: m.id,
            meeting_id: m.meeting_id,
            forum_id: meeting.forum_id,
            meeting_title: meeting.title.clone(),
            meeting_starts_at: meeting.starts_at,
            body: render(&sections),
            sections,
            status: m.status,
            version: m.version,
            approved_by: m.approved_by,
            approved_at: m.approved_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// One version of the minutes: the text as it was, and who made it so.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevisionOut {
    pub version: i32,
    /// Its sections as the reader may see them, as one markdown text.
    pub body: String,
    /// Its sections, as the reader may see them now.
    pub sections: Vec<SectionOut>,
    /// Who wrote this version (for the approved version, who approved it).
    pub edited_by: Option<Uuid>,
    /// Their display name (only the forum's participants read revisions);
    /// `null` when they are unknown.
    pub edited_by_name: Option<String>,
    pub edited_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RevisionQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
