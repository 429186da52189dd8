//! Commitments from a spreadsheet: `text/csv` with the columns of the
//! commitments export, matched on `reference` (created or updated). Every
//! row is checked first, and one 422 names every bad cell; otherwise all
//! rows are applied in one transaction, or none. `?dry_run=true` answers
//! what would change and writes nothing. A file exported and imported
//! again changes nothing.

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, header};
use chrono::NaiveDate;
use entity::{
    CommitmentStatus, Firmness, PlanStatus, Theme, commitment, commitment_status_change,
    regional_plan,
};
use sea_orm::sea_query::LockType;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::commitments::load_plan;
use crate::counters;
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::access::require_plan_editor;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// The largest spreadsheet taken: ten thousand commitments with room to spare.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// Rows written per statement.
const BATCH: usize = 500;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_commitments))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

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

const REQUIRED: [&str; 4] = ["reference", "theme", "firmness", "text"];
const OPTIONAL: [&str; 4] = ["id", "status", "target", "due_on"];

/// One row, checked.
struct Row {
    number: u64,
    id: Option<Uuid>,
    reference: String,
    theme: Theme,
    firmness: Firmness,
    /// `None`: as it is (or `not-started` for a new commitment).
    status: Option<CommitmentStatus>,
    target: Option<String>,
    due_on: Option<NaiveDate>,
    text: String,
}

fn bad(number: u64, column: Option<&str>, message: impl Into<String>) -> FieldError {
    FieldError::in_row(number, column, message)
}

fn kebab<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(json!(value)).ok()
}

fn allowed<T: sea_orm::Iterable + Copy>(name: impl Fn(T) -> &'static str) -> String {
    T::iter().map(name).collect::<Vec<_>>().join(", ")
}

/// Reads and checks every row; every problem found is named.
fn read_rows(body: &[u8]) -> Result<Vec<Row>, Vec<FieldError>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Err(err) = std::str::from_utf8(body) {
        let valid = &body[..err.valid_up_to()];
        let row = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        return Err(vec![bad(
            row,
            None,
            "is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\"",
        )]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(body);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(err) => return Err(vec![bad(1, None, format!("cannot be read: {err}"))]),
    };
    let mut errors = Vec::new();
    for (n, name) in headers.iter().enumerate() {
        if !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()) {
            errors.push(bad(
                1,
                Some(name),
                format!(
                    "column {} is not one of {}",
                    n + 1,
                    [REQUIRED.as_slice(), &OPTIONAL].concat().join(", ")
                ),
            ));
        }
        if headers[..n].contains(name) {
            errors.push(bad(1, Some(name), "is named twice"));
        }
    }
    for name in REQUIRED {
        if !headers.iter().any(|h| h == name) {
            errors.push(bad(
                1,
                Some(name),
                "is missing: the first row must name the columns (as the commitments export does)",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let at = |name: &str| headers.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let number = index as u64 + 2;
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} columns; the header has {expected_len}"),
                    _ => format!("cannot be read: {err}"),
                };
                errors.push(bad(number, None, message));
                continue;
            }
        };
        let cell = |name: &str| at(name).and_then(|i| record.get(i)).map(str::trim);
        let mut v = Validator::default();
        let reference = cell("reference").unwrap_or_default().to_string();
        let text = cell("text").unwrap_or_default().to_string();
        v.rule::<limits::CommitmentReference>(&reference, "reference");
        v.rule::<limits::CommitmentText>(&text, "text");
        let target = cell("target").filter(|t| !t.is_empty()).map(str::to_string);
        if let Some(target) = &target {
            v.rule::<limits::CommitmentTarget>(target, "target");
        }
        let mut row_errors: Vec<FieldError> = v
            .into_errors()
            .into_iter()
            .map(|e| bad(number, Some(&e.field), e.message))
            .collect();
        let theme = cell("theme").unwrap_or_default();
        let theme: Option<Theme> = kebab(theme);
        if theme.is_none() {
            row_errors.push(bad(
                number,
                Some("theme"),
                format!("must be one of {}", allowed::<Theme>(Theme::as_str)),
            ));
        }
        let firmness: Option<Firmness> = kebab(cell("firmness").unwrap_or_default());
        if firmness.is_none() {
            row_errors.push(bad(
                number,
                Some("firmness"),
                format!("must be one of {}", allowed::<Firmness>(Firmness::as_str)),
            ));
        }
        let status = match cell("status").filter(|s| !s.is_empty()) {
            None => None,
            Some(given) => {
                let parsed: Option<CommitmentStatus> = kebab(given);
                if parsed.is_none() {
                    row_errors.push(bad(
                        number,
                        Some("status"),
                        format!(
                            "must be empty or one of {}",
                            allowed::<CommitmentStatus>(CommitmentStatus::as_str)
                        ),
                    ));
                }
                parsed
            }
        };
        let due_on = match cell("due_on").filter(|d| !d.is_empty()) {
            None => None,
            Some(given) => {
                let parsed = NaiveDate::parse_from_str(given, "%Y-%m-%d").ok();
                if parsed.is_none() {
                    row_errors.push(bad(number, Some("due_on"), "must be a date, YYYY-MM-DD"));
                }
                parsed
            }
        };
        let id = match cell("id").filter(|i| !i.is_empty()) {
            None => None,
            Some(given) => {
                let parsed = Uuid::try_parse(given).ok();
                if parsed.is_none() {
                    row_errors.push(bad(
                        number,
                        Some("id"),
                        "must be empty or a commitment's id",
                    ));
                }
                parsed
            }
        };
        if !reference.is_empty() {
            if let Some(first) = seen.get(&reference) {
                row_errors.push(bad(
                    number,
                    Some("reference"),
                    format!("{reference} is in row {first} too: each reference once"),
                ));
            } else {
                seen.insert(reference.clone(), number);
            }
        }
        match (row_errors.is_empty(), theme, firmness) {
            (true, Some(theme), Some(firmness)) => rows.push(Row {
                number,
                id,
                reference,
                theme,
                firmness,
                status,
                target,
                due_on,
                text,
            }),
            _ => errors.extend(row_errors),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// What applying a row to the commitment it matches changes.
fn changes_of(current: &commitment::Model, row: &Row) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if current.theme != row.theme {
        changed.push("theme");
    }
    if current.firmness != row.firmness {
        changed.push("firmness");
    }
    if current.text != row.text {
        changed.push("text");
    }
    if current.target != row.target {
        changed.push("target");
    }
    if current.due_on != row.due_on {
        changed.push("due_on");
    }
    if row.status.is_some_and(|s| s != current.status) {
        changed.push("status");
    }
    changed
}

fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"))
}

/// Import commitments from a spreadsheet (the region's RPD staff, admins).
///
/// The body is `text/csv` (UTF-8; up to 16 MiB) with a header row naming
/// the columns of the commitments export — `reference`, `theme`,
/// `firmness`, `text` required; `id`, `status`, `target`, `due_on`
/// optional. Rows are matched on `reference` within the plan: a new
/// reference adds a commitment (status `not-started` unless given), a known
/// one is updated where it differs (an empty `status` leaves it as it is).
/// A status changed by an import is written to the commitment's history
/// with the import named as the note. Every row is checked before anything
/// is written: bad rows are answered in one 422 naming each row, column and
/// problem, and nothing is written. With `dry_run=true` the answer says
/// what would change. A superseded plan takes no import (409).
#[utoipa::path(
    post,
    path = "/plans/{id}/commitments/import",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id"), ImportQuery),
    request_body(content = String, content_type = "text/csv",
                 description = "The commitments, as the commitments export writes them"),
    responses(
        (status = 200, description = "What the import did (or, dry, would do)", body = ImportOut),
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
        (status = 409, description = "The plan is superseded, or a commitment changed during the import", body = crate::http::problem::Problem),
        (status = 413, description = "The file is larger than 16 MiB", body = crate::http::problem::Problem),
        (status = 415, description = "The body is not text/csv", body = crate::http::problem::Problem),
        (status = 422, description = "Bad rows: each with its row, column and problem", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn import_commitments(
    State(state): State<AppState>,
    user: AuthUser,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<ImportQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ImportOut>> {
    let plan = load_plan(&state.db, plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(&user)).await?;
    if !wants_csv(&headers) {
        return Err(ApiError::UnsupportedMediaType(
            "send the commitments as text/csv".into(),
        ));
    }
    // The file's own limit, not the 1 MiB of a JSON body, is what to say.
    let body = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(format!(
                "the file is larger than {} MiB, the most one import takes; split it",
                MAX_IMPORT_BYTES / (1024 * 1024)
            ))
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })?;
    let rows = read_rows(&body).map_err(ApiError::Validation)?;
    let now = state.clock.now();
    let import_id = Uuid::now_v7();
    let note = format!(
        "imported from a spreadsheet on {} (import {import_id})",
        now.date_naive()
    );

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
    let ids: HashSet<Uuid> = existing.values().map(|c| c.id).collect();
    let mut errors = Vec::new();
    let mut out = ImportOut {
        dry_run: query.dry_run,
        created: 0,
        updated: 0,
        unchanged: 0,
        status_changes: 0,
        rows: Vec::new(),
    };
    let mut added = Vec::new();
    let mut changed: Vec<(commitment::Model, commitment::Model)> = Vec::new();
    let mut history = Vec::new();
    for row in rows {
        match existing.get(&row.reference) {
            Some(current) => {
                if row.id.is_some_and(|id| id != current.id) {
                    errors.push(bad(
                        row.number,
                        Some("id"),
                        format!(
                            "is not the id of {}: rows are matched on reference",
                            row.reference
                        ),
                    ));
                    continue;
                }
                let fields = changes_of(current, &row);
                if fields.is_empty() {
                    out.unchanged += 1;
                    continue;
                }
                let mut after = current.clone();
                after.theme = row.theme;
                after.firmness = row.firmness;
                after.text = row.text;
                after.target = row.target;
                after.due_on = row.due_on;
                if let Some(status) = row.status.filter(|s| *s != current.status) {
                    after.status = status;
                    out.status_changes += 1;
                    history.push((current.id, Some(current.status), status));
                }
                after.version = current.version + 1;
                after.updated_at = now;
                out.updated += 1;
                out.rows.push(ImportedRow {
                    row: row.number,
                    reference: row.reference,
                    action: RowAction::Updated,
                    changed: fields.into_iter().map(str::to_string).collect(),
                });
                changed.push((current.clone(), after));
            }
            None => {
                if row.id.is_some_and(|id| ids.contains(&id)) {
                    errors.push(bad(
                        row.number,
                        Some("id"),
                        "is the id of another commitment of this plan: rows are matched on \
                         reference, and a reference is changed with PATCH",
                    ));
                    continue;
                }
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
                history.push((created.id, None, status));
                out.created += 1;
                out.rows.push(ImportedRow {
                    row: row.number,
                    reference: row.reference,
                    action: RowAction::Created,
                    changed: Vec::new(),
                });
                added.push(created);
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if query.dry_run || (added.is_empty() && changed.is_empty()) {
        return Ok(Json(out));
    }
    for batch in added.chunks(BATCH) {
        commitment::Entity::insert_many(
            batch
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    for (before, after) in &changed {
        // Conditional on the version read in this transaction: a commitment
        // edited meanwhile fails the whole import, which is tried again.
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
            .exec(&txn)
            .await?;
        if written.rows_affected == 0 {
            return Err(ApiError::Conflict(format!(
                "{} changed while the import ran; nothing was imported: try again",
                before.reference
            )));
        }
    }
    let changes =
        history.iter().map(
            |(commitment_id, from, to)| commitment_status_change::ActiveModel {
                id: Set(Uuid::now_v7()),
                commitment_id: Set(*commitment_id),
                from_status: Set(*from),
                to_status: Set(*to),
                note: Set(match from {
                    None => format!("added to the plan, {note}"),
                    Some(_) => note.clone(),
                }),
                changed_by: Set(Some(user.id())),
                changed_at: Set(now),
            },
        );
    let changes: Vec<_> = changes.collect();
    for batch in changes.chunks(BATCH) {
        commitment_status_change::Entity::insert_many(batch.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    counters::commitments_imported(&txn, &added, &changed).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "plan.commitments-imported",
            EntityKind::Plan,
            plan_id,
        )
        .changes(json!({
            "import": import_id,
            "created": added.iter().map(|c| &c.reference).collect::<Vec<_>>(),
            "updated": changed.iter().map(|(c, _)| &c.reference).collect::<Vec<_>>(),
            "status_changes": out.status_changes,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}
