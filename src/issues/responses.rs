use axum::extract::State;
use entity::{IssueStatus, issue_response, raised_issue};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::record_status;
use super::types::{ResponseIn, ResponseOut};
use crate::counters;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_responses, respond))
}

/// The response thread, oldest first (the forum's participants).
#[utoipa::path(
    get,
    path = "/issues/{id}/responses",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Issue id"), PageQuery),
    responses(
        (status = 200, description = "A page of responses", body = Page<ResponseOut>),
        (status = 404, description = "No such issue, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_responses(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<ResponseOut>>> {
    crate::kernel::access::load_visible::<entity::raised_issue::Entity>(&state.db, id, Some(&user))
        .await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = issue_response::Entity::find().filter(issue_response::Column::IssueId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(issue_response::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(issue_response::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(rows, |r| r.id, ResponseOut::from)))
}

/// Answer an issue (the region's RPD staff).
///
/// The first response moves an open or acknowledged issue to `responded` and
/// fixes its time to first response; a response to a re-opened issue moves it
/// to `responded` again. Every response is kept in the thread and raises the
/// issue's version. A closed issue takes no more responses (409), even one
/// closed while this response was being posted.
#[utoipa::path(
    post,
    path = "/issues/{id}/responses",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Issue id")),
    request_body = ResponseIn,
    responses(
        (status = 201, description = "Response posted", body = ResponseOut,
         headers(("Location" = String, description = "URL of the issue's response thread"))),
        (status = 404, description = "No such issue, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The issue is closed", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn respond(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<ResponseIn>,
) -> ApiResult<Created<ResponseOut>> {
    let (_, access) = crate::kernel::access::load_visible::<entity::raised_issue::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
    access.require(ForumAction::RespondToIssue)?;
    Validator::default()
        .rule::<limits::ResponseBody>(&input.body, "body")
        .finish()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // The issue's row is locked for the rest of the transaction: concurrent
    // responses queue here, each seeing the status and first response that
    // the one before it left, and a close committed meanwhile is seen (while
    // a close waiting behind this lock finds the version raised, and is 409).
    let issue = raised_issue::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("issue"))?;
    if issue.status == IssueStatus::Closed {
        return Err(ApiError::Conflict(
            "this issue is closed; it takes no more responses".into(),
        ));
    }
    let response = issue_response::ActiveModel {
        id: Set(Uuid::now_v7()),
        issue_id: Set(id),
        author_id: Set(Some(user.id())),
        body: Set(input.body.trim().to_string()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let from = issue.status;
    let first = issue.first_response_at.is_none();
    let moves = from.can_become(IssueStatus::Responded);
    let mut changes = issue.clone().into_active_model();
    if first {
        let days = (now.date_naive() - issue.created_at.date_naive()).num_days();
        changes.first_response_at = Set(Some(now));
        changes.days_to_first_response = Set(Some(i32::try_from(days).unwrap_or(i32::MAX)));
        changes.answered_within_due_date = Set(Some(now.date_naive() <= issue.response_due_on));
    }
    if moves {
        changes.status = Set(IssueStatus::Responded);
    }
    // The thread is part of the issue as it is read, so every response
    // raises its version, whether or not the issue's own columns change.
    let updated = if changes.is_changed() {
        versioning::save::<raised_issue::Entity>(&txn, &issue, changes, &IfMatch::none(), now)
            .await?
            .into_inner()
    } else {
        versioning::touch::<raised_issue::Entity>(&txn, &issue, &IfMatch::none(), now).await?
    };
    counters::issue_changed(&txn, &issue, &updated).await?;
    events::emit(
        &txn,
        now,
        Event::issue(Kind::IssueResponded, &updated, Some(user.id())),
    )
    .await?;
    if moves {
        record_status(
            &txn,
            id,
            Some(from),
            IssueStatus::Responded,
            None,
            user.id(),
            now,
        )
        .await?;
    }
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "issue.responded", EntityKind::Issue, id)
            .forum(issue.forum_id)
            .changes(json!({
                "response_id": response.id,
                "first_response": first,
                "status": moves.then(|| json!({"from": from, "to": IssueStatus::Responded})),
                "version": updated.version,
            })),
    )
    .await?;
    txn.commit().await?;
    Ok(Created::at(
        format!("/api/v1/issues/{id}/responses"),
        ResponseOut::from(response),
    ))
}
