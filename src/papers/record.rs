//! Writing a paper's rows — the paper, its first version and the audit
//! entry — in the caller's transaction, once its content is recorded: the
//! one way a paper comes to be, whether uploaded alone or as evidence sent
//! with an issue or its answer.

use chrono::{DateTime, Utc};
use entity::{Visibility, paper, paper_version};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::types::AttachedTo;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::error::ApiResult;
use crate::kernel::storage::Spooled;

/// What a new paper is: where it is attached, and its own words.
pub(super) struct PaperRow {
    pub to: AttachedTo,
    pub forum_id: Option<Uuid>,
    pub agenda_item_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub visibility: Option<Visibility>,
    pub visibility_reason: Option<String>,
}

/// The file of a new paper: its recorded content and the name it is kept under.
pub(super) struct PaperFile<'a> {
    pub content_id: Uuid,
    pub file_name: String,
    pub spooled: &'a Spooled,
}

pub(super) async fn insert(
    conn: &impl ConnectionTrait,
    by: Uuid,
    row: PaperRow,
    file: PaperFile<'_>,
    now: DateTime<Utc>,
) -> ApiResult<paper::Model> {
    let (meeting_id, issue_id, plan_id, consultation_id) = match row.to {
        AttachedTo::Meeting(id) => (Some(id), None, None, None),
        AttachedTo::Issue(id) => (None, Some(id), None, None),
        AttachedTo::Plan(id) => (None, None, Some(id), None),
        AttachedTo::Consultation(id) => (None, None, None, Some(id)),
    };
    let size = i64::try_from(file.spooled.size).unwrap_or(i64::MAX);
    let created = paper::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(row.forum_id),
        meeting_id: Set(meeting_id),
        agenda_item_id: Set(row.agenda_item_id),
        issue_id: Set(issue_id),
        plan_id: Set(plan_id),
        consultation_id: Set(consultation_id),
        title: Set(row.title.trim().to_string()),
        description: Set(row.description.trim().to_string()),
        visibility: Set(row.visibility),
        visibility_reason: Set(row.visibility_reason),
        current_version: Set(1),
        content_id: Set(file.content_id),
        file_name: Set(file.file_name.clone()),
        content_type: Set(file.spooled.kind.media_type.to_string()),
        size: Set(size),
        sha256: Set(file.spooled.sha256.clone()),
        version: Set(1),
        uploaded_by: Set(Some(by)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    paper_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        paper_id: Set(created.id),
        number: Set(1),
        content_id: Set(file.content_id),
        file_name: Set(file.file_name),
        content_type: Set(created.content_type.clone()),
        size: Set(size),
        sha256: Set(created.sha256.clone()),
        reason: Set(None),
        uploaded_by: Set(Some(by)),
        uploaded_at: Set(now),
    }
    .insert(conn)
    .await?;
    AuditEvent::by(by, "paper.uploaded", EntityKind::Paper, created.id)
        .forum_of(created.forum_id)
        .changes(json!({
            "meeting_id": meeting_id,
            "agenda_item_id": row.agenda_item_id,
            "issue_id": issue_id,
            "plan_id": plan_id,
            "consultation_id": consultation_id,
            "size": size,
            "sha256": created.sha256,
            "content_type": created.content_type,
        }))
        .record(conn, now)
        .await?;
    Ok(created)
}
