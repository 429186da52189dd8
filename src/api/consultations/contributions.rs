//! The JSON face of contributions to a consultation.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::consultations::{
    self, ContributionEdit, ContributionIn, ContributionOut, ContributionQuery,
};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contributions, contribute))
        .routes(routes!(get_contribution, edit_contribution))
}

fn tagged(out: ContributionOut) -> Tagged<ContributionOut> {
    Tagged::new(out.version, out)
}

/// Every contribution to the consultation, oldest first (the forum's
/// participants; never the public).
#[utoipa::path(
    get,
    path = "/consultations/{id}/contributions",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id"), ContributionQuery),
    responses(
        (status = 200, description = "A page of contributions", body = Page<ContributionOut>),
        (status = 404, description = "No such consultation, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn list_contributions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<ContributionQuery>,
) -> ApiResult<Json<Page<ContributionOut>>> {
    Ok(Json(
        consultations::contributions(&state, &user, id, query).await?,
    ))
}

/// Contribute your organisation's answer to a question (people of the
/// forum's active member organisations, but observers and RPD staff), while
/// the consultation is open and until the end of its internal deadline.
/// One per organisation per question: edit it with `PATCH` after.
#[utoipa::path(
    post,
    path = "/consultations/{id}/contributions",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id")),
    request_body = ContributionIn,
    responses(
        (status = 201, description = "Contributed", body = ContributionOut,
         headers(
             ("Location" = String, description = "URL of the contribution"),
             ("ETag" = String, description = "Its first version"),
         )),
        (status = 404, description = "No such consultation, or not yours to see"),
        (status = 409, description = "Contributions are closed, or your organisation has already contributed to this question"),
    ),
    security(("bearer" = []))
)]
async fn contribute(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<ContributionIn>,
) -> ApiResult<Created<ContributionOut>> {
    let out = consultations::contribute(&state, &user, id, input).await?;
    let (id, version) = (out.id, out.version);
    Ok(Created::at(api_path(format_args!("contributions/{id}")), out).tagged(version))
}

/// One contribution (the forum's participants).
#[utoipa::path(
    get,
    path = "/contributions/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Contribution id")),
    responses(
        (status = 200, description = "The contribution", body = ContributionOut,
         headers(("ETag" = String, description = "Its version"))),
        (status = 404, description = "No such contribution, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_contribution(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<ContributionOut>> {
    Ok(tagged(
        consultations::contribution(&state, &user, id).await?,
    ))
}

/// Edit your organisation's contribution (any of its people), with
/// `If-Match`, until the end of the forum's deadline.
#[utoipa::path(
    patch,
    path = "/contributions/{id}",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Contribution id"), crate::http::if_match::IfMatchRequired),
    request_body = ContributionEdit,
    responses(
        (status = 200, description = "The contribution as it now is", body = ContributionOut,
         headers(("ETag" = String, description = "Its new version"))),
        (status = 404, description = "No such contribution, or not yours to see"),
        (status = 409, description = "Contributions are closed"),
        (status = 428, description = "No If-Match: send the ETag you last read"),
    ),
    security(("bearer" = []))
)]
async fn edit_contribution(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<ContributionEdit>,
) -> ApiResult<Tagged<ContributionOut>> {
    Ok(tagged(
        consultations::edit_contribution(&state, &user, id, input, &if_match).await?,
    ))
}
