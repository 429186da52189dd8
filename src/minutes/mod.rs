//! Minutes: one per meeting, drafted in markdown by the secretary with every
//! version kept, approved by the chair once the meeting is held, then
//! read-only and public.

mod approve;
mod draft;
mod revisions;
mod routes;
pub(crate) mod types;

use chrono::{DateTime, Utc};
use entity::{minutes, minutes_revision};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_minutes, routes::put_minutes))
        .routes(routes!(approve::approve_minutes))
        .routes(routes!(revisions::list_revisions))
        .routes(routes!(draft::draft_from_agenda))
}

fn no_minutes() -> ApiError {
    ApiError::NotFound("this meeting has no minutes you can see".into())
}

async fn minutes_of(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> ApiResult<Option<minutes::Model>> {
    Ok(minutes::Entity::find()
        .filter(minutes::Column::MeetingId.eq(meeting_id))
        .one(conn)
        .await?)
}

/// Keeps this version of the minutes, in the transaction that made it.
async fn keep_revision(
    conn: &impl ConnectionTrait,
    m: &minutes::Model,
    editor: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    minutes_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        minutes_id: Set(m.id),
        version: Set(m.version),
        body: Set(m.body.clone()),
        edited_by: Set(Some(editor)),
        edited_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}
