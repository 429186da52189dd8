//! A meeting's agenda: its items, their order and their outcomes.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::actions::{ActionIn, ActionOut};
use crate::http::extract::{Json, Path};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::meetings::{
    self, AgendaItemIn, AgendaItemOut, AgendaItemPatch, AgendaOrderIn, AgendaOut, OutcomeIn,
    RecordedOutcome,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_agenda, add_item))
        .routes(routes!(get_item, patch_item, delete_item))
        .routes(routes!(order_agenda))
        .routes(routes!(put_outcome))
        .routes(routes!(create_action_from_item))
}

/// The item with its version as the `ETag`.
fn tagged(out: AgendaItemOut) -> Tagged<AgendaItemOut> {
    Tagged::new(out.version, out)
}

/// The meeting's agenda (the forum's participants). Each item carries its
/// `version`, to send back in `If-Match` when changing it.
#[utoipa::path(
    get,
    path = "/meetings/{id}/agenda-items",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The agenda", body = AgendaOut),
        (status = 404, description = "No such meeting, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AgendaOut>> {
    Ok(Json(meetings::agenda(&state, &user, id).await?))
}

/// Propose an agenda item (members, RPD staff), or add an accepted one
/// (secretary, chair), at the end of the agenda.
#[utoipa::path(
    post,
    path = "/meetings/{id}/agenda-items",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AgendaItemIn,
    responses(
        (status = 201, description = "The item: accepted when an officer adds it, otherwise proposed", body = AgendaItemOut,
         headers(
             ("Location" = String, description = "URL of the new item"),
             ("ETag" = String, description = "The item's first version"),
         )),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting is cancelled, held, or its agenda is full"),
    ),
    security(("bearer" = []))
)]
async fn add_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AgendaItemIn>,
) -> ApiResult<Created<AgendaItemOut>> {
    let out = meetings::add_item(&state, &user, id, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("agenda-items/{}", out.id)), out).tagged(version))
}

/// One agenda item (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id")),
    responses(
        (status = 200, description = "The item", body = AgendaItemOut,
         headers(("ETag" = String, description = "The item's version"))),
        (status = 404, description = "No such item, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<AgendaItemOut>> {
    Ok(tagged(meetings::item(&state, &user, id).await?))
}

/// Edit, accept or decline an agenda item (secretary, chair, admins).
///
/// `status` moves a proposal to `accepted` (placed at the end of the agenda)
/// or `declined`; any other move is 409. With `If-Match`, a change to a
/// version other than the one sent is refused (412); without it, the loser
/// of two concurrent changes gets 409 naming the state it found. A PATCH that
/// changes nothing leaves the version as it is.
#[utoipa::path(
    patch,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id"), IfMatch),
    request_body = AgendaItemPatch,
    responses(
        (status = 200, description = "The item as it now is", body = AgendaItemOut,
         headers(("ETag" = String, description = "The item's version now"))),
        (status = 404, description = "No such item, or not yours to see"),
        (status = 409, description = "Not a move the item can make, the meeting is closed to changes, or the item changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn patch_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<AgendaItemPatch>,
) -> ApiResult<Tagged<AgendaItemOut>> {
    Ok(tagged(
        meetings::change_item(&state, &user, id, patch, &if_match).await?,
    ))
}

/// Remove an agenda item (secretary, chair, admins).
///
/// With `If-Match`, an item changed since the version sent is not removed (412).
#[utoipa::path(
    delete,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id"), IfMatch),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such item, or not yours to see"),
        (status = 409, description = "The meeting is closed to changes, or the item changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn delete_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<StatusCode> {
    meetings::remove_item(&state, &user, id, &if_match).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Put the accepted items in order (secretary, chair, admins).
///
/// The list must hold every accepted item of the meeting exactly once (422
/// otherwise). Each item whose place changes gets a new version. Two orders
/// sent at once are applied one after the other, each whole: the agenda ends
/// in the order of the later one, never a mix of both. With `read_order`,
/// an order made on an agenda reordered since is refused (409), so that
/// one officer's order never silently undoes another's.
#[utoipa::path(
    put,
    path = "/meetings/{id}/agenda-order",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AgendaOrderIn,
    responses(
        (status = 200, description = "The agenda in its new order", body = AgendaOut),
        (status = 404, description = "No such meeting, or not yours to see"),
        (status = 409, description = "The meeting is closed to changes, its accepted items changed meanwhile, or its order is no longer `read_order`"),
    ),
    security(("bearer" = []))
)]
async fn order_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AgendaOrderIn>,
) -> ApiResult<Json<AgendaOut>> {
    Ok(Json(
        meetings::order_agenda(&state, &user, id, input).await?,
    ))
}

/// Record an item's outcome and the actions agreed on it, all or nothing.
///
/// The forum's officers, once the meeting is held: the whole body is
/// written in one transaction, or none of it. The decision or note, and
/// optionally the votes of the member organisations present (together no
/// more than were represented). `carried_over` takes the item up again at
/// the next meeting (the secretary's change to a held meeting's agenda).
/// Each of `actions` has the body and rules of
/// `POST /agenda-items/{id}/actions`. Every refused field — the outcome's
/// and each action's (`actions[0].due_on`) — is named in one 422, and then
/// nothing is written. Only for an item on the agenda of a held meeting
/// (409 otherwise). With `If-Match`, refused (412) if the item changed
/// since: of two saves sent with the same ETag one is written, and the
/// other writes nothing, its actions neither.
#[utoipa::path(
    put,
    path = "/agenda-items/{id}/outcome",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id"), IfMatch),
    request_body = OutcomeIn,
    responses(
        (status = 200, description = "The item with its outcome, and the actions made with it", body = RecordedOutcome,
         headers(("ETag" = String, description = "The item's version now"))),
        (status = 403, description = "Only the forum's officers"),
        (status = 404, description = "No such item, or not yours to see"),
        (status = 409, description = "The meeting is not held, the item is not on its agenda, only the secretary may carry it over, or (without If-Match) the item changed meanwhile"),
        (status = 412, description = "The item has changed since the ETag sent; nothing was written"),
        (status = 422, description = "No decision, more votes than organisations present, or an action refused (an owner that is not an active member organisation, none at all, a due date before the meeting, a link to another forum's or region's records); nothing was written"),
    ),
    security(("bearer" = []))
)]
async fn put_outcome(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<OutcomeIn>,
) -> ApiResult<Tagged<RecordedOutcome>> {
    let out = meetings::record_outcome(&state, &user, id, input.into(), &if_match).await?;
    Ok(Tagged::new(out.item.version, out))
}

/// Create an action agreed on an agenda item (the forum's officers, once
/// the meeting is held).
///
/// The same body and rules as `POST /forums/{id}/actions` (owners and
/// meeting of this forum, commitments of its region's plans: 422
/// otherwise); it belongs to the item's meeting and names the item, and
/// it has an owner, an organisation or a person, and is not due before the
/// meeting (422 otherwise). 409 before the meeting is held, or for an item
/// not on its agenda. To agree actions with the item's outcome, all or
/// none, send them in `PUT /agenda-items/{id}/outcome`.
#[utoipa::path(
    post,
    path = "/agenda-items/{id}/actions",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id")),
    request_body = ActionIn,
    responses(
        (status = 201, description = "The action", body = ActionOut,
         headers(("Location" = String, description = "The action's URL"),
                 ("ETag" = String, description = "The action's version"))),
        (status = 403, description = "Only the forum's officers"),
        (status = 404, description = "No such item, or not yours to see"),
        (status = 409, description = "The meeting is not held, or the item is not on its agenda"),
        (status = 422, description = "A bad field, or a link to another forum's or region's records"),
    ),
    security(("bearer" = []))
)]
async fn create_action_from_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<ActionIn>,
) -> ApiResult<Created<ActionOut>> {
    let out = meetings::agree_action(&state, &user, id, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("actions/{}", out.id)), out).tagged(version))
}
