//! Request and response bodies of the minutes.

use crate::limits;
use chrono::{DateTime, Utc};
use entity::{MinutesStatus, meeting, minutes};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesIn {
    /// Markdown, up to 200,000 characters.
    #[schema(schema_with = limits::MinutesBody::schema)]
    pub body: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MinutesOut {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub forum_id: Uuid,
    pub meeting_title: String,
    pub meeting_starts_at: DateTime<Utc>,
    pub body: String,
    pub status: MinutesStatus,
    /// Rises with every edit and with approval; send it back in `If-Match`.
    pub version: i32,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MinutesOut {
    pub fn new(m: minutes::Model, meeting: &meeting::Model) -> Self {
        Self {
            id: m.id,
            meeting_id: m.meeting_id,
            forum_id: meeting.forum_id,
            meeting_title: meeting.title.clone(),
            meeting_starts_at: meeting.starts_at,
            body: m.body,
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
    pub body: String,
    /// Who wrote this version (for the approved version, who approved it).
    pub edited_by: Option<Uuid>,
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
