//! The JSON face of the commissioning pipeline: each handler extracts,
//! calls the operation of `crate::opportunities` and responds.

mod awards;
mod interests;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use entity::ValueBand;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::opportunities::{
    self, OpportunityDetail, OpportunityIn, OpportunityOut, OpportunityPatch, OpportunityQuery,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_opportunities, create_opportunity))
        .routes(routes!(get_opportunity))
        .routes(routes!(change_opportunity))
        .merge(interests::router())
        .merge(awards::router())
}

fn tagged(out: OpportunityOut) -> Tagged<OpportunityOut> {
    Tagged::new(out.version, out)
}

/// An opportunity as a row of a spreadsheet: lists joined with `; `.
#[derive(Debug, Serialize)]
struct OpportunityCsv {
    id: Uuid,
    region: String,
    title: String,
    mechanism: &'static str,
    commissioner: &'static str,
    commissioner_name: Option<String>,
    value_band: Option<&'static str>,
    amount_pence: Option<i64>,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    status: &'static str,
    themes: String,
    led_by_and_for: String,
    localities: String,
}

impl From<OpportunityOut> for OpportunityCsv {
    fn from(o: OpportunityOut) -> Self {
        let join = |items: Vec<&str>| items.join("; ");
        Self {
            id: o.id,
            region: o.region,
            title: o.title,
            mechanism: o.mechanism.as_str(),
            commissioner: o.commissioner.as_str(),
            commissioner_name: o.commissioner_name,
            value_band: o.value_band.map(ValueBand::as_str),
            amount_pence: o.amount_pence,
            opens_on: o.opens_on,
            closes_on: o.closes_on,
            status: o.status.as_str(),
            themes: join(o.themes.iter().map(|t| t.as_str()).collect()),
            led_by_and_for: join(o.led_by_and_for.iter().map(|g| g.as_str()).collect()),
            localities: o.localities.join("; "),
        }
    }
}

/// A region's funding opportunities, newest first (public).
///
/// `status` is where each stands today (London's day): `upcoming`, `open`,
/// `closed`, `awarded` or `withdrawn`. With `Accept: text/csv` the answer is
/// every matching opportunity as CSV, newest first.
#[utoipa::path(
    get,
    path = "/regions/{code}/opportunities",
    tag = "opportunities",
    params(("code" = String, Path, description = "Region code"), OpportunityQuery),
    responses(
        (status = 200, description = "A page of opportunities, or all of them as CSV",
         content((Page<OpportunityOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such region"),
        (status = 422, description = "An invalid filter, limit or cursor"),
    ),
    security((), ("bearer" = []))
)]
async fn list_opportunities(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(query): Query<OpportunityQuery>,
) -> ApiResult<Response> {
    let caller = caller.as_ref();
    if csv_export::wanted(&headers) {
        let (region, rows) = opportunities::all(&state, caller, &code, query).await?;
        return csv_export::respond(
            &format!("opportunities-{region}.csv"),
            rows.into_iter().map(OpportunityCsv::from),
        );
    }
    Ok(Json(opportunities::list_as(&state, caller, &code, query).await?).into_response())
}

/// Publish a funding opportunity for the region (the region's RPD staff,
/// admins).
///
/// A value band, an amount in pence, or both (the amount within the band);
/// `closes_on` on or after `opens_on`; `commissioner_name` when the
/// commissioner is `other`; linked commitments of the region's current plan.
#[utoipa::path(
    post,
    path = "/regions/{code}/opportunities",
    tag = "opportunities",
    params(("code" = String, Path, description = "Region code")),
    request_body = OpportunityIn,
    responses(
        (status = 201, description = "Opportunity published", body = OpportunityOut,
         headers(
             ("Location" = String, description = "URL of the new opportunity"),
             ("ETag" = String, description = "The opportunity's first version"),
         )),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Only the region's RPD staff and admins publish opportunities"),
        (status = 404, description = "No such region"),
        (status = 422, description = "An invalid field: dates out of order, no value, an amount outside its band, an unnamed other commissioner, a commitment not of the region's current plan"),
    ),
    security(("bearer" = []))
)]
async fn create_opportunity(
    State(state): State<AppState>,
    user: AuthUser,
    Path(code): Path<String>,
    Json(input): Json<OpportunityIn>,
) -> ApiResult<Created<OpportunityOut>> {
    let out = opportunities::publish(&state, &user, &code, input).await?;
    let (id, version) = (out.id, out.version);
    Ok(Created::at(api_path(format_args!("opportunities/{id}")), out).tagged(version))
}

/// One opportunity, with its lists and its awards (public).
#[utoipa::path(
    get,
    path = "/opportunities/{id}",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    responses(
        (status = 200, description = "The opportunity", body = OpportunityDetail,
         headers(("ETag" = String, description = "The opportunity's version"))),
        (status = 404, description = "No such opportunity"),
    ),
    security((), ("bearer" = []))
)]
async fn get_opportunity(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<OpportunityDetail>> {
    let detail = opportunities::get(&state, caller.as_ref(), id).await?;
    Ok(Tagged::new(detail.opportunity.version, detail))
}

/// Edit an opportunity or withdraw it (the region's RPD staff, admins),
/// sending the ETag you read in `If-Match` (428 without it, 412 when stale).
///
/// Lists (`localities`, `themes`, `led_by_and_for`, `commitment_ids`)
/// replace the opportunity's. `{"status": "withdrawn", "withdrawn_reason":
/// "…"}` withdraws it; an awarded opportunity cannot be withdrawn and a
/// withdrawn one cannot change (409). A PATCH that changes nothing leaves
/// the version as it is.
#[utoipa::path(
    patch,
    path = "/opportunities/{id}",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id"), crate::http::if_match::IfMatchRequired),
    request_body = OpportunityPatch,
    responses(
        (status = 200, description = "The opportunity as it now is", body = OpportunityOut,
         headers(("ETag" = String, description = "The opportunity's version now"))),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Only the region's RPD staff and admins change opportunities"),
        (status = 404, description = "No such opportunity"),
        (status = 409, description = "The opportunity is withdrawn, or awarded and cannot be withdrawn"),
        (status = 412, description = "If-Match is stale"),
        (status = 422, description = "An invalid field, or a status other than withdrawn"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
async fn change_opportunity(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<OpportunityPatch>,
) -> ApiResult<Tagged<OpportunityOut>> {
    Ok(tagged(
        opportunities::change(&state, &user, id, patch, &if_match).await?,
    ))
}
