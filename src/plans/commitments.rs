use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::{CommitmentStatus, commitment, commitment_status_change, regional_plan};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::types::{
    CommitmentIn, CommitmentOut, CommitmentPatch, CommitmentQuery, PageQuery, StatusChangeOut,
    check_commitment,
};
use crate::access::require_plan_editor;
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::csv_export;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::validation::Validator;
use crate::versioning::{IfMatch, etag};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_commitments, create_commitment))
        .routes(routes!(get_commitment, patch_commitment))
        .routes(routes!(commitment_history))
}

fn with_etag(out: CommitmentOut) -> (HeaderMap, Json<CommitmentOut>) {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(out.version));
    (headers, Json(out))
}

async fn load_plan(conn: &impl ConnectionTrait, id: Uuid) -> ApiResult<regional_plan::Model> {
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

async fn record_status(
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
/// With `Accept: text/csv` the answer is every matching commitment as CSV.
#[utoipa::path(
    get,
    path = "/plans/{id}/commitments",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Plan id"), CommitmentQuery),
    responses(
        (status = 200, description = "A page of commitments, or all of them as CSV",
         content((Page<CommitmentOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such plan", body = crate::error::Problem),
    )
)]
async fn list_commitments(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<CommitmentQuery>,
) -> ApiResult<Response> {
    load_plan(&state.db, plan_id).await?;
    if csv_export::wanted(&headers) {
        let mut rows = Vec::new();
        let mut last: Option<(String, Uuid)> = None;
        loop {
            let mut select = filtered(plan_id, &query);
            if let Some((reference, _)) = last.take() {
                select = select.filter(after(reference));
            }
            let batch = select
                .order_by_asc(commitment::Column::Reference)
                .limit(csv_export::BATCH)
                .all(&state.db)
                .await?;
            let full = batch.len() as u64 == csv_export::BATCH;
            last = batch.last().map(|c| (c.reference.clone(), c.id));
            rows.extend(batch.into_iter().map(CommitmentCsv::from));
            if !full {
                break;
            }
        }
        return csv_export::respond("commitments.csv", rows);
    }
    let page = PageRequest::<(String, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(plan_id, &query);
    if let Some((reference, _)) = page.after.clone() {
        select = select.filter(after(reference));
    }
    let rows = select
        .order_by_asc(commitment::Column::Reference)
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
        (status = 201, description = "Commitment added", body = CommitmentOut),
        (status = 404, description = "No such plan", body = crate::error::Problem),
        (status = 409, description = "The plan already has a commitment with this reference", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_commitment(
    State(state): State<AppState>,
    user: Option<AuthUser>,
    Path(plan_id): Path<Uuid>,
    Json(input): Json<CommitmentIn>,
) -> ApiResult<(StatusCode, HeaderMap, Json<CommitmentOut>)> {
    let plan = load_plan(&state.db, plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, user.as_ref()).await?;
    let mut v = Validator::default();
    check_commitment(
        &mut v,
        Some(&input.reference),
        Some(&input.text),
        input.target.as_deref(),
    );
    v.finish()?;
    let actor = user.as_ref().map(AuthUser::id);
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let reference = input.reference.trim().to_string();
    let taken = commitment::Entity::find()
        .filter(commitment::Column::PlanId.eq(plan_id))
        .filter(commitment::Column::Reference.eq(&reference))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(ApiError::Conflict(format!(
            "this plan already has a commitment {reference}"
        )));
    }
    let status = input.status.unwrap_or(CommitmentStatus::NotStarted);
    let created = commitment::ActiveModel {
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan_id),
        reference: Set(reference),
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
    .await?;
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
        AuditEvent::new(actor, "commitment.created", "commitment", out.id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let (mut headers, body) = with_etag(out);
    headers.insert(
        header::LOCATION,
        format!("/api/v1/commitments/{}", body.0.id)
            .parse()
            .map_err(ApiError::internal)?,
    );
    Ok((StatusCode::CREATED, headers, body))
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
        (status = 404, description = "No such commitment", body = crate::error::Problem),
    )
)]
async fn get_commitment(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> ApiResult<(HeaderMap, Json<CommitmentOut>)> {
    Ok(with_etag(load_commitment(&state.db, id).await?.into()))
}

/// Edit a commitment or change its status (the region's RPD staff, admins).
///
/// A status change needs a `status_note` and is kept in the history. Send
/// `If-Match` with the ETag you read to avoid overwriting someone else's
/// change (412 when stale).
#[utoipa::path(
    patch,
    path = "/commitments/{id}",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id")),
    request_body = CommitmentPatch,
    responses(
        (status = 200, description = "The commitment as it now is", body = CommitmentOut,
         headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such commitment", body = crate::error::Problem),
        (status = 409, description = "The reference is taken in this plan", body = crate::error::Problem),
        (status = 412, description = "If-Match is stale", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_commitment(
    State(state): State<AppState>,
    user: Option<AuthUser>,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<CommitmentPatch>,
) -> ApiResult<(HeaderMap, Json<CommitmentOut>)> {
    let current = load_commitment(&state.db, id).await?;
    let plan = load_plan(&state.db, current.plan_id).await?;
    require_plan_editor(&state.db, plan.region_id, user.as_ref()).await?;
    let status_change = patch.status.filter(|s| *s != current.status);
    let mut v = Validator::default();
    check_commitment(
        &mut v,
        patch.reference.as_deref(),
        patch.text.as_deref(),
        patch.target.clone().flatten().as_deref(),
    );
    if status_change.is_some() {
        v.check(
            patch
                .status_note
                .as_deref()
                .is_some_and(|n| !n.trim().is_empty()),
            "status_note",
            "is required when the status changes",
        );
    }
    if let Some(note) = &patch.status_note {
        v.text(note, "status_note", 1, 2_000);
    }
    v.finish()?;
    let actor = user.as_ref().map(AuthUser::id);
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let current = load_commitment(&txn, id).await?;
    if_match.check(current.version)?;
    let before = audit::snapshot(&CommitmentOut::from(current.clone()))?;
    let from = current.status;
    let version = current.version + 1;
    let mut active = current.into_active_model();
    if let Some(reference) = patch.reference {
        active.reference = Set(reference.trim().to_string());
    }
    if let Some(theme) = patch.theme {
        active.theme = Set(theme);
    }
    if let Some(text) = patch.text {
        active.text = Set(text.trim().to_string());
    }
    if let Some(firmness) = patch.firmness {
        active.firmness = Set(firmness);
    }
    if let Some(target) = patch.target {
        active.target = Set(target.map(|t| t.trim().to_string()));
    }
    if let Some(due_on) = patch.due_on {
        active.due_on = Set(due_on);
    }
    if let Some(to) = status_change {
        active.status = Set(to);
        record_status(
            &txn,
            id,
            Some(from),
            to,
            patch.status_note.unwrap_or_default().trim().to_string(),
            actor,
            now,
        )
        .await?;
    }
    active.version = Set(version);
    active.updated_at = Set(now);
    let out = CommitmentOut::from(active.update(&txn).await?);
    audit::record(
        &txn,
        now,
        AuditEvent::new(actor, "commitment.updated", "commitment", id)
            .changes(audit::diff(&before, &audit::snapshot(&out)?)),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(out))
}

/// Every status a commitment has had, with the note given, oldest first (public).
#[utoipa::path(
    get,
    path = "/commitments/{id}/history",
    tag = "commitments",
    params(("id" = Uuid, Path, description = "Commitment id"), PageQuery),
    responses(
        (status = 200, description = "A page of status changes", body = Page<StatusChangeOut>),
        (status = 404, description = "No such commitment", body = crate::error::Problem),
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
