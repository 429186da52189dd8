//! The JSON face of minutes: each handler extracts, calls the operation of
//! `crate::minutes` and responds.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
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
use crate::minutes::{self, MinutesIn, MinutesOut, RevisionOut, RevisionQuery, Written};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_minutes, put_minutes))
        .routes(routes!(approve_minutes))
        .routes(routes!(list_revisions))
        .routes(routes!(draft_from_agenda))
}

fn tagged(out: MinutesOut) -> Tagged<MinutesOut> {
    Tagged::new(out.version, out)
}

/// `201 Created` for the first version of a meeting's minutes.
fn first(meeting_id: Uuid, out: MinutesOut) -> Created<MinutesOut> {
    let version = out.version;
    Created::at(api_path(format_args!("meetings/{meeting_id}/minutes")), out).tagged(version)
}

/// A meeting's minutes.
///
/// Approved minutes are public. Draft minutes are for the forum's participants
/// only: anyone else, signed in or not, gets 404, as if there were none.
#[utoipa::path(
    get,
    path = "/meetings/{id}/minutes",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The minutes", body = MinutesOut,
         headers(("ETag" = String, description = "The minutes' version"))),
        (status = 404, description = "No minutes you can see"),
    ),
    security((), ("bearer" = []))
)]
async fn get_minutes(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<MinutesOut>> {
    Ok(tagged(minutes::get(&state, caller.as_ref(), id).await?))
}

/// Draft or edit the minutes (secretary, chair, admins).
///
/// The first write needs no `If-Match` (and is refused with 412 if it sends
/// one: there is nothing yet to match); if someone else's first draft is
/// saved first, this one is refused with 409. Every later write must send the
/// ETag of the version it edits (428 without it, 412 when stale), so two
/// editors never overwrite each other. Every version is kept (see
/// `/minutes/revisions`); sending the text unchanged makes no new version.
/// Approved minutes are read-only (409).
///
/// The minutes are `sections`, each tied to an agenda item of this meeting
/// or free, each with a visibility (`public`, `participants`, `officers`;
/// a reason unless public). A section of an item takes the item's
/// visibility by default and may not be more open than it. Readers who may
/// not read a section see `Withheld: <reason>` in its place. `body` alone
/// is shorthand for one public section with no heading.
#[utoipa::path(
    put,
    path = "/meetings/{id}/minutes",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), IfMatch),
    request_body = MinutesIn,
    responses(
        (status = 200, description = "Minutes updated", body = MinutesOut,
         headers(("ETag" = String, description = "The version now"))),
        (status = 201, description = "Minutes drafted", body = MinutesOut,
         headers(
             ("Location" = String, description = "URL of the minutes"),
             ("ETag" = String, description = "The first version"),
         )),
        (status = 403, description = "Only the secretary, the chair and admins write minutes"),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The minutes are approved, the meeting was cancelled, or someone else drafted them first"),
        (status = 412, description = "If-Match is stale"),
        (status = 422, description = "Both or neither of sections and body, or a bad section (named as `sections[2].visibility_reason`)"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
async fn put_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<MinutesIn>,
) -> ApiResult<Response> {
    Ok(
        match minutes::write(&state, &user, id, input, &if_match).await? {
            Written::First(out) => first(id, out).into_response(),
            Written::Edited(out) => tagged(out).into_response(),
        },
    )
}

/// Approve the minutes: the chair, or the secretary where the forum has no
/// chair (and admins); only once the meeting is held. They then become public
/// and read-only.
///
/// Approval is a new version of the minutes (the approved text is kept as
/// its last revision), so the ETag changes. With `If-Match`, minutes changed
/// since the version sent are not approved (412): you approve what you read.
/// Of several approvals sent at once exactly one succeeds; the others get 409.
#[utoipa::path(
    post,
    path = "/meetings/{id}/minutes/approve",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), IfMatch),
    responses(
        (status = 200, description = "The approved minutes", body = MinutesOut,
         headers(("ETag" = String, description = "The approved version"))),
        (status = 404, description = "No such meeting or minutes, or not yours to see"),
        (status = 409, description = "Already approved, or the meeting is not held yet"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn approve_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<Tagged<MinutesOut>> {
    Ok(tagged(
        minutes::approve(&state, &user, id, &if_match).await?,
    ))
}

/// Every version of the minutes, oldest first: who wrote it, when, and what
/// (the forum's participants; sections they may not read are withheld, as
/// in the minutes). The last one of approved minutes is the
/// approved text, by whoever approved it.
#[utoipa::path(
    get,
    path = "/meetings/{id}/minutes/revisions",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), RevisionQuery),
    responses(
        (status = 200, description = "A page of revisions", body = Page<RevisionOut>),
        (status = 404, description = "No such meeting or minutes, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn list_revisions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<RevisionQuery>,
) -> ApiResult<Json<Page<RevisionOut>>> {
    Ok(Json(minutes::revisions(&state, &user, id, query).await?))
}

/// Draft a held meeting's minutes from its record (its officers).
///
/// Composes sections — the organisations represented (from attendance),
/// matters arising, and one section for each agenda item with its decision
/// and votes, with the item's visibility — as the first version of the
/// minutes, which the secretary then edits as usual. Only for a held
/// meeting with no minutes yet (409 otherwise).
#[utoipa::path(
    post,
    path = "/meetings/{id}/minutes/draft-from-agenda",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 201, description = "The first draft", body = crate::minutes::types::MinutesOut,
         headers(("Location" = String, description = "The minutes' URL"),
                 ("ETag" = String, description = "The minutes' version"))),
        (status = 403, description = "Only the forum's officers draft minutes"),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting is not held, or has minutes already"),
    ),
    security(("bearer" = []))
)]
async fn draft_from_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Created<MinutesOut>> {
    Ok(first(
        id,
        minutes::draft_from_agenda(&state, &user, id).await?,
    ))
}
