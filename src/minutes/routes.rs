use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Utc};
use entity::{
    ForumRole, MeetingStatus, MinutesStatus, forum_role, meeting, minutes, minutes_revision, user,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::access::{ForumAccess, ForumAction};
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::meetings::load_visible;
use crate::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::validation::Validator;
use crate::versioning::{IfMatch, etag};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_minutes, put_minutes))
        .routes(routes!(approve_minutes))
        .routes(routes!(list_revisions))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesIn {
    /// Markdown, up to 200,000 characters.
    pub body: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MinutesOut {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub forum_id: Uuid,
    pub meeting_title: String,
    pub meeting_starts_at: DateTime<Utc>,
    pub body: String,
    pub status: MinutesStatus,
    /// Rises with every edit; send it back in `If-Match`.
    pub version: i32,
    pub approved_by: Option<Uuid>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MinutesOut {
    fn new(m: minutes::Model, meeting: &meeting::Model) -> Self {
        Self {
            id: m.id,
            meeting_id: m.meeting_id,
            forum_id: meeting.forum_id,
            meeting_title: meeting.title.clone(),
            meeting_starts_at: meeting.starts_at,
            body: m.body,
            status: m.status,
            version: m.version,
            approved_by: m.approved_by,
            approved_at: m.approved_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RevisionOut {
    pub version: i32,
    pub body: String,
    pub edited_by: Option<Uuid>,
    pub edited_by_name: Option<String>,
    pub edited_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RevisionQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn with_etag(out: MinutesOut) -> (HeaderMap, Json<MinutesOut>) {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(out.version));
    (headers, Json(out))
}

fn no_minutes() -> ApiError {
    ApiError::NotFound("this meeting has no minutes you can see".into())
}

async fn minutes_of(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> ApiResult<Option<minutes::Model>> {
    Ok(minutes::Entity::find()
        .filter(minutes::Column::MeetingId.eq(meeting_id))
        .one(conn)
        .await?)
}

async fn add_revision(
    conn: &impl ConnectionTrait,
    m: &minutes::Model,
    editor: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    minutes_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        minutes_id: Set(m.id),
        version: Set(m.version),
        body: Set(m.body.clone()),
        edited_by: Set(Some(editor)),
        edited_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A meeting's minutes.
///
/// Approved minutes are public. Draft minutes are for the forum's participants
/// only: anyone else, signed in or not, gets 404, as if there were none.
#[utoipa::path(
    get,
    path = "/meetings/{id}/minutes",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The minutes", body = MinutesOut,
         headers(("ETag" = String, description = "The minutes' version"))),
        (status = 404, description = "No minutes you can see", body = crate::error::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn get_minutes(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<(HeaderMap, Json<MinutesOut>)> {
    let meeting = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(no_minutes)?;
    let minutes = minutes_of(&state.db, id).await?.ok_or_else(no_minutes)?;
    if minutes.status != MinutesStatus::Approved {
        let access = ForumAccess::load(&state.db, meeting.forum_id, caller.as_ref()).await?;
        if !access.allows(ForumAction::ReadParticipantRecords) {
            return Err(no_minutes());
        }
    }
    Ok(with_etag(MinutesOut::new(minutes, &meeting)))
}

/// Draft or edit the minutes (secretary, chair, admins).
///
/// The first write needs no `If-Match`; every later one must send the ETag
/// of the version it edits (428 without it, 412 when stale), so two editors
/// never overwrite each other. Approved minutes are read-only (409).
#[utoipa::path(
    put,
    path = "/meetings/{id}/minutes",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = MinutesIn,
    responses(
        (status = 200, description = "Minutes updated", body = MinutesOut,
         headers(("ETag" = String, description = "The new version"))),
        (status = 201, description = "Minutes drafted", body = MinutesOut,
         headers(("ETag" = String, description = "The first version"))),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "The minutes are approved, or the meeting was cancelled", body = crate::error::Problem),
        (status = 412, description = "If-Match is stale", body = crate::error::Problem),
        (status = 428, description = "If-Match is missing", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn put_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<MinutesIn>,
) -> ApiResult<(StatusCode, HeaderMap, Json<MinutesOut>)> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (meeting, access) = load_visible(&txn, id, Some(&user)).await?;
    access.require(ForumAction::DraftMinutes)?;
    Validator::default()
        .text(&input.body, "body", 0, 200_000)
        .finish()?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(ApiError::Conflict(
            "this meeting was cancelled; it has no minutes".into(),
        ));
    }
    let (status, saved) = match minutes_of(&txn, id).await? {
        Some(existing) => {
            if existing.status == MinutesStatus::Approved {
                return Err(ApiError::Conflict(
                    "these minutes are approved and can no longer be changed".into(),
                ));
            }
            if_match.require(existing.version)?;
            let version = existing.version + 1;
            let mut active = existing.into_active_model();
            active.body = Set(input.body);
            active.version = Set(version);
            active.updated_at = Set(now);
            (StatusCode::OK, active.update(&txn).await?)
        }
        None => {
            let created = minutes::ActiveModel {
                id: Set(Uuid::now_v7()),
                meeting_id: Set(id),
                body: Set(input.body),
                status: Set(MinutesStatus::Draft),
                version: Set(1),
                approved_by: Set(None),
                approved_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
            (StatusCode::CREATED, created)
        }
    };
    add_revision(&txn, &saved, user.id(), now).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "minutes.edited", "minutes", saved.id)
            .forum(meeting.forum_id)
            .changes(json!({"version": saved.version, "length": saved.body.chars().count()})),
    )
    .await?;
    txn.commit().await?;
    let (headers, body) = with_etag(MinutesOut::new(saved, &meeting));
    Ok((status, headers, body))
}

/// Approve the minutes: the chair, or the secretary where the forum has no
/// chair (and admins); only once the meeting is held. They then become public
/// and read-only.
#[utoipa::path(
    post,
    path = "/meetings/{id}/minutes/approve",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The approved minutes", body = MinutesOut),
        (status = 404, description = "No such meeting or minutes, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "Already approved, or the meeting is not held yet", body = crate::error::Problem),
        (status = 412, description = "If-Match is stale", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn approve_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<(HeaderMap, Json<MinutesOut>)> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (meeting, access) = load_visible(&txn, id, Some(&user)).await?;
    let forum_has_chair = forum_role::Entity::find()
        .filter(forum_role::Column::ForumId.eq(meeting.forum_id))
        .filter(forum_role::Column::Role.eq(ForumRole::Chair))
        .count(&txn)
        .await?
        > 0;
    access.require(ForumAction::ApproveMinutes { forum_has_chair })?;
    let existing = minutes_of(&txn, id).await?.ok_or_else(no_minutes)?;
    if existing.status == MinutesStatus::Approved {
        return Err(ApiError::Conflict(
            "these minutes are already approved".into(),
        ));
    }
    if meeting.status != MeetingStatus::Held {
        return Err(ApiError::Conflict(format!(
            "minutes are approved once the meeting is held; it is {}",
            meeting.status.as_str()
        )));
    }
    if_match.check(existing.version)?;
    let mut active = existing.into_active_model();
    active.status = Set(MinutesStatus::Approved);
    active.approved_by = Set(Some(user.id()));
    active.approved_at = Set(Some(now));
    active.updated_at = Set(now);
    let approved = active.update(&txn).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "minutes.approved", "minutes", approved.id)
            .forum(meeting.forum_id)
            .changes(
                json!({"status": {"from": "draft", "to": "approved"}, "version": approved.version}),
            ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(MinutesOut::new(approved, &meeting)))
}

/// Every version of the minutes, oldest first: who wrote it, when, and what (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/minutes/revisions",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), RevisionQuery),
    responses(
        (status = 200, description = "A page of revisions", body = Page<RevisionOut>),
        (status = 404, description = "No such meeting or minutes, or not yours to see", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_revisions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<RevisionQuery>,
) -> ApiResult<Json<Page<RevisionOut>>> {
    load_visible(&state.db, id, Some(&user)).await?;
    let page = PageRequest::<i32>::new(query.limit, query.cursor.as_deref())?;
    let minutes = minutes_of(&state.db, id).await?.ok_or_else(no_minutes)?;
    let mut select =
        minutes_revision::Entity::find().filter(minutes_revision::Column::MinutesId.eq(minutes.id));
    if let Some(after) = page.after {
        select = select.filter(minutes_revision::Column::Version.gt(after));
    }
    let rows = select
        .order_by_asc(minutes_revision::Column::Version)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let names: std::collections::HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.edited_by).collect::<Vec<_>>()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(Json(page.finish(
        rows,
        |r| r.version,
        |r| RevisionOut {
            version: r.version,
            edited_by_name: r.edited_by.and_then(|id| names.get(&id).cloned()),
            edited_by: r.edited_by,
            body: r.body,
            edited_at: r.edited_at,
        },
    )))
}
