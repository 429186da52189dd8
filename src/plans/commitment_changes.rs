//! Reading one commitment, editing it and moving its status, and the history
//! of the statuses it has had.

use entity::{commitment, commitment_status_change, forum, regional_plan};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::events;
use super::queries::{load_commitment, load_plan, record_status, reference_taken};
use super::types::{CommitmentOut, CommitmentPatch, StatusChangeOut, check_commitment};
use crate::counters;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::names::{Named, ONE_NAME, OneName, people_of_region, person_name};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::patch::{self, Apply};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// One commitment (public).
pub async fn commitment(state: &AppState, id: Uuid) -> ApiResult<CommitmentOut> {
    Ok(load_commitment(&state.db, id).await?.into())
}

/// Edits a commitment or changes its status (the region's RPD staff,
/// admins).
///
/// A status change needs a `status_note` and is kept in the history, in the
/// same step; a note without a change of status is kept too, as a step from
/// the status to itself, and raises the version. A reference the plan has
/// already is 409. With `If-Match`, a write to another version is 412;
/// without it, a change committed by someone else meanwhile is 409. A patch
/// that changes nothing leaves the version as it is.
pub async fn change_commitment(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut patch: CommitmentPatch,
    if_match: &IfMatch,
) -> ApiResult<CommitmentOut> {
    let current = load_commitment(&state.db, id).await?;
    let plan = load_plan(&state.db, current.plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(caller)).await?;
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
    if let Some(to) = status_change
        && !current.status.can_become(to)
    {
        return Err(ApiError::transition(
            "commitment",
            current.status.as_str(),
            to.as_str(),
        ));
    }
    // A note is kept even when nothing else changes: it goes to the history
    // as a step from the status to itself ("still in progress: …").
    let note = patch.status_note.take().map(patch::trimmed);
    // The reference as the write leaves it, to name it if it is taken.
    let reference = patch
        .reference
        .as_deref()
        .map_or(current.reference.as_str(), str::trim)
        .to_string();
    let mut changes = current.clone().into_active_model();
    patch.apply(&mut changes);
    if let Some(to) = status_change {
        changes.status.set_ne(to);
    }
    let edited = changes.is_changed();
    if !edited && note.is_none() {
        // Not an edit: no write, no new version, no audit event.
        return Ok(current.into());
    }
    let actor = Some(caller.id());
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // The update is conditional on the version read, so the status this
    // change moves from is the one the history row names; the unique index
    // on (plan, reference) decides whether a new reference is free. A note
    // alone still raises the version: the commitment's record has changed,
    // and the row's lock orders it after any status change under way.
    let saved = if edited {
        let taken = || reference_taken(&reference);
        versioning::save_unique::<commitment::Entity>(&txn, &current, changes, if_match, now, taken)
            .await?
            .into_inner()
    } else {
        versioning::touch::<commitment::Entity>(&txn, &current, if_match, now).await?
    };
    counters::commitment_changed(&txn, &current, &saved).await?;
    let step = match (status_change, note) {
        (Some(to), note) => Some((to, note.unwrap_or_default())),
        (None, Some(note)) => Some((current.status, note)),
        (None, None) => None,
    };
    if let Some((to, note)) = step {
        if status_change.is_some() {
            // The region's forum hears of it (a region may have none yet).
            let forum = forum::Entity::find()
                .filter(forum::Column::RegionId.eq(plan.region_id))
                .one(&txn)
                .await?;
            if let Some(forum) = forum {
                let event =
                    events::commitment_moved(forum.id, current.status, &saved, actor, &note);
                crate::kernel::events::emit(&txn, now, event).await?;
            }
        }
        record_status(&txn, id, Some(current.status), to, note, actor, now).await?;
    }
    let out = CommitmentOut::from(saved);
    let before = audit::snapshot(&CommitmentOut::from(current))?;
    let action = if edited {
        "commitment.updated"
    } else {
        "commitment.noted"
    };
    AuditEvent::new(actor, action, EntityKind::Commitment, id)
        .changes(audit::diff(&before, &audit::snapshot(&out)?))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// Every status a commitment has had, with the note given, oldest first
/// (public).
pub async fn history(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<StatusChangeOut>> {
    let found = load_commitment(&state.db, id).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let region_of_plan = Query::select()
        .column(regional_plan::Column::RegionId)
        .from(regional_plan::Entity)
        .and_where(regional_plan::Column::Id.eq(found.plan_id))
        .to_owned();
    let people = people_of_region(&state.db, Expr::from(region_of_plan), caller).await?;
    let mut select = commitment_status_change::Entity::find()
        .filter(commitment_status_change::Column::CommitmentId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(commitment_status_change::Column::Id.gt(after));
    }
    let author = (
        commitment_status_change::Entity,
        commitment_status_change::Column::ChangedBy,
    );
    let rows = select
        .column_as(person_name(author, people), ONE_NAME)
        .order_by_asc(commitment_status_change::Column::Id)
        .limit(page.fetch())
        .into_model::<Named<commitment_status_change::Model, OneName>>()
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |c| c.record.id,
        |c| StatusChangeOut::new(c.record, c.names.one_name),
    ))
}
