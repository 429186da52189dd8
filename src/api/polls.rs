//! The JSON face of polls: each handler extracts, calls the operation of
//! `crate::polls` and responds.

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
use crate::polls::{
    self, PollDetail, PollIn, PollOut, PollPatch, PollQuery, ResultsOut, VoteIn, VoteOut,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_polls, create_poll))
        .routes(routes!(get_poll))
        .routes(routes!(change_poll))
        .routes(routes!(vote_in_poll))
        .routes(routes!(get_poll_results))
}

/// The forum's polls, newest first (the forum's participants), optionally
/// only those that are `upcoming`, `open`, `closed` or `cancelled` now.
#[utoipa::path(
    get,
    path = "/forums/{id}/polls",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Forum id"), PollQuery),
    responses(
        (status = 200, description = "A page of polls", body = Page<PollOut>),
        (status = 403, description = "Not a participant of this forum"),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_polls(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<PollQuery>,
) -> ApiResult<Json<Page<PollOut>>> {
    Ok(Json(polls::list(&state, &user, forum_id, query).await?))
}

/// Put a poll to the forum's member organisations (secretary, chair, admins).
///
/// It opens at `opens_at` (now unless later) and closes at `closes_at`; each
/// organisation with an active membership has one vote. A poll may decide
/// an agenda item of one of the forum's meetings, or agree the joint
/// response to one of its consultations (agree-disagree-abstain only, while
/// the consultation is drafting and has no other poll to close: 409).
#[utoipa::path(
    post,
    path = "/forums/{id}/polls",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = PollIn,
    responses(
        (status = 201, description = "Poll put", body = PollOut,
         headers(
             ("Location" = String, description = "URL of the new poll"),
             ("ETag" = String, description = "The poll's first version"),
         )),
        (status = 403, description = "Only the forum's officers put polls"),
        (status = 404, description = "No such forum"),
        (status = 409, description = "The consultation is not drafting its response, or has another poll still to close"),
        (status = 422, description = "An invalid field: options that do not fit the kind, times out of order, a link that is not this forum's"),
    ),
    security(("bearer" = []))
)]
async fn create_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<PollIn>,
) -> ApiResult<Created<PollOut>> {
    let out = polls::create(&state, &user, forum_id, input).await?;
    let (id, version) = (out.id, out.version);
    Ok(Created::at(api_path(format_args!("polls/{id}")), out).tagged(version))
}

/// One poll (the forum's participants; 404 to anyone else): its options,
/// where it stands, the vote of the caller's organisation, and its results
/// once they may be shown. The ETag is the poll's own version: votes do not
/// change it.
#[utoipa::path(
    get,
    path = "/polls/{id}",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id")),
    responses(
        (status = 200, description = "The poll", body = PollDetail,
         headers(("ETag" = String, description = "The poll's version"))),
        (status = 404, description = "No such poll, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<PollDetail>> {
    let detail = polls::get(&state, &user, id).await?;
    Ok(Tagged::new(detail.poll.version, detail))
}

/// Change or cancel a poll (secretary, chair, admins), sending the ETag you
/// read in `If-Match` (428 without it, 412 when stale).
///
/// Before it opens, any field but its kind may change (`options` replaces
/// the options, with new ids). Once it is open, only a later `closes_at`, or
/// `"status": "cancelled"` with a `cancel_reason`; anything else is 409. A
/// closed or cancelled poll cannot change (409). A PATCH that changes
/// nothing leaves the version as it is.
#[utoipa::path(
    patch,
    path = "/polls/{id}",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id"), crate::http::if_match::IfMatchRequired),
    request_body = PollPatch,
    responses(
        (status = 200, description = "The poll as it now is", body = PollOut,
         headers(("ETag" = String, description = "The poll's version now"))),
        (status = 403, description = "Only the forum's officers change polls"),
        (status = 404, description = "No such poll, or not yours to see"),
        (status = 409, description = "The poll is open (and the change is more than a later closing or a cancellation), closed or cancelled; or the consultation cannot take it"),
        (status = 412, description = "If-Match is stale"),
        (status = 422, description = "An invalid field, a kind other than the poll's, or a status other than cancelled"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
async fn change_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<PollPatch>,
) -> ApiResult<Tagged<PollOut>> {
    let out = polls::change(&state, &user, id, patch, &if_match).await?;
    Ok(Tagged::new(out.version, out))
}

/// Vote for your organisation (members and officers whose organisation is
/// an active member of the forum; not observers or RPD staff).
///
/// An organisation has one vote: whoever of its people votes last, until
/// the poll closes, decides it, and the answer is the organisation's vote
/// as it now stands. Two of its people voting at the same moment are taken
/// one after the other, so exactly one of their votes stands. The audit
/// trail records what was chosen only when the poll's voting is open.
#[utoipa::path(
    put,
    path = "/polls/{id}/vote",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id")),
    request_body = VoteIn,
    responses(
        (status = 200, description = "Your organisation's vote", body = VoteOut),
        (status = 403, description = "Observers and RPD staff do not vote, nor does anyone whose organisation is not an active member"),
        (status = 404, description = "No such poll, or not yours to see"),
        (status = 409, description = "The poll is not open yet, has closed or was cancelled"),
        (status = 422, description = "No option, an option twice, an option of another poll, or more options than the poll takes"),
    ),
    security(("bearer" = []))
)]
async fn vote_in_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<VoteIn>,
) -> ApiResult<Json<VoteOut>> {
    Ok(Json(polls::vote(&state, &user, id, input).await?))
}

/// The poll's results (the forum's participants): each option's votes in
/// option order, how many of the organisations with an active membership
/// voted, which ones (and how, when the poll's voting is open) and, for an
/// agree-disagree-abstain poll once closed, whether it carried (more agreed
/// than disagreed). Shown once the poll closes, or while it is open if it
/// was put with `results_before_close`; otherwise 409, saying when.
#[utoipa::path(
    get,
    path = "/polls/{id}/results",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id")),
    responses(
        (status = 200, description = "The results", body = ResultsOut),
        (status = 404, description = "No such poll, or not yours to see"),
        (status = 409, description = "The results are not shown yet, or the poll was cancelled"),
    ),
    security(("bearer" = []))
)]
async fn get_poll_results(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ResultsOut>> {
    Ok(Json(polls::results(&state, &user, id).await?))
}
