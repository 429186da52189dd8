//! Tying actions to the plan commitments they are work towards, and the work
//! behind a commitment.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use entity::{action_commitment, action_item};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set, TryInsertResult};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    after, due_sort_of, forum_of_commitment, in_due_order, linked_to, with_commitment_ids,
};
use super::routes::{action_out, tagged};
use super::types::ActionOut;
use crate::counters::{self, ActionFacts};
use crate::http::extract::{Json, Path, Query};
use crate::http::if_match::etag;
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};
use crate::plans::commitment_regions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(link_commitment, unlink_commitment))
        .routes(routes!(actions_behind_commitment))
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
        (status = 404, description = "No such action or commitment", body = crate::http::problem::Problem),
        (status = 409, description = "The action changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn link_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, commitment_id)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
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
    match commitment_regions(&state.db, &access.forum, &[commitment_id])
        .await?
        .get(&commitment_id)
    {
        None => return Err(ApiError::not_found("commitment")),
        Some(false) => {
            return Err(ApiError::invalid(
                "commitment_id",
                "belongs to another region's plan; actions are tied to their own region's commitments",
            ));
        }
        Some(true) => {}
    }
    if_match.check(action.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let inserted = action_commitment::Entity::insert(action_commitment::ActiveModel {
        action_id: Set(id),
        commitment_id: Set(commitment_id),
        created_at: Set(now),
    })
    .on_conflict_do_nothing_on([
        action_commitment::Column::ActionId,
        action_commitment::Column::CommitmentId,
    ])
    .exec_without_returning(&txn)
    .await?;
    let action = if !matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        action
    } else {
        let touched =
            versioning::touch::<action_item::Entity>(&txn, &action, &if_match, now).await?;
        counters::actions_linked(&txn, id, ActionFacts::of(&touched), &[commitment_id], 1).await?;
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(user.id()),
                "action.commitment-linked",
                EntityKind::Action,
                id,
            )
            .forum(touched.forum_id)
            .changes(json!({"commitment_id": commitment_id, "version": touched.version})),
        )
        .await?;
        touched
    };
    txn.commit().await?;
    Ok(tagged(action_out(&state, action).await?))
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
        (status = 404, description = "No such action, or it is not linked to that commitment", body = crate::http::problem::Problem),
        (status = 409, description = "The action changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn unlink_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, commitment_id)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
) -> ApiResult<(StatusCode, HeaderMap)> {
    let (action, access) = crate::kernel::access::load_visible::<entity::action_item::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    if_match.check(action.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let removed = action_commitment::Entity::delete_by_id((id, commitment_id))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        return Err(ApiError::NotFound(
            "this action is not linked to that commitment".into(),
        ));
    }
    let touched = versioning::touch::<action_item::Entity>(&txn, &action, &if_match, now).await?;
    counters::actions_linked(&txn, id, ActionFacts::of(&touched), &[commitment_id], -1).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "action.commitment-unlinked",
            EntityKind::Action,
            id,
        )
        .forum(touched.forum_id)
        .changes(json!({"commitment_id": commitment_id, "version": touched.version})),
    )
    .await?;
    txn.commit().await?;
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(touched.version));
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
        (status = 404, description = "No such commitment, or its region has no forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn actions_behind_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<ActionOut>>> {
    let forum_id = forum_of_commitment(&state.db, id).await?;
    ForumAccess::load(&state.db, forum_id, Some(&user))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::<(chrono::NaiveDate, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = linked_to(
        action_item::Entity::find().filter(action_item::Column::ForumId.eq(forum_id)),
        id,
    );
    if let Some(key) = page.after {
        select = select.filter(after(key));
    }
    let backend = state.db.get_database_backend();
    let rows = with_commitment_ids(in_due_order(select).limit(page.fetch()), backend)
        .all(&state.db)
        .await?;
    let today = state.clock.now().date_naive();
    Ok(Json(page.finish(
        rows,
        |row| due_sort_of(&row.record),
        |row| ActionOut::listed(row, today),
    )))
}
