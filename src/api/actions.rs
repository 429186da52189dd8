//! The JSON face of actions: each handler extracts, calls the operation of
//! `crate::actions` and responds.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::actions::{self, ActionIn, ActionOut, ActionPatch, ActionQuery, UpdateIn, UpdateOut};
use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::if_match::etag;
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_actions, create_action))
        .routes(routes!(get_action, patch_action))
        .routes(routes!(list_updates, add_update))
        .routes(routes!(link_commitment, unlink_commitment))
        .routes(routes!(actions_behind_commitment))
}

fn tagged(out: ActionOut) -> Tagged<ActionOut> {
    Tagged::new(out.version, out)
}

/// One row of the actions CSV.
#[derive(Serialize)]
struct ActionCsv {
    id: Uuid,
    title: String,
    status: &'static str,
    due_on: Option<NaiveDate>,
    overdue: bool,
    owner_organisation_id: Option<Uuid>,
    owner_organisation_name: Option<String>,
    owner_user_id: Option<Uuid>,
    owner_user_name: Option<String>,
    meeting_id: Option<Uuid>,
    completed_at: Option<String>,
    commitment_ids: String,
    description: String,
}

impl From<ActionOut> for ActionCsv {
    fn from(a: ActionOut) -> Self {
        Self {
            id: a.id,
            title: a.title,
            status: a.status.as_str(),
            due_on: a.due_on,
            overdue: a.overdue,
            owner_organisation_id: a.owner_organisation_id,
            owner_organisation_name: a.owner_organisation_name,
            owner_user_id: a.owner_user_id,
            owner_user_name: a.owner_user_name,
            meeting_id: a.meeting_id,
            completed_at: a.completed_at.map(|t| t.to_rfc3339()),
            commitment_ids: a
                .commitment_ids
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            description: a.description,
        }
    }
}

/// The forum's actions, soonest due first (undated last) (the forum's participants).
///
/// With `q`, only actions whose title or description has its words, best
/// match first. With `Accept: text/csv` the answer is every matching action
/// as CSV (in due order).
#[utoipa::path(
    get,
    path = "/forums/{id}/actions",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Forum id"), ActionQuery),
    responses(
        (status = 200, description = "A page of actions, or all of them as CSV",
         content((Page<ActionOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_actions(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<ActionQuery>,
) -> ApiResult<Response> {
    if csv_export::wanted(&headers) {
        let rows = actions::all(&state, &user, forum_id, query).await?;
        return csv_export::respond("actions.csv", rows.into_iter().map(ActionCsv::from));
    }
    Ok(Json(actions::list(&state, &user, forum_id, query).await?).into_response())
}

/// Record an action (members, officers, RPD staff).
///
/// Linked commitments must come from a plan of the forum's own region (422 otherwise).
#[utoipa::path(
    post,
    path = "/forums/{id}/actions",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = ActionIn,
    responses(
        (status = 201, description = "Action recorded", body = ActionOut,
         headers(
             ("Location" = String, description = "URL of the new action"),
             ("ETag" = String, description = "The action's first version"),
         )),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn create_action(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<ActionIn>,
) -> ApiResult<Created<ActionOut>> {
    let out = actions::create(&state, &user, forum_id, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("actions/{}", out.id)), out).tagged(version))
}

/// One action (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/actions/{id}",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Action id")),
    responses(
        (status = 200, description = "The action", body = ActionOut,
         headers(("ETag" = String, description = "The action's version"))),
        (status = 404, description = "No such action, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_action(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<ActionOut>> {
    Ok(tagged(actions::get(&state, &user, id).await?))
}

/// Update an action (officers, and the members of the organisation that owns it).
///
/// Status moves follow `open → in-progress → done`, any open state →
/// `blocked | cancelled`, `blocked → in-progress` (409 otherwise);
/// `completed_at` is set when it is done. With `If-Match`, a write to a
/// version other than the one sent is refused (412); without it, a change
/// committed by someone else while this one was being made is 409. A PATCH
/// that changes nothing leaves the version as it is.
#[utoipa::path(
    patch,
    path = "/actions/{id}",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Action id"), IfMatch),
    request_body = ActionPatch,
    responses(
        (status = 200, description = "The action as it now is", body = ActionOut,
         headers(("ETag" = String, description = "The action's version now"))),
        (status = 404, description = "No such action, or not yours to see"),
        (status = 409, description = "Not a move the action can make, or changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn patch_action(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<ActionPatch>,
) -> ApiResult<Tagged<ActionOut>> {
    Ok(tagged(
        actions::change(&state, &user, id, patch, &if_match).await?,
    ))
}

/// The action's progress log, oldest first (the forum's participants).
#[utoipa::path(
    get,
    path = "/actions/{id}/updates",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Action id"), PageQuery),
    responses(
        (status = 200, description = "A page of progress updates", body = Page<UpdateOut>),
        (status = 404, description = "No such action, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn list_updates(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<UpdateOut>>> {
    Ok(Json(actions::progress(&state, &user, id, query).await?))
}

/// Log progress on an action, optionally moving its status in the same step
/// (officers, and the members of the organisation that owns it). With
/// `If-Match`, the note is written only to that version, and raises it.
#[utoipa::path(
    post,
    path = "/actions/{id}/updates",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Action id"), IfMatch),
    request_body = UpdateIn,
    responses(
        (status = 201, description = "Update logged", body = UpdateOut,
         headers(("ETag" = String, description = "The action's version now"))),
        (status = 404, description = "No such action, or not yours to see"),
        (status = 409, description = "Not a move the action can make"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn add_update(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<UpdateIn>,
) -> ApiResult<Created<UpdateOut>> {
    let (update, version) = actions::log_progress(&state, &user, id, input, &if_match).await?;
    Ok(Created::at(api_path(format_args!("actions/{id}/updates")), update).tagged(version))
}

/// Tie an action to a commitment of its region's plans (officers, and the
/// members of the organisation that owns the action). Another region's
/// commitment is 422. A new link raises the action's version; linking again
/// changes nothing.
#[utoipa::path(
    put,
    path = "/actions/{id}/commitments/{commitment_id}",
    tag = "actions",
    params(
        ("id" = Uuid, Path, description = "Action id"),
        ("commitment_id" = Uuid, Path, description = "Commitment id"),
        IfMatch,
    ),
    responses(
        (status = 200, description = "The action with its links", body = ActionOut,
         headers(("ETag" = String, description = "The action's version now"))),
        (status = 404, description = "No such action or commitment"),
        (status = 409, description = "The action changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn link_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, commitment_id)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
) -> ApiResult<Tagged<ActionOut>> {
    Ok(tagged(
        actions::link(&state, &user, id, commitment_id, &if_match).await?,
    ))
}

/// Untie an action from a commitment; the action's version rises.
#[utoipa::path(
    delete,
    path = "/actions/{id}/commitments/{commitment_id}",
    tag = "actions",
    params(
        ("id" = Uuid, Path, description = "Action id"),
        ("commitment_id" = Uuid, Path, description = "Commitment id"),
        IfMatch,
    ),
    responses(
        (status = 204, description = "Link removed",
         headers(("ETag" = String, description = "The action's version now"))),
        (status = 404, description = "No such action, or it is not linked to that commitment"),
        (status = 409, description = "The action changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn unlink_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, commitment_id)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
) -> ApiResult<(StatusCode, HeaderMap)> {
    let version = actions::unlink(&state, &user, id, commitment_id, &if_match).await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(version));
    Ok((StatusCode::NO_CONTENT, headers))
}

/// The actions behind a commitment, soonest due first (participants of the
/// region's forum; the accountability report gives everyone the counts).
#[utoipa::path(
    get,
    path = "/commitments/{id}/actions",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id"), PageQuery),
    responses(
        (status = 200, description = "A page of linked actions", body = Page<ActionOut>),
        (status = 404, description = "No such commitment, or its region has no forum"),
    ),
    security(("bearer" = []))
)]
async fn actions_behind_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<ActionOut>>> {
    Ok(Json(
        actions::for_commitment(&state, &user, id, query).await?,
    ))
}
