use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use entity::{ActionStatus, action_commitment, action_item};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
    QueryTrait, Set,
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    self, check_references, commitment_ids_of, due_sort_of, filtered, in_due_order, move_status,
    with_commitment_ids,
};
use super::types::{ActionIn, ActionOut, ActionPatch, ActionQuery, check_action};
use crate::counters::{self, ActionFacts};
use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::plans::require_own_region;
use crate::search::{self, Corpus, SearchPage, Terms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_actions, create_action))
        .routes(routes!(get_action, patch_action))
}

pub(super) fn tagged(out: ActionOut) -> Tagged<ActionOut> {
    Tagged::new(out.version, out)
}

pub(super) async fn action_out(
    state: &AppState,
    action: action_item::Model,
) -> ApiResult<ActionOut> {
    let links = commitment_ids_of(&state.db, &[action.id])
        .await?
        .remove(&action.id)
        .unwrap_or_default();
    Ok(ActionOut::new(
        action,
        links,
        state.clock.now().date_naive(),
    ))
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
    owner_user_id: Option<Uuid>,
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
            owner_user_id: a.owner_user_id,
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
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
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
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let today = state.clock.now().date_naive();
    let backend = state.db.get_database_backend();
    let terms = Terms::from_query(query.q.as_deref())?;
    if csv_export::wanted(&headers) {
        let (db, query, terms) = (&state.db, &query, &terms);
        let rows = crate::kernel::pagination::every_row(
            |last: Option<(NaiveDate, Uuid)>| async move {
                let mut select = filtered(forum_id, query, today);
                if let Some(terms) = terms {
                    select = select.filter(search::matches(backend, Corpus::Actions, terms));
                }
                if let Some(key) = last {
                    select = select.filter(queries::after(key));
                }
                with_commitment_ids(
                    in_due_order(select).limit(crate::kernel::pagination::BATCH),
                    backend,
                )
                .all(db)
                .await
                .map_err(ApiError::from)
            },
            |row| due_sort_of(&row.record),
        )
        .await?;
        let rows = rows
            .into_iter()
            .map(|row| ActionCsv::from(ActionOut::listed(row, today)));
        return csv_export::respond("actions.csv", rows);
    }
    if let Some(terms) = terms {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let rows = filtered(forum_id, &query, today).into_query();
        let page = search::page(
            &state.db,
            rows,
            Corpus::Actions,
            &terms,
            &page,
            |ids| async {
                let found =
                    filtered(forum_id, &query, today).filter(action_item::Column::Id.is_in(ids));
                Ok(with_commitment_ids(found, backend)
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|row| (row.record.id, ActionOut::listed(row, today)))
                    .collect())
            },
        )
        .await?;
        return Ok(Json(page).into_response());
    }
    let page = PageRequest::<(NaiveDate, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(forum_id, &query, today);
    if let Some(key) = page.after {
        select = select.filter(queries::after(key));
    }
    let rows = with_commitment_ids(in_due_order(select).limit(page.fetch()), backend)
        .all(&state.db)
        .await?;
    let page = page.finish(
        rows,
        |row| due_sort_of(&row.record),
        |row| ActionOut::listed(row, today),
    );
    Ok(Json(page).into_response())
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
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_action(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<ActionIn>,
) -> ApiResult<Created<ActionOut>> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
    access.require(ForumAction::TakePart)?;
    let out = create(&state, &user, &access, input, None).await?;
    Ok(Created::at(format!("/api/v1/actions/{}", out.id), out.clone()).tagged(out.version))
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
        (status = 404, description = "No such action, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_action(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<ActionOut>> {
    let (action, _) = crate::kernel::access::load_visible::<entity::action_item::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
    Ok(tagged(action_out(&state, action).await?))
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
        (status = 404, description = "No such action, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Not a move the action can make, or changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
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
    let (action, access) = crate::kernel::access::load_visible::<entity::action_item::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    let mut v = Validator::default();
    check_action(&mut v, patch.title.as_deref(), patch.description.as_deref());
    v.finish()?;
    if_match.check(action.version)?;
    check_references(
        &state.db,
        action.forum_id,
        patch.meeting_id.flatten(),
        patch.owner_organisation_id.flatten(),
        patch.owner_user_id.flatten(),
    )
    .await?;
    let links = commitment_ids_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let now = state.clock.now();
    let mut changes = action.clone().into_active_model();
    if let Some(to) = patch.status {
        move_status(&mut changes, action.status, to, now)?;
    }
    if let Some(title) = patch.title {
        changes.title.set_ne(title.trim().to_string());
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description.trim().to_string());
    }
    if let Some(meeting_id) = patch.meeting_id {
        changes.meeting_id.set_ne(meeting_id);
    }
    if let Some(owner) = patch.owner_organisation_id {
        changes.owner_organisation_id.set_ne(owner);
    }
    if let Some(owner) = patch.owner_user_id {
        changes.owner_user_id.set_ne(owner);
    }
    if let Some(due_on) = patch.due_on {
        changes.due_on.set_ne(due_on);
    }
    let today = now.date_naive();
    let txn = begin_write(&state.db).await?;
    let saved =
        versioning::save::<action_item::Entity>(&txn, &action, changes, &if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    counters::action_changed(&txn, id, ActionFacts::of(&action), ActionFacts::of(&saved)).await?;
    let owners_changed = action.owner_organisation_id != saved.owner_organisation_id
        || action.owner_user_id != saved.owner_user_id;
    if owners_changed && has_owner(&saved) {
        events::emit(&txn, now, Event::action_assigned(&saved, Some(user.id()))).await?;
    } else if action.status != saved.status {
        let moved = Event::action_moved(
            Kind::ActionMoved,
            action.status,
            &saved,
            Some(user.id()),
            None,
        );
        events::emit(&txn, now, moved).await?;
    }
    let out = ActionOut::new(saved, links.clone(), today);
    if changed {
        let before = audit::snapshot(&ActionOut::new(action, links, today))?;
        audit::record(
            &txn,
            now,
            AuditEvent::new(Some(user.id()), "action.updated", EntityKind::Action, id)
                .forum(out.forum_id)
                .changes(audit::diff(&before, &audit::snapshot(&out)?)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(tagged(out))
}

/// Whether anyone is to carry the action out (and so to be told of it).
fn has_owner(action: &action_item::Model) -> bool {
    action.owner_organisation_id.is_some() || action.owner_user_id.is_some()
}

/// Makes an action of the access's forum (the caller's right to is checked
/// by the caller), optionally agreed on an agenda item: its links checked,
/// its counters, audit event and notification in its one transaction.
pub(crate) async fn create(
    state: &AppState,
    user: &AuthUser,
    access: &ForumAccess,
    input: ActionIn,
    agenda_item_id: Option<Uuid>,
) -> ApiResult<ActionOut> {
    let forum_id = access.forum.id;
    let mut v = Validator::default();
    check_action(&mut v, Some(&input.title), Some(&input.description));
    v.finish()?;
    check_references(
        &state.db,
        forum_id,
        input.meeting_id,
        input.owner_organisation_id,
        input.owner_user_id,
    )
    .await?;
    let commitment_ids = require_own_region(
        &state.db,
        &access.forum,
        &input.commitment_ids,
        "commitment_ids",
    )
    .await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let action = action_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        meeting_id: Set(input.meeting_id),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        owner_organisation_id: Set(input.owner_organisation_id),
        owner_user_id: Set(input.owner_user_id),
        due_on: Set(input.due_on),
        status: Set(ActionStatus::Open),
        completed_at: Set(None),
        version: Set(1),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
        agenda_item_id: Set(agenda_item_id),
    }
    .insert(&txn)
    .await?;
    if !commitment_ids.is_empty() {
        action_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            action_commitment::ActiveModel {
                action_id: Set(action.id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    counters::actions_linked(
        &txn,
        action.id,
        ActionFacts::of(&action),
        &commitment_ids,
        1,
    )
    .await?;
    if has_owner(&action) {
        events::emit(&txn, now, Event::action_assigned(&action, Some(user.id()))).await?;
    }
    let out = ActionOut::new(action, commitment_ids, now.date_naive());
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "action.created",
            EntityKind::Action,
            out.id,
        )
        .forum(forum_id)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}
