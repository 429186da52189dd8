//! Meetings of a forum: scheduling, RSVPs, attendance and agendas, and the
//! iCalendar files that put them in people's calendars.

mod agenda;
mod attendance;
mod calendar;
pub use agenda::{OutcomeOut, check_visibility_at, held_agenda, withheld_title};
pub use calendar::{Organizer, invitation};
mod edit;
mod feed;
pub mod matters_arising;
mod queries;
pub mod recurrence;
mod routes;
mod rsvps;
pub mod series;
mod series_calendar;
mod split;
mod types;

pub use queries::{MeetingLock, lock_meeting};

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(calendar::router())
        .merge(feed::router())
        .merge(rsvps::router())
        .merge(attendance::router())
        .merge(agenda::router())
        .merge(series::router())
        .merge(matters_arising::router())
}

/// A meeting as its forum's participants read it (`GET /meetings/{id}`),
/// for the integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    let Some(meeting) = entity::meeting::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let mut attendance = queries::attendance_summaries(conn, meeting.forum_id, &[id]).await?;
    let out = types::MeetingOut::new(meeting, attendance.remove(&id).unwrap_or_default());
    Ok(serde_json::to_value(out).ok())
}
