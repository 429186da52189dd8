//! Minutes: one per meeting, drafted in markdown sections by the secretary
//! with every version kept, approved by the chair once the meeting is held,
//! then read-only and public — each section as far as its visibility allows.

mod approve;
mod draft;
mod revisions;
mod routes;
pub mod sections;
pub(crate) mod types;

use chrono::{DateTime, Utc};
use entity::{meeting, minutes, minutes_revision};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use self::sections::Section;
use self::types::MinutesOut;
use crate::kernel::access::ForumAccess;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

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
    sections: &[Section],
    editor: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    minutes_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        minutes_id: Set(m.id),
        version: Set(m.version),
        body: Set(String::new()),
        sections: Set(sections::snapshot(sections)),
        edited_by: Set(Some(editor)),
        edited_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The minutes as the caller whose access this is may read them.
async fn read_as(
    conn: &impl ConnectionTrait,
    m: minutes::Model,
    meeting: &meeting::Model,
    access: &ForumAccess,
) -> ApiResult<MinutesOut> {
    let kept = sections::load_one(conn, m.id).await?;
    let items = sections::item_visibility(conn, &kept).await?;
    let shown = sections::as_read(&kept, &items, |v| access.may_read(v));
    Ok(MinutesOut::new(m, meeting, shown))
}
