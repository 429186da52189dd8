//! Reading one commitment, editing it and moving its status, and the history
//! of the statuses it has had.

use axum::extract::State;
use entity::{commitment, commitment_status_change, forum};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::commitments::{load_commitment, load_plan, record_status, reference_taken};
use super::types::{CommitmentOut, CommitmentPatch, StatusChangeOut, check_commitment};
use crate::counters;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::access::require_plan_editor;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_commitment, patch_commitment))
        .routes(routes!(commitment_history))
}

fn tagged(out: CommitmentOut) -> Tagged<CommitmentOut> {
    Tagged::new(out.version, out)
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
        (status = 404, description = "No such commitment", body = crate::http::problem::Problem),
    )
)]
async fn get_commitment(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<CommitmentOut>> {
    Ok(tagged(load_commitment(&state.db, id).await?.into()))
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
        (status = 404, description = "No such commitment", body = crate::http::problem::Problem),
        (status = 409, description = "The reference is taken in this plan, or the commitment changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
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
    let current = load_commitment(&state.db, id).await?;
    let plan = load_plan(&state.db, current.plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(&user)).await?;
    let status_change = patch.status.filter(|s| *s != current.status);
    let mut v = Validator::default();
    check_commitment(
        &mut v,
        patch.reference.as_deref(),
        patch.text.as_deref(),
        patch.target.clone().flatten().as_deref(),
    );
    if let Some(note) = &patch.status_note {
        v.rule::<limits::StatusNote>(note, "status_note");
    } else if status_change.is_some() {
        v.check(false, "status_note", "is required when the status changes");
    }
    v.finish()?;
    if_match.check(current.version)?;
    let reference = patch.reference.map(|r| r.trim().to_string());
    if let Some(reference) = reference.as_deref().filter(|r| *r != current.reference) {
        // For a clear answer only: the unique index on (plan, reference)
        // decides, and a concurrent rename onto the same reference is 409 too.
        let taken = commitment::Entity::find()
            .filter(commitment::Column::PlanId.eq(current.plan_id))
            .filter(commitment::Column::Reference.eq(reference))
            .one(&state.db)
            .await?;
        if taken.is_some() {
            return Err(ApiError::Conflict(reference_taken(reference)));
        }
    }

    let mut changes = current.clone().into_active_model();
    if let Some(reference) = reference {
        changes.reference.set_ne(reference);
    }
    if let Some(theme) = patch.theme {
        changes.theme.set_ne(theme);
    }
    if let Some(text) = patch.text {
        changes.text.set_ne(text.trim().to_string());
    }
    if let Some(firmness) = patch.firmness {
        changes.firmness.set_ne(firmness);
    }
    if let Some(target) = patch.target {
        changes.target.set_ne(target.map(|t| t.trim().to_string()));
    }
    if let Some(due_on) = patch.due_on {
        changes.due_on.set_ne(due_on);
    }
    if let Some(to) = status_change {
        changes.status.set_ne(to);
    }
    // A note is kept even when nothing else changes: it goes to the history
    // as a step from the status to itself ("still in progress: …").
    let note = patch.status_note.map(|n| n.trim().to_string());
    if !changes.is_changed() && note.is_none() {
        // Not an edit: no write, no new version, no audit event.
        return Ok(tagged(current.into()));
    }
    let actor = Some(user.id());
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // The update is conditional on the version read, so the status this
    // change moves from is the one the history row names. A note alone
    // still raises the version: the commitment's record has changed, and
    // the row's lock orders it after any status change under way.
    let edited = changes.is_changed();
    let saved = if edited {
        versioning::save::<commitment::Entity>(&txn, &current, changes, &if_match, now)
            .await?
            .into_inner()
    } else {
        versioning::touch::<commitment::Entity>(&txn, &current, &if_match, now).await?
    };
    counters::commitment_changed(&txn, &current, &saved).await?;
    if let Some(to) = status_change {
        let note = note.as_deref().unwrap_or_default();
        // The region's forum hears of it (a region may have none yet).
        let forum = forum::Entity::find()
            .filter(forum::Column::RegionId.eq(plan.region_id))
            .one(&txn)
            .await?;
        if let Some(forum) = forum {
            let event = Event::commitment_moved(forum.id, current.status, &saved, actor, note);
            events::emit(&txn, now, event).await?;
        }
        record_status(
            &txn,
            id,
            Some(current.status),
            to,
            note.to_string(),
            actor,
            now,
        )
        .await?;
    } else if let Some(note) = note {
        record_status(
            &txn,
            id,
            Some(current.status),
            current.status,
            note,
            actor,
            now,
        )
        .await?;
    }
    let out = CommitmentOut::from(saved);
    let before = audit::snapshot(&CommitmentOut::from(current))?;
    let action = if edited {
        "commitment.updated"
    } else {
        "commitment.noted"
    };
    audit::record(
        &txn,
        now,
        AuditEvent::new(actor, action, EntityKind::Commitment, id)
            .changes(audit::diff(&before, &audit::snapshot(&out)?)),
    )
    .await?;
    txn.commit().await?;
    Ok(tagged(out))
}

/// Every status a commitment has had, with the note given, oldest first (public).
#[utoipa::path(
    get,
    path = "/commitments/{id}/history",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id"), PageQuery),
    responses(
        (status = 200, description = "A page of status changes", body = Page<StatusChangeOut>),
        (status = 404, description = "No such commitment", body = crate::http::problem::Problem),
    )
)]
async fn commitment_history(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<StatusChangeOut>>> {
    load_commitment(&state.db, id).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = commitment_status_change::Entity::find()
        .filter(commitment_status_change::Column::CommitmentId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(commitment_status_change::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(commitment_status_change::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(rows, |c| c.id, StatusChangeOut::from)))
}
