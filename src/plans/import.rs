//! Commitments from a spreadsheet: `text/csv` with the columns of the
//! commitments export, matched on `reference` (created or updated). Every
//! row is checked first, and one 422 names every bad cell; otherwise all
//! rows are applied in one transaction, or none. A dry run answers what
//! would change and writes nothing. A file exported and imported again
//! changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{CommitmentStatus, PlanStatus, commitment, commitment_status_change, regional_plan};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::queries::load_plan;
use super::spreadsheet::{Row, bad, changes_of, read_rows};
use crate::counters;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

/// The largest spreadsheet taken: ten thousand commitments with room to spare.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// Rows written per statement.
const BATCH: usize = 500;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check every row and answer what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// What an import did to one row's commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RowAction {
    Created,
    Updated,
    Unchanged,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportedRow {
    /// As a spreadsheet numbers it (the header is row 1).
    pub row: u64,
    pub reference: String,
    pub action: RowAction,
    /// The fields an update changes.
    pub changed: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ImportOut {
    pub dry_run: bool,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Status changes among them, each written to its commitment's history.
    pub status_changes: u64,
    /// Every row but the unchanged ones, in file order.
    pub rows: Vec<ImportedRow>,
}

/// Imports commitments from a spreadsheet (the region's RPD staff, admins).
///
/// `csv` is UTF-8 text with a header row naming the columns of the
/// commitments export. Rows are matched on `reference` within the plan: a
/// new reference adds a commitment (`not-started` unless a status is
/// given), a known one is updated where it differs (an empty status leaves
/// it as it is). A status changed by an import is written to the
/// commitment's history with the import named as the note. Bad rows are
/// answered in one 422 naming each row, column and problem, and nothing is
/// written; with `dry_run` nothing is written either. A superseded plan
/// takes no import (409).
pub async fn import_commitments(
    state: &AppState,
    caller: &AuthUser,
    plan_id: Uuid,
    csv: &[u8],
    dry_run: bool,
) -> ApiResult<ImportOut> {
    let plan = load_plan(&state.db, plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(caller)).await?;
    let rows = read_rows(csv).map_err(ApiError::Validation)?;
    let now = state.clock.now();

    let txn = begin_write(&state.db).await?;
    // Share-locked: a plan superseded meanwhile takes no import.
    let plan = regional_plan::Entity::find_by_id(plan_id)
        .lock(LockType::Share)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("plan"))?;
    if plan.status == PlanStatus::Superseded {
        return Err(ApiError::Conflict(
            "this plan is superseded: import into the region's current plan".into(),
        ));
    }
    let existing: HashMap<String, commitment::Model> = commitment::Entity::find()
        .filter(commitment::Column::PlanId.eq(plan_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.reference.clone(), c))
        .collect();
    let import = Import::compare(plan_id, &existing, rows, now, dry_run)?;
    if dry_run || (import.added.is_empty() && import.changed.is_empty()) {
        return Ok(import.out);
    }
    import.write(&txn, caller, plan_id, now).await?;
    txn.commit().await?;
    Ok(import.out)
}

/// What an import does: its answer, and the writes that make it so.
struct Import {
    out: ImportOut,
    added: Vec<commitment::Model>,
    /// Each commitment as it was read, and as the import leaves it.
    changed: Vec<(commitment::Model, commitment::Model)>,
    /// Each status a commitment takes: (commitment, from, to).
    history: Vec<(Uuid, Option<CommitmentStatus>, CommitmentStatus)>,
}

impl Import {
    /// The rows against the plan's commitments, matched on reference; a
    /// row whose id is not its reference's is refused (422, with every
    /// other row so refused).
    fn compare(
        plan_id: Uuid,
        existing: &HashMap<String, commitment::Model>,
        rows: Vec<Row>,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> ApiResult<Self> {
        let ids: HashSet<Uuid> = existing.values().map(|c| c.id).collect();
        let mut errors = Vec::new();
        let mut import = Self {
            out: ImportOut {
                dry_run,
                created: 0,
                updated: 0,
                unchanged: 0,
                status_changes: 0,
                rows: Vec::new(),
            },
            added: Vec::new(),
            changed: Vec::new(),
            history: Vec::new(),
        };
        for row in rows {
            match existing.get(&row.reference) {
                Some(current) if row.id.is_some_and(|id| id != current.id) => {
                    errors.push(bad(
                        row.number,
                        Some("id"),
                        format!(
                            "is not the id of {}: rows are matched on reference",
                            row.reference
                        ),
                    ));
                }
                Some(current) => {
                    if let Some(to) = row.status.filter(|s| *s != current.status)
                        && !current.status.can_become(to)
                    {
                        let refused = ApiError::transition(
                            "commitment",
                            current.status.as_str(),
                            to.as_str(),
                        );
                        errors.push(bad(row.number, Some("status"), refused.detail()));
                        continue;
                    }
                    import.update(current, row, now);
                }
                None if row.id.is_some_and(|id| ids.contains(&id)) => {
                    errors.push(bad(
                        row.number,
                        Some("id"),
                        "is the id of another commitment of this plan: rows are matched on \
                         reference, and a reference is changed with PATCH",
                    ));
                }
                None => import.add(plan_id, row, now),
            }
        }
        if errors.is_empty() {
            Ok(import)
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// A row of a known reference: the commitment updated where it differs.
    fn update(&mut self, current: &commitment::Model, row: Row, now: DateTime<Utc>) {
        let fields = changes_of(current, &row);
        if fields.is_empty() {
            self.out.unchanged += 1;
            return;
        }
        let mut after = current.clone();
        after.theme = row.theme;
        after.firmness = row.firmness;
        after.text = row.text;
        after.target = row.target;
        after.due_on = row.due_on;
        if let Some(status) = row.status.filter(|s| *s != current.status) {
            after.status = status;
            self.out.status_changes += 1;
            self.history
                .push((current.id, Some(current.status), status));
        }
        after.version = current.version + 1;
        after.updated_at = now;
        self.out.updated += 1;
        self.out.rows.push(ImportedRow {
            row: row.number,
            reference: row.reference,
            action: RowAction::Updated,
            changed: fields.into_iter().map(str::to_string).collect(),
        });
        self.changed.push((current.clone(), after));
    }

    /// A row of a new reference: a commitment added to the plan.
    fn add(&mut self, plan_id: Uuid, row: Row, now: DateTime<Utc>) {
        let status = row.status.unwrap_or(CommitmentStatus::NotStarted);
        let created = commitment::Model {
            id: Uuid::now_v7(),
            plan_id,
            reference: row.reference.clone(),
            theme: row.theme,
            text: row.text,
            firmness: row.firmness,
            target: row.target,
            due_on: row.due_on,
            status,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.history.push((created.id, None, status));
        self.out.created += 1;
        self.out.rows.push(ImportedRow {
            row: row.number,
            reference: row.reference,
            action: RowAction::Created,
            changed: Vec::new(),
        });
        self.added.push(created);
    }

    /// Writes the import in the caller's transaction: the commitments added
    /// and changed, the statuses they took, the report's counters and the
    /// audit entry.
    async fn write(
        &self,
        txn: &impl ConnectionTrait,
        caller: &AuthUser,
        plan_id: Uuid,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        let import_id = Uuid::now_v7();
        for batch in self.added.chunks(BATCH) {
            commitment::Entity::insert_many(
                batch
                    .iter()
                    .cloned()
                    .map(IntoActiveModel::into_active_model),
            )
            .exec_without_returning(txn)
            .await?;
        }
        for (before, after) in &self.changed {
            // Conditional on the version read in this transaction: a
            // commitment edited meanwhile fails the whole import, which is
            // tried again.
            let mut update = before.clone().into_active_model();
            update.theme.set_ne(after.theme);
            update.firmness.set_ne(after.firmness);
            update.text.set_ne(after.text.clone());
            update.target.set_ne(after.target.clone());
            update.due_on.set_ne(after.due_on);
            update.status.set_ne(after.status);
            update.version = Set(after.version);
            update.updated_at = Set(now);
            let written = commitment::Entity::update_many()
                .set(update)
                .filter(commitment::Column::Id.eq(before.id))
                .filter(commitment::Column::Version.eq(before.version))
                .exec(txn)
                .await?;
            if written.rows_affected == 0 {
                return Err(ApiError::Conflict(format!(
                    "{} changed while the import ran; nothing was imported: try again",
                    before.reference
                )));
            }
        }
        let note = format!(
            "imported from a spreadsheet on {} (import {import_id})",
            now.date_naive()
        );
        let steps: Vec<_> = self
            .history
            .iter()
            .map(
                |(commitment_id, from, to)| commitment_status_change::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    commitment_id: Set(*commitment_id),
                    from_status: Set(*from),
                    to_status: Set(*to),
                    note: Set(match from {
                        None => format!("added to the plan, {note}"),
                        Some(_) => note.clone(),
                    }),
                    changed_by: Set(Some(caller.id())),
                    changed_at: Set(now),
                },
            )
            .collect();
        for batch in steps.chunks(BATCH) {
            commitment_status_change::Entity::insert_many(batch.to_vec())
                .exec_without_returning(txn)
                .await?;
        }
        counters::commitments_imported(txn, &self.added, &self.changed).await?;
        AuditEvent::by(
            caller.id(),
            "plan.commitments-imported",
            EntityKind::Plan,
            plan_id,
        )
        .changes(json!({
            "import": import_id,
            "created": self.added.iter().map(|c| &c.reference).collect::<Vec<_>>(),
            "updated": self.changed.iter().map(|(c, _)| &c.reference).collect::<Vec<_>>(),
            "status_changes": self.out.status_changes,
        }))
        .record(txn, now)
        .await?;
        Ok(())
    }
}
