//! Meetings of a forum: scheduling, RSVPs, attendance and agendas, and the
//! iCalendar files that put them in people's calendars.

mod agenda;
mod calendar;
mod queries;
mod routes;
mod rsvps;
mod types;

pub use queries::load_visible;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(calendar::router())
        .merge(rsvps::router())
        .merge(agenda::router())
}
