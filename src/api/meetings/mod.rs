//! The JSON face of meetings: each handler extracts, calls the operation of
//! `crate::meetings` and responds. Agendas, series, calendars, RSVPs and
//! attendance have modules of their own.

mod agenda;
mod attendance;
mod calendars;
mod matters_arising;
mod series;

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::meetings::{self, MeetingIn, MeetingOut, MeetingPatch, MeetingQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, schedule_meeting))
        .routes(routes!(get_meeting, patch_meeting))
        .merge(calendars::router())
        .merge(attendance::router())
        .merge(agenda::router())
        .merge(series::router())
        .merge(matters_arising::router())
}

/// The meeting with its version as the `ETag`.
fn tagged(out: MeetingOut) -> Tagged<MeetingOut> {
    Tagged::new(out.version, out)
}

/// The forum's meetings, soonest first (the forum's participants).
///
/// With `q`, only meetings whose title, description or place has its
/// words, best match first.
#[utoipa::path(
    get,
    path = "/forums/{id}/meetings",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id"), MeetingQuery),
    responses(
        (status = 200, description = "A page of meetings", body = Page<MeetingOut>),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_meetings(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<MeetingQuery>,
) -> ApiResult<Json<Page<MeetingOut>>> {
    Ok(Json(meetings::list(&state, &user, forum_id, query).await?))
}

/// Schedule a meeting (secretary, chair, admins).
#[utoipa::path(
    post,
    path = "/forums/{id}/meetings",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = MeetingIn,
    responses(
        (status = 201, description = "Meeting scheduled", body = MeetingOut,
         headers(
             ("Location" = String, description = "URL of the new meeting"),
             ("ETag" = String, description = "The meeting's first version"),
         )),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn schedule_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<MeetingIn>,
) -> ApiResult<Created<MeetingOut>> {
    let out = meetings::schedule(&state, &user, forum_id, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("meetings/{}", out.id)), out).tagged(version))
}

/// One meeting (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/meetings/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting", body = MeetingOut,
         headers(("ETag" = String, description = "The meeting's version"))),
        (status = 404, description = "No such meeting, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<MeetingOut>> {
    Ok(tagged(meetings::get(&state, &user, id).await?))
}

/// Edit, reschedule, cancel or close a meeting (secretary, chair, admins).
///
/// Send `If-Match` with the ETag you read to be sure you are changing what
/// you saw (412 when it is stale); without it, a change committed by someone
/// else while yours was being made is refused with 409. `status` moves
/// `scheduled → held` (not before the start) or `scheduled → cancelled` (with
/// `cancel_reason`); any other move is 409. A held or cancelled meeting cannot
/// be rescheduled (409). A PATCH that changes nothing leaves the version —
/// and the calendar `SEQUENCE` — as they are.
#[utoipa::path(
    patch,
    path = "/meetings/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), IfMatch),
    request_body = MeetingPatch,
    responses(
        (status = 200, description = "The meeting as it now is", body = MeetingOut,
         headers(("ETag" = String, description = "The meeting's version now"))),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The change does not fit the meeting's state, or the meeting changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn patch_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<MeetingPatch>,
) -> ApiResult<Tagged<MeetingOut>> {
    Ok(tagged(
        meetings::change(&state, &user, id, patch, &if_match).await?,
    ))
}
