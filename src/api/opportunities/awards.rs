//! The JSON face of awards: recorded under an opportunity, read, corrected
//! or withdrawn, and their history.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::opportunities::{self, AwardIn, AwardOut, AwardPatch, AwardRevisionOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_awards, record_award))
        .routes(routes!(get_award, change_award))
        .routes(routes!(award_history))
}

fn tagged(out: AwardOut) -> Tagged<AwardOut> {
    Tagged::new(out.version, out)
}

/// Record an award under the opportunity (the region's RPD staff, admins):
/// to a Convene organisation (`organisation_id`) or an outside body
/// (`recipient_name`), exactly one. The organisation's size band,
/// supply-chain standing and led-by-and-for categories are kept as they
/// stand now. The first award makes the opportunity `awarded` (and raises
/// its version). Not under a withdrawn opportunity (409).
#[utoipa::path(
    post,
    path = "/opportunities/{id}/awards",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    request_body = AwardIn,
    responses(
        (status = 201, description = "Award recorded", body = AwardOut,
         headers(("Location" = String, description = "URL of the opportunity's awards"))),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Only the region's RPD staff and admins record awards"),
        (status = 404, description = "No such opportunity"),
        (status = 409, description = "The opportunity was withdrawn"),
        (status = 422, description = "An invalid field: not exactly one recipient, an amount outside 1 to 100000000000 pence (£1bn), dates out of order, no such organisation"),
    ),
    security(("bearer" = []))
)]
async fn record_award(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AwardIn>,
) -> ApiResult<Created<AwardOut>> {
    let out = opportunities::award(&state, &user, id, input).await?;
    Ok(Created::at(
        api_path(format_args!("opportunities/{id}/awards")),
        out,
    ))
}

/// The opportunity's awards, oldest first (public), withdrawn ones too
/// (marked so; they count in no report).
///
/// The awarded organisation is named to everyone; who recorded the award,
/// to those who take part in the region's forum.
#[utoipa::path(
    get,
    path = "/opportunities/{id}/awards",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id"), PageQuery),
    responses(
        (status = 200, description = "A page of awards", body = Page<AwardOut>),
        (status = 404, description = "No such opportunity"),
        (status = 422, description = "An invalid limit or cursor"),
    ),
    security((), ("bearer" = []))
)]
async fn list_awards(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<AwardOut>>> {
    Ok(Json(
        opportunities::awards(&state, caller.as_ref(), id, query).await?,
    ))
}

/// One award (public).
#[utoipa::path(
    get,
    path = "/awards/{id}",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Award id")),
    responses(
        (status = 200, description = "The award", body = AwardOut,
         headers(("ETag" = String, description = "The award's version"))),
        (status = 404, description = "No such award"),
    ),
    security((), ("bearer" = []))
)]
async fn get_award(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<AwardOut>> {
    Ok(tagged(
        opportunities::get_award(&state, caller.as_ref(), id).await?,
    ))
}

/// Correct an award or withdraw it (the region's RPD staff, admins), with
/// a `reason`, sending the ETag you read in `If-Match` (428 without it,
/// 412 when stale).
///
/// Any of its recipient, amount and dates may be corrected; a corrected
/// organisation's size band, supply-chain standing and led-by-and-for
/// groups are taken as they stand now. `{"status": "withdrawn", "reason":
/// "…"}` withdraws it: it then counts in no report, cannot change again
/// (409), and an opportunity left with no standing award is no longer
/// `awarded`. Each change is kept in the award's history
/// (`GET /awards/{id}/revisions`) and the audit trail; the region's report
/// follows at once. A PATCH that changes nothing keeps the version.
#[utoipa::path(
    patch,
    path = "/awards/{id}",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Award id"), crate::http::if_match::IfMatchRequired),
    request_body = AwardPatch,
    responses(
        (status = 200, description = "The award as it now is", body = AwardOut,
         headers(("ETag" = String, description = "The award's version now"))),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Only the region's RPD staff and admins correct awards"),
        (status = 404, description = "No such award"),
        (status = 409, description = "The award was withdrawn, or changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
        (status = 422, description = "An invalid field: no reason, not exactly one recipient, an amount outside 1 to £1bn, dates out of order, no such organisation"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
async fn change_award(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<AwardPatch>,
) -> ApiResult<Tagged<AwardOut>> {
    Ok(tagged(
        opportunities::change_award(&state, &user, id, patch, &if_match).await?,
    ))
}

/// Every state the award has had, oldest first (public): as made, then
/// after each correction or its withdrawal, with why.
///
/// Who changed it is named to those who take part in the region's forum.
#[utoipa::path(
    get,
    path = "/awards/{id}/revisions",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Award id"), PageQuery),
    responses(
        (status = 200, description = "A page of the award's states", body = Page<AwardRevisionOut>),
        (status = 404, description = "No such award"),
        (status = 422, description = "An invalid limit or cursor"),
    ),
    security((), ("bearer" = []))
)]
async fn award_history(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<AwardRevisionOut>>> {
    Ok(Json(
        opportunities::award_history(&state, caller.as_ref(), id, query).await?,
    ))
}
