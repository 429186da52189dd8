//! What the minutes' operations share: finding a meeting's minutes, keeping
//! a version of them, and reading them as a caller may.

use chrono::{DateTime, Utc};
use entity::{meeting, minutes, minutes_revision};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::sections::{self, Section};
use super::types::MinutesOut;
use crate::kernel::access::ForumAccess;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Names, People};

/// The answer for minutes that do not exist or are not the caller's to see.
pub fn no_minutes() -> ApiError {
    ApiError::NotFound("this meeting has no minutes you can see".into())
}

pub async fn minutes_of(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> ApiResult<Option<minutes::Model>> {
    Ok(minutes::Entity::find()
        .filter(minutes::Column::MeetingId.eq(meeting_id))
        .one(conn)
        .await?)
}

/// Keeps this version of the minutes, in the transaction that made it.
pub async fn keep_revision(
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
pub async fn read_as(
    conn: &impl ConnectionTrait,
    m: minutes::Model,
    meeting: &meeting::Model,
    access: &ForumAccess,
) -> ApiResult<MinutesOut> {
    let kept = sections::load_one(conn, m.id).await?;
    let items = sections::item_visibility(conn, &kept).await?;
    let shown = sections::as_read(&kept, &items, |v| access.may_read(v));
    let names = Names::load(conn, People::of(access), [m.approved_by], []).await?;
    let approved_by_name = names.person(m.approved_by);
    Ok(MinutesOut::new(m, meeting, shown, approved_by_name))
}
