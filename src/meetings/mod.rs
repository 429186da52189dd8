//! Meetings of a forum: scheduling, RSVPs, attendance and agendas, and the
//! iCalendar files that put them in people's calendars.

mod agenda;
mod attendance;
mod calendar;
pub use calendar::invitation;
mod edit;
mod feed;
mod queries;
mod routes;
mod rsvps;
mod types;

pub use queries::{MeetingLock, load_visible, lock_meeting};

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(calendar::router())
        .merge(feed::router())
        .merge(rsvps::router())
        .merge(attendance::router())
        .merge(agenda::router())
}
