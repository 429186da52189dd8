use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use entity::{IssuePriority, IssueStatus, issue_response, raised_issue, raised_issue_commitment};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set,
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{
    after, commitment_ids_of, filtered, oldest_due_first, record_status, with_commitment_ids,
};
use super::types::{IssueDetail, IssueIn, IssueOut, IssueQuery, ResponseOut};
use crate::actions::check_meeting;
use crate::counters;
use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::plans::require_own_region;
use crate::search::{self, Corpus, SearchPage, Terms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_issues, raise_issue))
        .routes(routes!(get_issue))
}

/// One row of the issues CSV.
#[derive(Serialize)]
struct IssueCsv {
    id: Uuid,
    title: String,
    priority: &'static str,
    status: &'static str,
    response_due_on: NaiveDate,
    overdue: bool,
    days_to_first_response: Option<i32>,
    answered_within_due_date: Option<bool>,
    raised_by_organisation_id: Option<Uuid>,
    commitment_ids: String,
    created_at: String,
}

impl From<IssueOut> for IssueCsv {
    fn from(i: IssueOut) -> Self {
        Self {
            id: i.id,
            title: i.title,
            priority: i.priority.as_str(),
            status: i.status.as_str(),
            response_due_on: i.response_due_on,
            overdue: i.overdue,
            days_to_first_response: i.days_to_first_response,
            answered_within_due_date: i.answered_within_due_date,
            raised_by_organisation_id: i.raised_by_organisation_id,
            commitment_ids: i
                .commitment_ids
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            created_at: i.created_at.to_rfc3339(),
        }
    }
}

/// The forum's raised issues, oldest due first (the forum's participants).
///
/// With `q`, only issues whose title or text has its words, best match
/// first. With `Accept: text/csv` the answer is every matching issue as CSV
/// (oldest due first).
#[utoipa::path(
    get,
    path = "/forums/{id}/issues",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Forum id"), IssueQuery),
    responses(
        (status = 200, description = "A page of issues, or all of them as CSV",
         content((Page<IssueOut> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_issues(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<IssueQuery>,
) -> ApiResult<Response> {
    ForumAccess::load(&state.db, forum_id, Some(&user))
        .await?
        .require(ForumAction::ReadParticipantRecords)?;
    let today = state.clock.now().date_naive();
    let backend = state.db.get_database_backend();
    let terms = Terms::from_query(query.q.as_deref())?;
    if csv_export::wanted(&headers) {
        let (db, query, terms) = (&state.db, &query, &terms);
        let rows = crate::kernel::pagination::every_row(
            |last: Option<(NaiveDate, Uuid)>| async move {
                let mut select = filtered(forum_id, query, today);
                if let Some(terms) = terms {
                    select = select.filter(search::matches(backend, Corpus::Issues, terms));
                }
                if let Some((due, id)) = last {
                    select = select.filter(after(due, id));
                }
                with_commitment_ids(
                    oldest_due_first(select).limit(crate::kernel::pagination::BATCH),
                    backend,
                )
                .all(db)
                .await
                .map_err(ApiError::from)
            },
            |row| (row.record.response_due_on, row.record.id),
        )
        .await?;
        let rows = rows
            .into_iter()
            .map(|row| IssueCsv::from(IssueOut::listed(row, today)));
        return csv_export::respond("issues.csv", rows);
    }
    if let Some(terms) = terms {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let rows = filtered(forum_id, &query, today).into_query();
        let page = search::page(
            &state.db,
            rows,
            Corpus::Issues,
            &terms,
            &page,
            |ids| async {
                let found =
                    filtered(forum_id, &query, today).filter(raised_issue::Column::Id.is_in(ids));
                Ok(with_commitment_ids(found, backend)
                    .all(&state.db)
                    .await?
                    .into_iter()
                    .map(|row| (row.record.id, IssueOut::listed(row, today)))
                    .collect())
            },
        )
        .await?;
        return Ok(Json(page).into_response());
    }
    let page = PageRequest::<(NaiveDate, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered(forum_id, &query, today);
    if let Some((due, id)) = page.after {
        select = select.filter(after(due, id));
    }
    let rows = with_commitment_ids(oldest_due_first(select).limit(page.fetch()), backend)
        .all(&state.db)
        .await?;
    let page = page.finish(
        rows,
        |row| (row.record.response_due_on, row.record.id),
        |row| IssueOut::listed(row, today),
    );
    Ok(Json(page).into_response())
}

/// Raise an issue with the RPD's team (members, secretary, chair).
///
/// The response is due `issue_response_days` after today (28 unless the forum
/// sets its own). Linked commitments must be the region's (422 otherwise).
#[utoipa::path(
    post,
    path = "/forums/{id}/issues",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = IssueIn,
    responses(
        (status = 201, description = "Issue raised", body = IssueOut,
         headers(
             ("Location" = String, description = "URL of the new issue"),
             ("ETag" = String, description = "The issue's first version"),
         )),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn raise_issue(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<IssueIn>,
) -> ApiResult<Created<IssueOut>> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
    access.require(ForumAction::RaiseIssue)?;
    let mut v = Validator::default();
    v.rule::<limits::IssueTitle>(&input.title, "title")
        .rule::<limits::IssueBody>(&input.body, "body");
    v.finish()?;
    check_meeting(&state.db, forum_id, input.meeting_id).await?;
    let commitment_ids = require_own_region(
        &state.db,
        &access.forum,
        &input.commitment_ids,
        "commitment_ids",
    )
    .await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let due = now.date_naive() + Duration::days(i64::from(access.forum.issue_response_days));
    let issue = raised_issue::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(input.title.trim().to_string()),
        body: Set(input.body.trim().to_string()),
        priority: Set(input.priority.unwrap_or(IssuePriority::Normal)),
        raised_by: Set(Some(user.id())),
        raised_for_organisation_id: Set(user.user.organisation_id),
        meeting_id: Set(input.meeting_id),
        status: Set(IssueStatus::Open),
        response_due_on: Set(due),
        first_response_at: Set(None),
        days_to_first_response: Set(None),
        answered_within_due_date: Set(None),
        closed_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    if !commitment_ids.is_empty() {
        raised_issue_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            raised_issue_commitment::ActiveModel {
                issue_id: Set(issue.id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    record_status(
        &txn,
        issue.id,
        None,
        IssueStatus::Open,
        None,
        user.id(),
        now,
    )
    .await?;
    counters::issue_raised(&txn, &issue, &commitment_ids).await?;
    events::emit(
        &txn,
        now,
        Event::issue(Kind::IssueRaised, &issue, Some(user.id())),
    )
    .await?;
    let out = IssueOut::new(issue, commitment_ids, now.date_naive());
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "issue.raised", EntityKind::Issue, out.id)
            .forum(forum_id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/issues/{}", out.id), out).tagged(version))
}

/// One issue with its response thread, links and time to first response
/// (the forum's participants; 404 to anyone else). Its version rises with
/// every change to what this shows, a new response included.
#[utoipa::path(
    get,
    path = "/issues/{id}",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Issue id")),
    responses(
        (status = 200, description = "The issue", body = IssueDetail,
         headers(("ETag" = String, description = "The issue's version"))),
        (status = 404, description = "No such issue, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_issue(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<IssueDetail>> {
    let (issue, _) = crate::kernel::access::load_visible::<entity::raised_issue::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
    let today = state.clock.now().date_naive();
    let links = commitment_ids_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    // A thread is a conversation of a handful of messages, shown whole.
    let responses = issue_response::Entity::find()
        .filter(issue_response::Column::IssueId.eq(id))
        .order_by_asc(issue_response::Column::Id)
        .limit(1_000)
        .all(&state.db)
        .await?
        .into_iter()
        .map(ResponseOut::from)
        .collect();
    Ok(Tagged::new(
        issue.version,
        IssueDetail {
            issue: IssueOut::new(issue, links, today),
            responses,
        },
    ))
}
