//! A plan's commitments: the list (a page, or every row as CSV) and adding one.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use entity::{CommitmentStatus, commitment, commitment_status_change, regional_plan};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, Set,
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::types::{CommitmentIn, CommitmentOut, CommitmentQuery, check_commitment};
use crate::counters;
use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::require_plan_editor;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::search::{self, Corpus, SearchPage, Terms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_commitments, create_commitment))
}

pub(super) async fn load_plan(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> ApiResult<regional_plan::Model> {
    regional_plan::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("plan"))
}

pub async fn load_commitment(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> ApiResult<commitment::Model> {
    commitment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("commitment"))
}

/// Keeps a status a commitment took, with the note given for it.
pub(super) async fn record_status(
    conn: &impl ConnectionTrait,
    commitment_id: Uuid,
    from: Option<CommitmentStatus>,
    to: CommitmentStatus,
    note: String,
    by: Option<Uuid>,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<()> {
    commitment_status_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        commitment_id: Set(commitment_id),
        from_status: Set(from),
        to_status: Set(to),
        note: Set(note),
        changed_by: Set(by),
        changed_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

fn filtered(plan_id: Uuid, query: &CommitmentQuery) -> Select<commitment::Entity> {
    let mut select = commitment::Entity::find().filter(commitment::Column::PlanId.eq(plan_id));
    if let Some(theme) = query.theme {
        select = select.filter(commitment::Column::Theme.eq(theme));
    }
    if let Some(firmness) = query.firmness {
        select = select.filter(commitment::Column::Firmness.eq(firmness));
    }
    if let Some(status) = query.status {
        select = select.filter(commitment::Column::Status.eq(status));
    }
    select
}

/// Keyset condition and order of a plan's commitments: by reference, which
/// is unique within a plan and so orders them alone, as the plan's indexes
/// hold them (an `id` tie-breaker would make PostgreSQL sort what the index
/// already gives in order). Cursors keep the id for their shape's sake.
fn after(reference: String) -> sea_orm::sea_query::Expr {
    commitment::Column::Reference.gt(reference)
}

fn by_reference(select: Select<commitment::Entity>) -> Select<commitment::Entity> {
    select.order_by_asc(commitment::Column::Reference)
}

/// One row of the commitments CSV.
#[derive(Serialize)]
struct CommitmentCsv {
    id: Uuid,
    reference: String,
    theme: &'static str,
    firmness: &'static str,
    status: &'static str,
    target: Option<String>,
    due_on: Option<chrono::NaiveDate>,
    text: String,
}

impl From<commitment::Model> for CommitmentCsv {
    fn from(c: commitment::Model) -> Self {
        Self {
            id: c.id,
            reference: c.reference,
            theme: c.theme.as_str(),
            firmness: c.firmness.as_str(),
            status: c.status.as_str(),
            target: c.target,
            due_on: c.due_on,
            text: c.text,
        }
    }
}

/// A plan's commitments, by reference (public).
///
/// With `q`, only commitments whose reference, text or target has its
/// words, best match first. With `Accept: text/csv` the answer is every
/// matching commitment as CSV (by reference).
#[utoipa::path(
    get,
    path = "/plans/{id}/commitments",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id"), CommitmentQuery),
    responses(
        (status = 200, description = "A page of commitments, or all of them as CSV",
         content((Page<CommitmentOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
    )
)]
async fn list_commitments(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<CommitmentQuery>,
) -> ApiResult<Response> {
    load_plan(&state.db, plan_id).await?;
    let backend = state.db.get_database_backend();
    let terms = Terms::from_query(query.q.as_deref())?;
    if csv_export::wanted(&headers) {
        let (db, query, terms) = (&state.db, &query, &terms);
        let rows = crate::kernel::pagination::every_row(
            |last: Option<(String, Uuid)>| async move {
                let mut select = filtered(plan_id, query);
                if let Some(terms) = terms {
                    select = select.filter(search::matches(backend, Corpus::Commitments, terms));
                }
                if let Some((reference, _)) = last {
                    select = select.filter(after(reference));
                }
                Ok(by_reference(select)
                    .limit(crate::kernel::pagination::BATCH)
                    .all(db)
                    .await?)
            },
            |c: &commitment::Model| (c.reference.clone(), c.id),
        )
        .await?;
        return csv_export::respond("commitments.csv", rows.into_iter().map(CommitmentCsv::from));
    }
    if let Some(terms) = terms {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let rows = filtered(plan_id, &query).into_query();
        let page = search::page(
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
        .await?;
        return Ok(Json(page).into_response());
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
    Ok(
        Json(page.finish(rows, |c| (c.reference.clone(), c.id), CommitmentOut::from))
            .into_response(),
    )
}

/// Add a commitment to a plan (the region's RPD staff, admins).
#[utoipa::path(
    post,
    path = "/plans/{id}/commitments",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id")),
    request_body = CommitmentIn,
    responses(
        (status = 201, description = "Commitment added", body = CommitmentOut,
         headers(
             ("Location" = String, description = "URL of the new commitment"),
             ("ETag" = String, description = "The commitment's first version"),
         )),
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
        (status = 409, description = "The plan already has a commitment with this reference", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_commitment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(plan_id): Path<Uuid>,
    Json(input): Json<CommitmentIn>,
) -> ApiResult<Created<CommitmentOut>> {
    let plan = load_plan(&state.db, plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, Some(&user)).await?;
    let mut v = Validator::default();
    check_commitment(
        &mut v,
        Some(&input.reference),
        Some(&input.text),
        input.target.as_deref(),
    );
    v.finish()?;
    let actor = Some(user.id());
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
    audit::record(
        &txn,
        now,
        AuditEvent::new(actor, "commitment.created", EntityKind::Commitment, out.id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/commitments/{}", out.id), out).tagged(version))
}

pub(super) fn reference_taken(reference: &str) -> String {
    format!("this plan already has a commitment {reference}")
}
