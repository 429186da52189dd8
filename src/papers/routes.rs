//! Reading, listing, editing and deleting papers.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use entity::{MeetingStatus, Visibility, agenda_item, paper, paper_version};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::holder::{Attached, Holder};
use super::types::{PaperOut, PaperPatch};
use super::{quota, visibility_of};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::pagination::PageQuery;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::storage;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::{MeetingLock, check_visibility_at, lock_meeting};

fn no_paper() -> ApiError {
    ApiError::not_found("paper")
}

/// A paper with what decides who reads it; 404 unless the caller may.
pub(super) struct Readable {
    pub paper: paper::Model,
    pub attached: Attached,
    pub visibility: (Visibility, Option<String>),
}

pub(super) async fn load_readable(
    conn: &impl ConnectionTrait,
    id: Uuid,
    caller: Option<&AuthUser>,
) -> ApiResult<Readable> {
    let paper = paper::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(no_paper)?;
    let attached = Attached::of_paper(conn, &paper, caller).await?;
    let visibility = visibility_of(&paper, attached.inherited());
    if !attached.may_read(visibility.0) {
        return Err(no_paper());
    }
    Ok(Readable {
        paper,
        attached,
        visibility,
    })
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
        (status = 404, description = "No such paper, or not yours to read", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn get_paper(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<PaperOut>> {
    let found = load_readable(&state.db, id, caller.as_ref()).await?;
    Ok(Tagged::new(
        found.paper.version,
        PaperOut::new(found.paper, found.visibility),
    ))
}

/// A page of the papers `select` finds that the caller may read, in the
/// order they were added: those they may not read are left out (the cursor
/// moves on past them all the same). `items` are the meeting's agenda
/// items, which papers of items inherit from.
async fn page_of_papers(
    state: &AppState,
    attached: &Attached,
    select: sea_orm::Select<paper::Entity>,
    query: &PageQuery,
    items: &HashMap<Uuid, agenda_item::Model>,
) -> ApiResult<Page<PaperOut>> {
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = select;
    if let Some(after) = page.after {
        select = select.filter(paper::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(paper::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let page = page.finish(
        rows,
        |p| p.id,
        |p| {
            let inherited = match p.agenda_item_id.and_then(|i| items.get(&i)) {
                Some(item) => (item.visibility, item.visibility_reason.clone()),
                None => attached.inherited(),
            };
            let visibility = visibility_of(&p, inherited);
            attached
                .may_read(visibility.0)
                .then(|| PaperOut::new(p, visibility))
        },
    );
    Ok(Page {
        items: page.items.into_iter().flatten().collect(),
        next_cursor: page.next_cursor,
    })
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
        (status = 404, description = "No such meeting, or its papers not yours to read", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn list_papers(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(meeting_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let attached = Attached::meeting(&state.db, meeting_id, None, caller.as_ref()).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("meeting"));
    }
    let items: HashMap<Uuid, agenda_item::Model> = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let select = paper::Entity::find().filter(paper::Column::MeetingId.eq(meeting_id));
    Ok(Json(
        page_of_papers(&state, &attached, select, &query, &items).await?,
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
        (status = 404, description = "No such issue, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn list_issue_papers(
    State(state): State<AppState>,
    user: AuthUser,
    Path(issue_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let attached = Attached::issue(&state.db, issue_id, Some(&user)).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("issue"));
    }
    let select = paper::Entity::find().filter(paper::Column::IssueId.eq(issue_id));
    Ok(Json(
        page_of_papers(&state, &attached, select, &query, &HashMap::new()).await?,
    ))
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
        (status = 404, description = "No such plan", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn list_plan_papers(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(plan_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let attached = Attached::plan(&state.db, plan_id, caller.as_ref()).await?;
    let select = paper::Entity::find().filter(paper::Column::PlanId.eq(plan_id));
    Ok(Json(
        page_of_papers(&state, &attached, select, &query, &HashMap::new()).await?,
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
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn list_consultation_papers(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(consultation_id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperOut>>> {
    let attached = Attached::consultation(&state.db, consultation_id, caller.as_ref()).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found("consultation"));
    }
    let select = paper::Entity::find().filter(paper::Column::ConsultationId.eq(consultation_id));
    Ok(Json(
        page_of_papers(&state, &attached, select, &query, &HashMap::new()).await?,
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
        (status = 403, description = "Not one who keeps these papers", body = crate::http::problem::Problem),
        (status = 404, description = "No such paper, or not yours to read", body = crate::http::problem::Problem),
        (status = 409, description = "The paper changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
        (status = 422, description = "A bad field", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn patch_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<PaperPatch>,
) -> ApiResult<Tagged<PaperOut>> {
    let found = load_readable(&state.db, id, Some(&user)).await?;
    found.attached.require_write()?;
    let mut v = Validator::default();
    if let Some(title) = &patch.title {
        v.rule::<limits::PaperTitle>(title, "title");
    }
    if let Some(description) = &patch.description {
        v.rule::<limits::PaperDescription>(description, "description");
    }
    let own = match patch.visibility {
        Some(given) => given,
        None => found.paper.visibility,
    };
    let inherited = found.attached.inherited().0;
    let reason = match own {
        Some(own) => {
            v.check(
                own.narrower(inherited) == own,
                "visibility",
                &format!(
                    "cannot be more open than what the paper is attached to ({})",
                    inherited.as_str()
                ),
            );
            let given = match &patch.visibility_reason {
                Some(reason) => reason.as_deref(),
                None => found.paper.visibility_reason.as_deref(),
            };
            check_visibility_at(&mut v, own, given, "visibility_reason")
        }
        None => None,
    };
    v.finish()?;
    let now = state.clock.now();
    let mut changes = found.paper.clone().into_active_model();
    if let Some(title) = patch.title {
        changes.title.set_ne(title.trim().to_string());
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description.trim().to_string());
    }
    changes.visibility.set_ne(own);
    changes.visibility_reason.set_ne(reason);
    let txn = begin_write(&state.db).await?;
    let saved =
        versioning::save::<paper::Entity>(&txn, &found.paper, changes, &if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        audit::record(
            &txn,
            now,
            AuditEvent::new(Some(user.id()), "paper.updated", EntityKind::Paper, id)
                .forum_of(saved.forum_id)
                .changes(json!({"version": saved.version})),
        )
        .await?;
    }
    txn.commit().await?;
    let visibility = visibility_of(&saved, found.attached.inherited());
    Ok(Tagged::new(saved.version, PaperOut::new(saved, visibility)))
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
        (status = 403, description = "Not one who keeps these papers", body = crate::http::problem::Problem),
        (status = 404, description = "No such paper, or not yours to read", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting has been held, or the issue is closed", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn delete_paper(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let found = load_readable(&state.db, id, Some(&user)).await?;
    found.attached.require_write()?;
    found.attached.require_open(true)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Share-locked: a meeting cannot be marked held under this delete.
    if let Holder::Consultation { consultation } = &found.attached.holder {
        super::upload::require_consultation_open(&txn, consultation.id, true).await?;
    }
    if let Holder::Meeting { meeting, .. } = &found.attached.holder {
        let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
        if meeting.status == MeetingStatus::Held {
            return Err(ApiError::Conflict(
                "the meeting has been held: the papers it saw are kept".into(),
            ));
        }
    }
    let versions: Vec<(Uuid, i64)> = paper_version::Entity::find()
        .select_only()
        .column(paper_version::Column::ContentId)
        .column(paper_version::Column::Size)
        .filter(paper_version::Column::PaperId.eq(id))
        .into_tuple()
        .all(&txn)
        .await?;
    let freed: i64 = versions.iter().map(|(_, size)| size).sum();
    let contents: Vec<Uuid> = versions.into_iter().map(|(content, _)| content).collect();
    let deleted = paper::Entity::delete_by_id(id).exec(&txn).await?;
    if deleted.rows_affected == 0 {
        return Err(no_paper());
    }
    storage::delete(&txn, &contents).await?;
    if let Some(forum_id) = found.paper.forum_id {
        quota::release(&txn, forum_id, freed).await?;
    }
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "paper.deleted", EntityKind::Paper, id)
            .forum_of(found.paper.forum_id)
            .changes(json!({"title": found.paper.title, "sha256": found.paper.sha256})),
    )
    .await?;
    txn.commit().await?;
    state.paper_store.forget(&contents);
    Ok(StatusCode::NO_CONTENT)
}
