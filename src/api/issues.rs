//! The JSON face of raised issues: each handler extracts, calls the
//! operation of `crate::issues` and responds.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::csv_export;
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::issues::{
    self, IssueChange, IssueDetail, IssueIn, IssueOut, IssueQuery, ResponseIn, ResponseOut,
};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_issues, raise_issue))
        .routes(routes!(get_issue, change_issue))
        .routes(routes!(list_responses, respond))
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
    raised_by: Option<Uuid>,
    raised_by_name: Option<String>,
    raised_by_organisation_id: Option<Uuid>,
    raised_by_organisation_name: Option<String>,
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
            raised_by: i.raised_by,
            raised_by_name: i.raised_by_name,
            raised_by_organisation_id: i.raised_by_organisation_id,
            raised_by_organisation_name: i.raised_by_organisation_name,
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
        (status = 404, description = "No such forum"),
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
    if csv_export::wanted(&headers) {
        let rows = issues::all(&state, &user, forum_id, query).await?;
        return csv_export::respond("issues.csv", rows.into_iter().map(IssueCsv::from));
    }
    Ok(Json(issues::list(&state, &user, forum_id, query).await?).into_response())
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
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn raise_issue(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<IssueIn>,
) -> ApiResult<Created<IssueOut>> {
    let out = issues::raise(&state, &user, forum_id, input).await?;
    let version = out.version;
    Ok(Created::at(api_path(format_args!("issues/{}", out.id)), out).tagged(version))
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
        (status = 404, description = "No such issue, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn get_issue(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<IssueDetail>> {
    let detail = issues::get(&state, &user, id).await?;
    Ok(Tagged::new(detail.issue.version, detail))
}

/// Move an issue along: acknowledge it (the region's RPD staff), close it when
/// satisfied, or re-open a responded one with a `reason` (the raiser, the
/// secretary or chair). Other moves are 409. Re-opening keeps the due date.
///
/// The move is made only from the state (and version) read: of two
/// concurrent moves one wins and the other is 409, naming the state it found.
/// With `If-Match`, a move of a version other than the one sent is 412.
#[utoipa::path(
    patch,
    path = "/issues/{id}",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Issue id"), IfMatch),
    request_body = IssueChange,
    responses(
        (status = 200, description = "The issue as it now is", body = IssueOut,
         headers(("ETag" = String, description = "The issue's version now"))),
        (status = 404, description = "No such issue, or not yours to see"),
        (status = 409, description = "Not a move the issue can make, or it changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
    ),
    security(("bearer" = []))
)]
async fn change_issue(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(change): Json<IssueChange>,
) -> ApiResult<Tagged<IssueOut>> {
    let out = issues::change(&state, &user, id, change, &if_match).await?;
    Ok(Tagged::new(out.version, out))
}

/// The response thread, oldest first (the forum's participants).
#[utoipa::path(
    get,
    path = "/issues/{id}/responses",
    tag = "issues",
    params(("id" = Uuid, Path, description = "Issue id"), PageQuery),
    responses(
        (status = 200, description = "A page of responses", body = Page<ResponseOut>),
        (status = 404, description = "No such issue, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn list_responses(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<ResponseOut>>> {
    Ok(Json(issues::responses(&state, &user, id, query).await?))
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
        (status = 404, description = "No such issue, or not yours to see"),
        (status = 409, description = "The issue is closed"),
    ),
    security(("bearer" = []))
)]
async fn respond(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<ResponseIn>,
) -> ApiResult<Created<ResponseOut>> {
    let response = issues::respond(&state, &user, id, input).await?;
    Ok(Created::at(
        api_path(format_args!("issues/{id}/responses")),
        response,
    ))
}
