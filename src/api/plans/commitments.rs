//! The JSON face of a plan's commitments: the list (or its CSV), adding,
//! reading, editing, and the history of a commitment's statuses.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::plans::{
    self, CommitmentIn, CommitmentOut, CommitmentPatch, CommitmentQuery, StatusChangeOut,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_commitments, create_commitment))
        .routes(routes!(get_commitment, patch_commitment))
        .routes(routes!(commitment_history))
}

fn tagged(out: CommitmentOut) -> Tagged<CommitmentOut> {
    Tagged::new(out.version, out)
}

/// One row of the commitments CSV.
#[derive(Serialize)]
struct CommitmentCsv {
    id: Uuid,
    reference: String,
    theme: &'static str,
    firmness: &'static str,
    status: &'static str,
    target: Option<String>,
    due_on: Option<NaiveDate>,
    text: String,
}

impl From<CommitmentOut> for CommitmentCsv {
    fn from(c: CommitmentOut) -> Self {
        Self {
            id: c.id,
            reference: c.reference,
            theme: c.theme.as_str(),
            firmness: c.firmness.as_str(),
            status: c.status.as_str(),
            target: c.target,
            due_on: c.due_on,
            text: c.text,
        }
    }
}

/// A plan's commitments, by reference (public).
///
/// With `q`, only commitments whose reference, text or target has its
/// words, best match first. With `Accept: text/csv` the answer is every
/// matching commitment as CSV (by reference).
#[utoipa::path(
    get,
    path = "/plans/{id}/commitments",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id"), CommitmentQuery),
    responses(
        (status = 200, description = "A page of commitments, or all of them as CSV",
         content((Page<CommitmentOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such plan"),
    )
)]
async fn list_commitments(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<CommitmentQuery>,
) -> ApiResult<Response> {
    if csv_export::wanted(&headers) {
        let rows = plans::all_commitments(&state, plan_id, query).await?;
        return csv_export::respond("commitments.csv", rows.into_iter().map(CommitmentCsv::from));
    }
    Ok(Json(plans::commitments(&state, plan_id, query).await?).into_response())
}

/// Add a commitment to a plan (the region's RPD staff, admins).
#[utoipa::path(
    post,
    path = "/plans/{id}/commitments",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id")),
    request_body = CommitmentIn,
    responses(
        (status = 201, description = "Commitment added", body = CommitmentOut,
         headers(
             ("Location" = String, description = "URL of the new commitment"),
             ("ETag" = String, description = "The commitment's first version"),
         )),
        (status = 404, description = "No such plan"),
        (status = 409, description = "The plan already has a commitment with this reference"),
    ),
    security(("bearer" = []))
)]
async fn create_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(plan_id): Path<Uuid>,
    Json(input): Json<CommitmentIn>,
) -> ApiResult<Created<CommitmentOut>> {
    let out = plans::add_commitment(&state, &user, plan_id, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("commitments/{}", out.id)), out).tagged(version))
}

/// One commitment (public).
#[utoipa::path(
    get,
    path = "/commitments/{id}",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id")),
    responses(
        (status = 200, description = "The commitment", body = CommitmentOut,
         headers(("ETag" = String, description = "The commitment's version"))),
        (status = 404, description = "No such commitment"),
    )
)]
async fn get_commitment(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<CommitmentOut>> {
    Ok(tagged(plans::commitment(&state, id).await?))
}

/// Edit a commitment or change its status (the region's RPD staff, admins).
///
/// A status change needs a `status_note` and is kept in the history, in the
/// same step. A `status_note` without a change of status is kept in the
/// history too, as a step from the status to itself, and raises the version. With `If-Match`, a write to a version other than the one sent is
/// refused (412); without it, a change committed by someone else while this
/// one was being made is 409. A PATCH that changes nothing leaves the version
/// as it is.
#[utoipa::path(
    patch,
    path = "/commitments/{id}",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id"), IfMatch),
    request_body = CommitmentPatch,
    responses(
        (status = 200, description = "The commitment as it now is", body = CommitmentOut,
         headers(("ETag" = String, description = "The commitment's version now"))),
        (status = 404, description = "No such commitment"),
        (status = 409, description = "The reference is taken in this plan, or the commitment changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn patch_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<CommitmentPatch>,
) -> ApiResult<Tagged<CommitmentOut>> {
    Ok(tagged(
        plans::change_commitment(&state, &user, id, patch, &if_match).await?,
    ))
}

/// Every status a commitment has had, with the note given, oldest first (public).
///
/// Who changed it is named to those who take part in the region's forum.
#[utoipa::path(
    get,
    path = "/commitments/{id}/history",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id"), PageQuery),
    responses(
        (status = 200, description = "A page of status changes", body = Page<StatusChangeOut>),
        (status = 404, description = "No such commitment"),
    ),
    security((), ("bearer" = []))
)]
async fn commitment_history(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<StatusChangeOut>>> {
    Ok(Json(
        plans::history(&state, caller.as_ref(), id, query).await?,
    ))
}
