//! Meeting series: scheduling one, reading it, cancelling it, and changing
//! it from one of its meetings on.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::meetings::{self, CancelSeriesIn, SeriesIn, SeriesOut, SeriesPreviewOut, SplitIn};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_series))
        .routes(routes!(preview_series))
        .routes(routes!(get_series))
        .routes(routes!(cancel_series))
        .routes(routes!(split_series))
}

/// `201 Created` at the series' URL, with its version.
fn created(out: SeriesOut) -> Created<SeriesOut> {
    let version = out.version;
    Created::at(api_path(format_args!("meeting-series/{}", out.id)), out).tagged(version)
}

/// Schedule a series of meetings (the forum's officers).
///
/// Its meetings for the next 12 months are made at once, each an ordinary
/// meeting (RSVPs, agenda, minutes) that knows its series; later ones are
/// made by the daily job. The first is announced to the participants, with
/// its calendar invitation.
#[utoipa::path(
    post,
    path = "/forums/{id}/meeting-series",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = SeriesIn,
    responses(
        (status = 201, description = "The series, with its meetings", body = SeriesOut,
         headers(("Location" = String, description = "The series' URL"),
                 ("ETag" = String, description = "The series' version"))),
        (status = 403, description = "Only the forum's officers schedule meetings"),
        (status = 404, description = "No such forum"),
        (status = 422, description = "A bad field, or a rule outside the subset (naming the part)"),
    ),
    security(("bearer" = []))
)]
async fn create_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<SeriesIn>,
) -> ApiResult<Created<SeriesOut>> {
    let out = meetings::schedule_series(&state, &user, forum_id, input).await?;
    Ok(created(out))
}

/// The meetings a series would make, without scheduling it (the forum's
/// officers): the same checks and the same expansion of its rule as
/// scheduling it, in London time, so what is previewed is what is made.
#[utoipa::path(
    post,
    path = "/forums/{id}/meeting-series/preview",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = SeriesIn,
    responses(
        (status = 200, description = "The starts of the meetings it would make", body = SeriesPreviewOut),
        (status = 403, description = "Only the forum's officers schedule meetings"),
        (status = 404, description = "No such forum"),
        (status = 422, description = "A bad field, or a rule outside the subset (naming the part)"),
    ),
    security(("bearer" = []))
)]
async fn preview_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<SeriesIn>,
) -> ApiResult<Json<SeriesPreviewOut>> {
    let starts = meetings::preview_series(&state, &user, forum_id, &input).await?;
    Ok(Json(SeriesPreviewOut { starts }))
}

/// A series and its meetings (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/meeting-series/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id")),
    responses(
        (status = 200, description = "The series", body = SeriesOut,
         headers(("ETag" = String, description = "The series' version"))),
        (status = 404, description = "No such series, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<SeriesOut>> {
    let out = meetings::get_series(&state, &user, id).await?;
    Ok(Tagged::new(out.version, out))
}

/// Cancel a series (the forum's officers).
///
/// Its meetings still to come are cancelled, with the reason; those that
/// have started or passed are left as they are. A series already cancelled
/// is 409.
#[utoipa::path(
    post,
    path = "/meeting-series/{id}/cancel",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id")),
    request_body = CancelSeriesIn,
    responses(
        (status = 200, description = "The series, cancelled", body = SeriesOut,
         headers(("ETag" = String, description = "The series' version now"))),
        (status = 403, description = "Only the forum's officers cancel meetings"),
        (status = 404, description = "No such series, or not yours to see"),
        (status = 409, description = "Already cancelled or ended, or changed meanwhile"),
        (status = 422, description = "No reason given"),
    ),
    security(("bearer" = []))
)]
async fn cancel_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<CancelSeriesIn>,
) -> ApiResult<Tagged<SeriesOut>> {
    let out = meetings::cancel_series(&state, &user, id, input).await?;
    Ok(Tagged::new(out.version, out))
}

/// Change a series from one of its meetings on ("this and following"; the forum's officers).
///
/// The series ends before that meeting and a new series, with the changes,
/// continues it (201, its `split_from` naming this one). The meetings
/// already made from that one on move to the new series in order — keeping
/// their RSVPs and agenda, taking the new times and details — and any the
/// new rule has no place for are cancelled. Split at the series' first
/// meeting, this series is `ended` and the new one replaces it whole.
/// Calendar feeds show the old series up to the split and the new one
/// after. The meeting must be scheduled and still to come (409), the series
/// active (409); with `If-Match`, the series' version must match (412).
#[utoipa::path(
    post,
    path = "/meeting-series/{id}/split",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Series id"), IfMatch),
    request_body = SplitIn,
    responses(
        (status = 201, description = "The new series, with its meetings", body = SeriesOut,
         headers(("Location" = String, description = "The new series' URL"),
                 ("ETag" = String, description = "The new series' version"))),
        (status = 403, description = "Only the forum's officers change meetings"),
        (status = 404, description = "No such series, or not yours to see"),
        (status = 409, description = "The series is not active, the meeting is not still to come, or the series changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
        (status = 422, description = "A bad field, a meeting of another series, a rule outside the subset, or nothing to change"),
    ),
    security(("bearer" = []))
)]
async fn split_series(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<SplitIn>,
) -> ApiResult<Created<SeriesOut>> {
    let out = meetings::split_series(&state, &user, id, input, &if_match).await?;
    Ok(created(out))
}
