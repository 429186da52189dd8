//! A paper's versions: replacing its file keeps the one before; once the
//! meeting is held a replacement says why (what the meeting saw is kept).

use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use entity::{MeetingStatus, paper, paper_version};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::download::{File, serve};
use super::holder::Holder;
use super::quota;
use super::routes::load_readable;
use super::types::PaperOut;
use super::upload::{REPLACEMENT_FIELDS, read_form};
use super::visibility_of;
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
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::{MeetingLock, lock_meeting};

/// One version of a paper's file.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PaperVersionOut {
    /// From 1; the highest is the paper's current file.
    pub number: i32,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// Why it replaced the version before.
    pub reason: Option<String>,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_at: DateTime<Utc>,
    /// Where to download it.
    pub content_url: String,
}

impl From<paper_version::Model> for PaperVersionOut {
    fn from(v: paper_version::Model) -> Self {
        Self {
            content_url: format!(
                "/api/v1/papers/{}/versions/{}/content",
                v.paper_id, v.number
            ),
            number: v.number,
            file_name: v.file_name,
            content_type: v.content_type,
            size: v.size,
            sha256: v.sha256,
            reason: v.reason,
            uploaded_by: v.uploaded_by,
            uploaded_at: v.uploaded_at,
        }
    }
}

/// The form of a replacement (`multipart/form-data`); no other field is taken.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct PaperReplacement {
    /// Why the file is replaced: required once the meeting is held. One
    /// line, up to 500 characters.
    #[schema(schema_with = limits::VisibilityReason::nullable)]
    pub reason: Option<String>,
    /// The new file, under the same rules as an upload.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Replace a paper's file (who may add papers there); the one before is kept.
///
/// A `multipart/form-data` form of `file` (the rules of an upload: 413,
/// 415) and `reason`, which is required once the meeting has been held
/// (422 without it). With `If-Match`, a paper changed since is not replaced
/// (412); of two replacements at once, one wins and the other is 409.
#[utoipa::path(
    put,
    path = "/papers/{id}/content",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id"), IfMatch),
    request_body(content = PaperReplacement, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The paper, with its new file", body = PaperOut,
         headers(("ETag" = String, description = "The paper's version now"))),
        (status = 400, description = "The form could not be read", body = crate::http::problem::Problem),
        (status = 403, description = "Only the forum's officers replace papers", body = crate::http::problem::Problem),
        (status = 404, description = "No such paper, or not yours to read", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting was cancelled, or the paper changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
        (status = 413, description = "The file is larger than a paper may be, or would take the forum's papers past its storage limit", body = crate::http::problem::Problem),
        (status = 415, description = "The file's contents are not of an accepted kind", body = crate::http::problem::Problem),
        (status = 422, description = "No file, or no reason once the meeting is held", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn replace_content(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    mut multipart: Multipart,
) -> ApiResult<Tagged<PaperOut>> {
    let found = load_readable(&state.db, id, Some(&user)).await?;
    found.attached.require_write()?;
    found.attached.require_open(false)?;
    if_match.check(found.paper.version)?;
    let form = read_form(&mut multipart, state.paper_max_bytes, REPLACEMENT_FIELDS).await?;
    let reason = form
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let mut v = Validator::default();
    if let Some(reason) = &reason {
        v.rule::<limits::VisibilityReason>(reason, "reason");
    }
    v.check(form.file.is_some(), "file", "is required");
    v.finish()?;
    let Some((mut spooled, file_name)) = form.file else {
        return Err(ApiError::invalid("file", "is required"));
    };
    let placed = state.paper_store.place(&mut spooled).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if let Holder::Consultation { consultation } = &found.attached.holder {
        super::upload::require_consultation_open(&txn, consultation.id, false).await?;
    }
    // Share-locked: the meeting's state is the one this replacement meets.
    if let Holder::Meeting { meeting, .. } = &found.attached.holder {
        let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
        match meeting.status {
            MeetingStatus::Cancelled => {
                return Err(ApiError::Conflict(
                    "this meeting was cancelled; its papers are as they were".into(),
                ));
            }
            MeetingStatus::Held if reason.is_none() => {
                return Err(ApiError::invalid(
                    "reason",
                    "is required once the meeting has been held: say why its paper changes",
                ));
            }
            _ => {}
        }
    }
    let size = i64::try_from(spooled.size).unwrap_or(i64::MAX);
    if let Some(forum_id) = found.attached.forum_id() {
        quota::reserve(&txn, forum_id, size, state.forum_storage_limit_bytes).await?;
    }
    let content_id = placed.record(&txn, &mut spooled, now).await?;
    let number = found.paper.current_version + 1;
    // Only the version read: of two replacements, the second finds it gone.
    let mut changes = found.paper.clone().into_active_model();
    changes.content_id.set_ne(content_id);
    changes.file_name.set_ne(file_name.clone());
    changes
        .content_type
        .set_ne(spooled.kind.media_type.to_string());
    changes.size.set_ne(size);
    changes.sha256.set_ne(spooled.sha256.clone());
    changes.current_version.set_ne(number);
    let saved = versioning::save::<paper::Entity>(&txn, &found.paper, changes, &if_match, now)
        .await?
        .into_inner();
    paper_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        paper_id: Set(id),
        number: Set(number),
        content_id: Set(content_id),
        file_name: Set(file_name),
        content_type: Set(saved.content_type.clone()),
        size: Set(size),
        sha256: Set(saved.sha256.clone()),
        reason: Set(reason.clone()),
        uploaded_by: Set(Some(user.id())),
        uploaded_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "paper.replaced", EntityKind::Paper, id)
            .forum_of(saved.forum_id)
            .changes(
                json!({"number": number, "reason": reason, "sha256": saved.sha256, "size": size}),
            ),
    )
    .await?;
    txn.commit().await?;
    placed.keep();
    let visibility = visibility_of(&saved, found.attached.inherited());
    Ok(Tagged::new(saved.version, PaperOut::new(saved, visibility)))
}

/// Every version of a paper's file, oldest first (whoever may read the paper).
#[utoipa::path(
    get,
    path = "/papers/{id}/versions",
    tag = "papers",
    params(("id" = Uuid, Path, description = "Paper id"), PageQuery),
    responses(
        (status = 200, description = "A page of versions", body = Page<PaperVersionOut>),
        (status = 404, description = "No such paper, or not yours to read", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn list_versions(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<PaperVersionOut>>> {
    let page = PageRequest::<i32>::new(query.limit, query.cursor.as_deref())?;
    load_readable(&state.db, id, caller.as_ref()).await?;
    let mut select = paper_version::Entity::find().filter(paper_version::Column::PaperId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(paper_version::Column::Number.gt(after));
    }
    let rows = select
        .order_by_asc(paper_version::Column::Number)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(rows, |v| v.number, PaperVersionOut::from)))
}

#[derive(Debug, Deserialize)]
pub(super) struct VersionPath {
    id: Uuid,
    number: i32,
}

/// One version's file, as the paper's is served (whoever may read the paper).
#[utoipa::path(
    get,
    path = "/papers/{id}/versions/{number}/content",
    tag = "papers",
    params(
        ("id" = Uuid, Path, description = "Paper id"),
        ("number" = i32, Path, description = "Version number, from 1"),
        ("Range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
        ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy you hold"),
    ),
    responses(
        (status = 200, description = "The file, of the kind its bytes are",
         content(
             (Vec<u8> = "application/pdf"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
             (Vec<u8> = "application/vnd.oasis.opendocument.text"),
             (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
             (Vec<u8> = "image/png"),
             (Vec<u8> = "image/jpeg"),
             (String = "text/plain"),
             (String = "text/csv"),
             (String = "text/markdown"),
         ),
         headers(("ETag" = String, description = "The file's SHA-256"),
                 ("Content-Disposition" = String, description = "`attachment` with the file's name"))),
        (status = 206, description = "The range asked for", content(
             (Vec<u8> = "application/pdf"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             (Vec<u8> = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
             (Vec<u8> = "application/vnd.oasis.opendocument.text"),
             (Vec<u8> = "application/vnd.oasis.opendocument.spreadsheet"),
             (Vec<u8> = "image/png"),
             (Vec<u8> = "image/jpeg"),
             (String = "text/plain"),
             (String = "text/csv"),
             (String = "text/markdown"),
         ),
         headers(("Content-Range" = String, description = "Which bytes, of how many"))),
        (status = 304, description = "Not changed since the ETag sent"),
        (status = 404, description = "No such paper or version, or not yours to read", body = crate::http::problem::Problem),
        (status = 416, description = "The range is outside the file", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn version_content(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(path): Path<VersionPath>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    load_readable(&state.db, path.id, caller.as_ref()).await?;
    let version = paper_version::Entity::find()
        .filter(paper_version::Column::PaperId.eq(path.id))
        .filter(paper_version::Column::Number.eq(path.number))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("paper version"))?;
    serve(
        &state,
        &headers,
        File {
            content_id: version.content_id,
            sha256: &version.sha256,
            content_type: &version.content_type,
            file_name: &version.file_name,
        },
    )
    .await
}
