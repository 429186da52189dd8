//! The JSON face of papers: each handler extracts, calls the operation of
//! `crate::papers` and responds. Uploads read their forms in `upload`,
//! files are sent in `download`, the meeting pack is zipped in `pack`.

pub(crate) mod download;
pub(crate) mod pack;
mod upload;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageQuery};
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::papers::{self, AttachedTo, PaperOut, PaperPatch, PaperVersionOut};

pub fn router() -> OpenApiRouter<AppState> {
    // Uploads are not held to the API's body limit: the file is capped as
    // it streams in (413), and every other field of the form is small.
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload::upload_paper))
        .routes(routes!(upload::upload_issue_paper))
        .routes(routes!(upload::upload_plan_paper))
        .routes(routes!(upload::upload_consultation_paper))
        .routes(routes!(upload::replace_content))
        .layer(DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .routes(routes!(list_papers))
        .routes(routes!(list_issue_papers))
        .routes(routes!(list_plan_papers))
        .routes(routes!(list_consultation_papers))
        .merge(uploads)
        .routes(routes!(get_paper, patch_paper, delete_paper))
        .routes(routes!(download::paper_content))
        .routes(routes!(list_versions))
        .routes(routes!(download::version_content))
        .routes(routes!(pack::meeting_pack))
}

fn tagged(out: PaperOut) -> Tagged<PaperOut> {
    Tagged::new(out.version, out)
}

/// A paper's details (whoever may read it: the forum's participants as
/// their role allows; anyone, once the meeting is held, if it is public).
#[utoipa::path(
    get,
    path = "/papers/{id}",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id")),
    responses(
        (status = 200, description = "The paper", body = PaperOut,
         headers(("ETag" = String, description = "The paper's version"))),
        (status = 404, description = "No such paper, or not yours to read"),
    ),
    security((), ("bearer" = []))
)]
async fn get_paper(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<PaperOut>> {
    Ok(tagged(papers::get(&state, caller.as_ref(), id).await?))
}

/// A meeting's papers, its items' among them, in the order they were added
/// (the forum's participants; anyone once it is held, its public papers).
#[utoipa::path(
    get,
    path = "/meetings/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Meeting id"), PageQuery),
    responses(
        (status = 200, description = "A page of papers", body = Page<PaperOut>),
        (status = 404, description = "No such meeting, or its papers not yours to read"),
    ),
    security((), ("bearer" = []))
)]
async fn list_papers(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(meeting_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let of = AttachedTo::Meeting(meeting_id);
    Ok(Json(
        papers::list(&state, caller.as_ref(), of, query).await?,
    ))
}

/// An issue's papers (its evidence), in the order they were added (the
/// forum's participants).
#[utoipa::path(
    get,
    path = "/issues/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Issue id"), PageQuery),
    responses(
        (status = 200, description = "A page of papers", body = Page<PaperOut>),
        (status = 404, description = "No such issue, or not yours to see"),
    ),
    security(("bearer" = []))
)]
async fn list_issue_papers(
    State(state): State<AppState>,
    user: AuthUser,
    Path(issue_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let of = AttachedTo::Issue(issue_id);
    Ok(Json(papers::list(&state, Some(&user), of, query).await?))
}

/// A plan's papers, in the order they were added (public; papers narrowed
/// by those who keep the plan are theirs).
#[utoipa::path(
    get,
    path = "/plans/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Plan id"), PageQuery),
    responses(
        (status = 200, description = "A page of papers", body = Page<PaperOut>),
        (status = 404, description = "No such plan"),
    ),
    security((), ("bearer" = []))
)]
async fn list_plan_papers(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let of = AttachedTo::Plan(plan_id);
    Ok(Json(
        papers::list(&state, caller.as_ref(), of, query).await?,
    ))
}

/// A consultation's papers, in the order they were added (the forum's
/// participants; anyone once the forum's response is submitted, its public
/// ones).
#[utoipa::path(
    get,
    path = "/consultations/{id}/papers",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Consultation id"), PageQuery),
    responses(
        (status = 200, description = "A page of papers", body = Page<PaperOut>),
        (status = 404, description = "No such consultation, or not yours to see"),
    ),
    security((), ("bearer" = []))
)]
async fn list_consultation_papers(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(consultation_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let of = AttachedTo::Consultation(consultation_id);
    Ok(Json(
        papers::list(&state, caller.as_ref(), of, query).await?,
    ))
}

/// Edit a paper's details (who may add papers there: a meeting's officers,
/// an issue's members and RPD staff, a plan's RPD staff).
///
/// `visibility` may narrow what the paper is attached to (422 for one more
/// open than its item), with a reason; `null` makes it as attached again.
/// With `If-Match`, a change to another version is refused (412).
#[utoipa::path(
    patch,
    path = "/papers/{id}",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id"), IfMatch),
    request_body = PaperPatch,
    responses(
        (status = 200, description = "The paper", body = PaperOut,
         headers(("ETag" = String, description = "The paper's version now"))),
        (status = 403, description = "Not one who keeps these papers"),
        (status = 404, description = "No such paper, or not yours to read"),
        (status = 409, description = "The paper changed meanwhile"),
        (status = 412, description = "If-Match is stale"),
        (status = 422, description = "A bad field"),
    ),
    security(("bearer" = []))
)]
async fn patch_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<PaperPatch>,
) -> ApiResult<Tagged<PaperOut>> {
    Ok(tagged(
        papers::change(&state, &user, id, patch, &if_match).await?,
    ))
}

/// Delete a paper, with every version of it (who may add papers there).
///
/// A meeting's only before it is held, an issue's only while it is not
/// closed: what they saw is kept (409).
#[utoipa::path(
    delete,
    path = "/papers/{id}",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not one who keeps these papers"),
        (status = 404, description = "No such paper, or not yours to read"),
        (status = 409, description = "The meeting has been held, or the issue is closed"),
    ),
    security(("bearer" = []))
)]
async fn delete_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    papers::delete(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every version of a paper's file, oldest first (whoever may read the paper).
#[utoipa::path(
    get,
    path = "/papers/{id}/versions",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id"), PageQuery),
    responses(
        (status = 200, description = "A page of versions", body = Page<PaperVersionOut>),
        (status = 404, description = "No such paper, or not yours to read"),
    ),
    security((), ("bearer" = []))
)]
async fn list_versions(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperVersionOut>>> {
    Ok(Json(
        papers::versions(&state, caller.as_ref(), id, query).await?,
    ))
}
