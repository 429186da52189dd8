//! Calendars: a meeting's or a forum's iCalendar file, and each person's
//! calendar-feed URLs.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::attachment;
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::meetings::{self, CalendarFeedOut, CalendarFile, FeedQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(meeting_calendar))
        .routes(routes!(forum_calendar))
        .routes(routes!(get_feed))
        .routes(routes!(rotate_feed))
}

const CALENDAR_TYPE: &str = "text/calendar; charset=utf-8";

/// The calendar as a download, named after what it holds.
fn download(file: CalendarFile) -> Response {
    let name = attachment::slug(&file.name, "ics", "calendar");
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(CALENDAR_TYPE),
            ),
            (header::CONTENT_DISPOSITION, attachment::disposition(&name)),
        ],
        file.body,
    )
        .into_response()
}

/// One meeting as an iCalendar file (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/calendar.ics",
    tag = "calendars",
    params(("id" = Uuid, Path, description = "Meeting id"), FeedQuery),
    responses(
        (status = 200, description = "RFC 5545 calendar with the one event", content_type = "text/calendar", body = String,
         headers(("Content-Disposition" = String, description = "`attachment` with a file name for the meeting"))),
        (status = 401, description = "Neither signed in nor a valid feed token"),
        (status = 404, description = "No such meeting, or not yours to see"),
    ),
    security((), ("bearer" = []))
)]
async fn meeting_calendar(
    State(state): State<AppState>,
    bearer: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<FeedQuery>,
) -> ApiResult<Response> {
    let token = query.token.as_deref();
    let file = meetings::meeting_calendar(&state, bearer.as_ref(), id, token).await?;
    Ok(download(file))
}

/// All of a forum's meetings as an iCalendar feed, for calendar apps to subscribe to.
///
/// Calendar apps cannot send a bearer token: use the URL from
/// `GET /me/calendar-feed`, which carries your feed token. It works only for
/// forums you take part in.
#[utoipa::path(
    get,
    path = "/forums/{id}/calendar.ics",
    tag = "calendars",
    params(("id" = Uuid, Path, description = "Forum id"), FeedQuery),
    responses(
        (status = 200, description = "RFC 5545 calendar of the forum's meetings", content_type = "text/calendar", body = String,
         headers(("Content-Disposition" = String, description = "`attachment` with a file name for the forum"))),
        (status = 401, description = "Neither signed in nor a valid feed token"),
        (status = 403, description = "Not a participant of this forum"),
        (status = 404, description = "No such forum"),
    ),
    security((), ("bearer" = []))
)]
async fn forum_calendar(
    State(state): State<AppState>,
    bearer: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<FeedQuery>,
) -> ApiResult<Response> {
    let token = query.token.as_deref();
    let file = meetings::forum_calendar(&state, bearer.as_ref(), id, token).await?;
    Ok(download(file))
}

/// Your personal calendar-feed URLs (made on first request).
#[utoipa::path(
    get,
    path = "/me/calendar-feed",
    tag = "calendars",
    responses(
        (status = 200, description = "Your feed token and URLs", body = CalendarFeedOut),
        (status = 401, description = "Not signed in"),
    ),
    security(("bearer" = []))
)]
async fn get_feed(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<CalendarFeedOut>> {
    Ok(Json(meetings::calendar_feed(&state, &user).await?))
}

/// Replace your calendar-feed token: the old URLs stop working at once.
#[utoipa::path(
    post,
    path = "/me/calendar-feed/rotate",
    tag = "calendars",
    responses(
        (status = 200, description = "Your new feed token and URLs", body = CalendarFeedOut),
        (status = 401, description = "Not signed in"),
    ),
    security(("bearer" = []))
)]
async fn rotate_feed(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<CalendarFeedOut>> {
    Ok(Json(meetings::rotate_calendar_feed(&state, &user).await?))
}
