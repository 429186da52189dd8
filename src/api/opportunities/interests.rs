//! The JSON face of the interest member organisations register in an
//! opportunity.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::opportunities::{self, InterestIn, InterestOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_interest, withdraw_interest))
        .routes(routes!(list_interests))
}

/// Register your organisation's interest in an opportunity, with an
/// optional note: people of an organisation with an active membership of
/// the region's forum (not observers or RPD staff). Once per organisation
/// (409 the second time); not in a withdrawn opportunity (409).
#[utoipa::path(
    post,
    path = "/opportunities/{id}/interest",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    request_body = InterestIn,
    responses(
        (status = 201, description = "Interest registered", body = InterestOut,
         headers(("Location" = String, description = "URL of your organisation's interest"))),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a person of a member organisation of the region's forum"),
        (status = 404, description = "No such opportunity"),
        (status = 409, description = "Your organisation has already registered interest, or the opportunity was withdrawn"),
        (status = 422, description = "An invalid note"),
    ),
    security(("bearer" = []))
)]
async fn register_interest(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<InterestIn>,
) -> ApiResult<Created<InterestOut>> {
    let out = opportunities::register_interest(&state, &user, id, input).await?;
    Ok(Created::at(
        api_path(format_args!("opportunities/{id}/interest")),
        out,
    ))
}

/// Withdraw your organisation's interest (whoever of it registered it).
#[utoipa::path(
    delete,
    path = "/opportunities/{id}/interest",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id")),
    responses(
        (status = 204, description = "Interest withdrawn"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not a person of a member organisation of the region's forum"),
        (status = 404, description = "No such opportunity, or your organisation has not registered interest in it"),
    ),
    security(("bearer" = []))
)]
async fn withdraw_interest(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    opportunities::withdraw_interest(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The organisations that registered interest, oldest first: the region's
/// RPD staff, the forum's officers and admins.
#[utoipa::path(
    get,
    path = "/opportunities/{id}/interests",
    tag = "opportunities",
    params(("id" = Uuid, Path, description = "Opportunity id"), PageQuery),
    responses(
        (status = 200, description = "A page of interests", body = Page<InterestOut>),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Only the region's RPD staff, the forum's officers and admins see who registered interest"),
        (status = 404, description = "No such opportunity"),
        (status = 422, description = "An invalid limit or cursor"),
    ),
    security(("bearer" = []))
)]
async fn list_interests(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<InterestOut>>> {
    Ok(Json(
        opportunities::interests(&state, &user, id, query).await?,
    ))
}
