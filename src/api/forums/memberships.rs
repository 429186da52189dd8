//! The JSON face of organisations' memberships of a forum.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::forums::{self, MembershipChange, MembershipIn, MembershipOut, MembershipQuery};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_memberships, apply))
        .routes(routes!(get_membership, change_membership))
}

/// A forum's member organisations.
///
/// The forum's participants (and admins) see every membership in full and may
/// filter. Everyone else sees the active members' public profiles (name,
/// size band, led by and for, themes), plus their own organisation's
/// memberships in full.
#[utoipa::path(
    get,
    path = "/forums/{id}/memberships",
    tag = "memberships",
    params(("id" = Uuid, Path, description = "Forum id"), MembershipQuery),
    responses(
        (status = 200, description = "A page of memberships", body = Page<MembershipOut>),
        (status = 404, description = "No such forum"),
    ),
    security((), ("bearer" = []))
)]
async fn list_memberships(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<MembershipQuery>,
) -> ApiResult<Json<Page<MembershipOut>>> {
    Ok(Json(
        forums::memberships(&state, caller.as_ref(), forum_id, query).await?,
    ))
}

/// Apply to join the forum, for your organisation.
///
/// An organisation may have one open (applied, active or suspended)
/// membership of a forum at a time; a second is 409, also when both are made
/// at the same moment. After a rejection or leaving, it may apply again.
#[utoipa::path(
    post,
    path = "/forums/{id}/memberships",
    tag = "memberships",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = MembershipIn,
    responses(
        (status = 201, description = "Application made", body = MembershipOut,
         headers(("Location" = String, description = "URL of the new membership"))),
        (status = 404, description = "No such forum"),
        (status = 409, description = "The organisation already has an open membership"),
    ),
    security(("bearer" = []))
)]
async fn apply(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<MembershipIn>,
) -> ApiResult<Created<MembershipOut>> {
    let out = forums::apply(&state, &user, forum_id, input).await?;
    let location = api_path(format_args!("forums/{forum_id}/memberships/{}", out.id));
    Ok(Created::at(location, out))
}

/// One membership of the forum.
///
/// In full to the forum's participants (and admins) and to the
/// organisation's own people; an active membership's public profile to
/// anyone else. Any other membership is 404 to them, as is one of another
/// forum.
#[utoipa::path(
    get,
    path = "/forums/{id}/memberships/{membership_id}",
    tag = "memberships",
    params(
        ("id" = Uuid, Path, description = "Forum id"),
        ("membership_id" = Uuid, Path, description = "Membership id"),
    ),
    responses(
        (status = 200, description = "The membership", body = MembershipOut),
        (status = 404, description = "No such forum or membership, or not yours to see"),
    ),
    security((), ("bearer" = []))
)]
async fn get_membership(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path((forum_id, membership_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<MembershipOut>> {
    Ok(Json(
        forums::membership(&state, caller.as_ref(), forum_id, membership_id).await?,
    ))
}

/// Move a membership along its state machine.
///
/// Secretaries, chairs and admins approve (`active`) or reject an application,
/// suspend an active membership (with a reason) and reinstate a suspended one;
/// the organisation itself may leave (`left`). Any other move is 409.
/// Suspending or leaving ends the `member` roles of the organisation's people
/// in this forum, in the same step. The move is made only from the state
/// read: of several decisions made at the same moment, one is made and the
/// others are 409, naming the state they found.
#[utoipa::path(
    patch,
    path = "/forums/{id}/memberships/{membership_id}",
    tag = "memberships",
    params(
        ("id" = Uuid, Path, description = "Forum id"),
        ("membership_id" = Uuid, Path, description = "Membership id"),
    ),
    request_body = MembershipChange,
    responses(
        (status = 200, description = "The membership as it now is", body = MembershipOut),
        (status = 404, description = "No such forum or membership"),
        (status = 409, description = "That move is not allowed from the current state, or the membership changed meanwhile"),
    ),
    security(("bearer" = []))
)]
async fn change_membership(
    State(state): State<AppState>,
    user: AuthUser,
    Path((forum_id, membership_id)): Path<(Uuid, Uuid)>,
    Json(change): Json<MembershipChange>,
) -> ApiResult<Json<MembershipOut>> {
    Ok(Json(
        forums::decide(&state, &user, forum_id, membership_id, change).await?,
    ))
}
