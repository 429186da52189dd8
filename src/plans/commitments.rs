//! A plan's commitments: the list (a page, searched, or every one for an
//! export) and adding one.

use entity::{CommitmentStatus, commitment};
use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter, QuerySelect, QueryTrait, Set};
use uuid::Uuid;

use super::queries::{after, by_reference, filtered, load_plan, record_status, reference_taken};
use super::types::{CommitmentIn, CommitmentOut, CommitmentQuery, check_commitment};
use crate::counters;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiResult, OrConflict};
use crate::kernel::pagination::{self, Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::search::{self, Corpus, SearchPage, Terms};

/// A plan's commitments, by reference, or with `q` the matching ones, best
/// match first (public).
pub async fn commitments(
    state: &AppState,
    plan_id: Uuid,
    query: CommitmentQuery,
) -> ApiResult<Page<CommitmentOut>> {
    load_plan(&state.db, plan_id).await?;
    if let Some(terms) = Terms::from_query(query.q.as_deref())? {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let rows = filtered(plan_id, &query).into_query();
        return search::page(
            &state.db,
            rows,
            Corpus::Commitments,
            &terms,
            &page,
            |ids| async {
                let found = filtered(plan_id, &query).filter(commitment::Column::Id.is_in(ids));
                Ok(found
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|c| (c.id, CommitmentOut::from(c)))
                    .collect())
            },
        )
        .await;
    }
    let page = PageRequest::<(String, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(plan_id, &query);
    if let Some((reference, _)) = page.after.clone() {
        select = select.filter(after(reference));
    }
    let rows = by_reference(select)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(page.finish(rows, |c| (c.reference.clone(), c.id), CommitmentOut::from))
}

/// Every one of a plan's commitments the filters (and `q`) match, by
/// reference: for an export (public).
pub async fn all_commitments(
    state: &AppState,
    plan_id: Uuid,
    query: CommitmentQuery,
) -> ApiResult<Vec<CommitmentOut>> {
    load_plan(&state.db, plan_id).await?;
    let backend = state.db.get_database_backend();
    let terms = Terms::from_query(query.q.as_deref())?;
    let (db, query, terms) = (&state.db, &query, &terms);
    let rows = pagination::every_row(
        |last: Option<(String, Uuid)>| async move {
            let mut select = filtered(plan_id, query);
            if let Some(terms) = terms {
                select = select.filter(search::matches(backend, Corpus::Commitments, terms));
            }
            if let Some((reference, _)) = last {
                select = select.filter(after(reference));
            }
            Ok(by_reference(select)
                .limit(pagination::BATCH)
                .all(db)
                .await?)
        },
        |c: &commitment::Model| (c.reference.clone(), c.id),
    )
    .await?;
    Ok(rows.into_iter().map(CommitmentOut::from).collect())
}

/// Adds a commitment to a plan (the region's RPD staff, admins); a
/// reference the plan has already is 409.
pub async fn add_commitment(
    state: &AppState,
    caller: &AuthUser,
    plan_id: Uuid,
    input: CommitmentIn,
) -> ApiResult<CommitmentOut> {
    let plan = load_plan(&state.db, plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(caller)).await?;
    let mut v = Validator::default();
    check_commitment(
        &mut v,
        Some(&input.reference),
        Some(&input.text),
        input.target.as_deref(),
    );
    v.finish()?;
    let actor = Some(caller.id());
    let now = state.clock.now();
    let reference = input.reference.trim().to_string();
    let status = input.status.unwrap_or(CommitmentStatus::NotStarted);
    let txn = begin_write(&state.db).await?;
    // The unique index on (plan, reference) decides, also between two
    // concurrent additions of the same reference.
    let created = commitment::ActiveModel {
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan_id),
        reference: Set(reference.clone()),
        theme: Set(input.theme),
        text: Set(input.text.trim().to_string()),
        firmness: Set(input.firmness),
        target: Set(input.target.map(|t| t.trim().to_string())),
        due_on: Set(input.due_on),
        status: Set(status),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| reference_taken(&reference))?;
    counters::commitment_added(&txn, &created).await?;
    record_status(
        &txn,
        created.id,
        None,
        status,
        "added to the plan".into(),
        actor,
        now,
    )
    .await?;
    let out = CommitmentOut::from(created);
    AuditEvent::new(actor, "commitment.created", EntityKind::Commitment, out.id)
        .changes(audit::snapshot(&out)?)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
