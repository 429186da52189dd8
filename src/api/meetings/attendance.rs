//! RSVPs and attendance: who will come, and who came.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::meetings::{
    self, AttendanceIn, AttendanceOut, AttendanceSheet, RsvpIn, RsvpList, RsvpOut, RsvpQuery,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rsvp))
        .routes(routes!(list_rsvps))
        .routes(routes!(record_attendance))
        .routes(routes!(attendance_sheet))
}

/// Say whether you will come (members, officers and RPD staff; until the
/// meeting starts, and not to a cancelled meeting: 409).
#[utoipa::path(
    put,
    path = "/meetings/{id}/rsvp",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = RsvpIn,
    responses(
        (status = 200, description = "Your answer", body = RsvpOut),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting has started or is cancelled"),
    ),
    security(("bearer" = []))
)]
async fn rsvp(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<RsvpIn>,
) -> ApiResult<Json<RsvpOut>> {
    Ok(Json(meetings::answer(&state, &user, id, input).await?))
}

/// Who has answered, and how (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/rsvps",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), RsvpQuery),
    responses(
        (status = 200, description = "Counts and a page of answers", body = RsvpList),
        (status = 404, description = "No such meeting, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn list_rsvps(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<RsvpQuery>,
) -> ApiResult<Json<RsvpList>> {
    Ok(Json(meetings::rsvps(&state, &user, id, query).await?))
}

/// Record who attended and who sent apologies (secretary, chair, admins;
/// once the meeting has started, and not for a cancelled meeting: 409).
///
/// The meeting shows the attendance figures, so a change to the list raises
/// the meeting's version; sending the same list again changes nothing.
/// With `If-Match` (the meeting's ETag), a list made from a meeting that
/// has changed since is refused (412).
#[utoipa::path(
    put,
    path = "/meetings/{id}/attendance",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), IfMatch),
    request_body = AttendanceIn,
    responses(
        (status = 200, description = "The attendance as recorded", body = AttendanceOut,
         headers(("ETag" = String, description = "The meeting's version now"))),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting has not started, or was cancelled"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn record_attendance(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<AttendanceIn>,
) -> ApiResult<Tagged<AttendanceOut>> {
    let out = meetings::record_attendance(&state, &user, id, input, &if_match).await?;
    Ok(Tagged::new(out.meeting_version, out))
}

/// The attendance sheet (the forum's participants; 404 to anyone else):
/// everyone who takes part in the forum, and anyone recorded who no longer
/// does, by organisation (those of none last) and then name, each with
/// what was recorded of them (`null`: nothing yet) — what `PUT
/// /meetings/{id}/attendance` is made from. The ETag is the meeting's, for
/// that `PUT`'s `If-Match`.
#[utoipa::path(
    get,
    path = "/meetings/{id}/attendance-sheet",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The sheet", body = AttendanceSheet,
         headers(("ETag" = String, description = "The meeting's version"))),
        (status = 404, description = "No such meeting, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn attendance_sheet(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<AttendanceSheet>> {
    let sheet = meetings::attendance_sheet(&state, &user, id).await?;
    Ok(Tagged::new(sheet.meeting.version, sheet))
}
