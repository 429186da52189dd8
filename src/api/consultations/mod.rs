//! The JSON face of consultations: each handler extracts, calls the
//! operation of `crate::consultations` and responds.

mod contributions;
mod response;

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::consultations::{
    self, ConsultationDetail, ConsultationIn, ConsultationOut, ConsultationPatch, ConsultationQuery,
};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_consultations, register_consultation))
        .routes(routes!(list_consultation_responses))
        .routes(routes!(get_consultation, patch_consultation))
        .merge(contributions::router())
        .merge(response::router())
}

/// The forum's consultations, newest first (its participants; 401 or 403
/// to anyone else, as for its other records: the public reads the
/// submitted ones at `GET /forums/{id}/consultation-responses`).
#[utoipa::path(
    get,
    path = "/forums/{id}/consultations",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Forum id"), ConsultationQuery),
    responses(
        (status = 200, description = "A page of consultations", body = Page<ConsultationOut>),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a participant of this forum"),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_consultations(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<ConsultationQuery>,
) -> ApiResult<Json<Page<ConsultationOut>>> {
    Ok(Json(
        consultations::list(&state, caller.as_ref(), forum_id, query).await?,
    ))
}

/// The forum's submitted responses to consultations, newest first
/// (public): its voice on the record. Each one's questions and joint
/// answers are at `GET /consultations/{id}/response`.
#[utoipa::path(
    get,
    path = "/forums/{id}/consultation-responses",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Forum id"), PageQuery),
    responses(
        (status = 200, description = "A page of submitted consultations", body = Page<ConsultationOut>),
        (status = 404, description = "No such forum"),
        (status = 422, description = "An invalid limit or cursor"),
    )
)]
async fn list_consultation_responses(
    State(state): State<AppState>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<ConsultationOut>>> {
    Ok(Json(
        consultations::submitted(&state, forum_id, query).await?,
    ))
}

/// Register a consultation for the forum to answer (officers and the
/// region's RPD staff): who consults, its closing date, the forum's own
/// deadline for contributions and its questions, in order.
#[utoipa::path(
    post,
    path = "/forums/{id}/consultations",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = ConsultationIn,
    responses(
        (status = 201, description = "Registered, open for contributions", body = ConsultationDetail,
         headers(
             ("Location" = String, description = "URL of the consultation"),
             ("ETag" = String, description = "Its first version"),
         )),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn register_consultation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<ConsultationIn>,
) -> ApiResult<Created<ConsultationDetail>> {
    let out = consultations::register(&state, &user, forum_id, input).await?;
    let (id, version) = (out.consultation.id, out.consultation.version);
    Ok(Created::at(api_path(format_args!("consultations/{id}")), out).tagged(version))
}

/// One consultation with its questions: its forum's participants; anyone
/// once the forum's response is submitted.
#[utoipa::path(
    get,
    path = "/consultations/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id")),
    responses(
        (status = 200, description = "The consultation", body = ConsultationDetail,
         headers(("ETag" = String, description = "Its version"))),
        (status = 404, description = "No such consultation, or not yours to see"),
    ),
    security((), ("bearer" = []))
)]
async fn get_consultation(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<ConsultationDetail>> {
    let detail = consultations::get(&state, caller.as_ref(), id).await?;
    Ok(Tagged::new(detail.consultation.version, detail))
}

/// Change a consultation's details, or move it on.
///
/// Details (title, consulting body, source URL, description, dates): the
/// forum's officers and the region's RPD staff, while it is open or being
/// drafted. Status (officers): `open → drafting` closes contributions and
/// `drafting → open` takes them again; `drafting → agreed` needs the
/// members' poll on the response as it stands (`POST /forums/{id}/polls`
/// with `consultation_id`) closed and carried, with every question
/// answered; `agreed → submitted` records when (`submitted_on`, default
/// today) and a link or reference (`submission_reference`, required);
/// `withdrawn` (with `withdrawn_reason`) from any state before submission.
/// Once agreed the response is read-only; once submitted it is public.
#[utoipa::path(
    patch,
    path = "/consultations/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id"), IfMatch),
    request_body = ConsultationPatch,
    responses(
        (status = 200, description = "The consultation as it now is", body = ConsultationOut,
         headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such consultation, or not yours to see"),
        (status = 409, description = "Not a move its status can make now, a detail changed after drafting, or the response not agreed by the members' poll"),
    ),
    security(("bearer" = []))
)]
async fn patch_consultation(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<ConsultationPatch>,
) -> ApiResult<Tagged<ConsultationOut>> {
    let out = consultations::change(&state, &user, id, patch, &if_match).await?;
    Ok(Tagged::new(out.version, out))
}
