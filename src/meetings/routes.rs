use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use entity::{MeetingStatus, meeting};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{attendance_summaries, load_visible};
use super::types::{MeetingIn, MeetingOut, MeetingPatch, MeetingQuery, check_schedule};
use crate::access::{ForumAccess, ForumAction};
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::pagination::{Page, PageRequest, after_key};
use crate::state::AppState;
use crate::validation::Validator;
use crate::versioning::{IfMatch, etag};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, schedule_meeting))
        .routes(routes!(get_meeting, patch_meeting))
}

async fn meeting_out(state: &AppState, meeting: meeting::Model) -> ApiResult<MeetingOut> {
    let mut summaries = attendance_summaries(&state.db, meeting.forum_id, &[meeting.id]).await?;
    let summary = summaries.remove(&meeting.id).unwrap_or_default();
    Ok(MeetingOut::new(meeting, summary))
}

fn with_etag(out: MeetingOut) -> (HeaderMap, Json<MeetingOut>) {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(out.version));
    (headers, Json(out))
}

/// The forum's meetings, soonest first (the forum's participants).
#[utoipa::path(
    get,
    path = "/forums/{id}/meetings",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id"), MeetingQuery),
    responses(
        (status = 200, description = "A page of meetings", body = Page<MeetingOut>),
        (status = 404, description = "No such forum", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_meetings(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Query(query): Query<MeetingQuery>,
) -> ApiResult<Json<Page<MeetingOut>>> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
    access.require(ForumAction::ReadParticipantRecords)?;
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = meeting::Entity::find().filter(meeting::Column::ForumId.eq(forum_id));
    if let Some(to) = query.to {
        select = select.filter(meeting::Column::StartsAt.lt(to));
    }
    if let Some(status) = query.status {
        select = select.filter(meeting::Column::Status.eq(status));
    }
    // One lower bound on the sort key, the tighter of the two: SQLite seeks
    // by only one, and a cursor at or past `from` already implies it.
    match (page.after, query.from) {
        (Some((starts_at, _)), Some(from)) if from > starts_at => {
            select = select.filter(meeting::Column::StartsAt.gte(from));
        }
        (Some((starts_at, id)), _) => {
            select = select.filter(after_key(
                [
                    Expr::col((meeting::Entity, meeting::Column::StartsAt)),
                    Expr::col((meeting::Entity, meeting::Column::Id)),
                ],
                [starts_at.into(), id.into()],
            ));
        }
        (None, Some(from)) => select = select.filter(meeting::Column::StartsAt.gte(from)),
        (None, None) => {}
    }
    let rows = select
        .order_by_asc(meeting::Column::StartsAt)
        .order_by_asc(meeting::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut summaries = attendance_summaries(&state.db, forum_id, &ids).await?;
    Ok(Json(page.finish(
        rows,
        |m| (m.starts_at, m.id),
        |m| {
            let summary = summaries.remove(&m.id).unwrap_or_default();
            MeetingOut::new(m, summary)
        },
    )))
}

/// Schedule a meeting (secretary, chair, admins).
#[utoipa::path(
    post,
    path = "/forums/{id}/meetings",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = MeetingIn,
    responses(
        (status = 201, description = "Meeting scheduled", body = MeetingOut,
         headers(("ETag" = String, description = "The meeting's version"))),
        (status = 404, description = "No such forum", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn schedule_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<MeetingIn>,
) -> ApiResult<impl IntoResponse> {
    let access = ForumAccess::load(&state.db, forum_id, Some(&user)).await?;
    access.require(ForumAction::RunMeetings)?;
    input.validate()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let created = meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        location: Set(input.location.map(|l| l.trim().to_string())),
        online_link: Set(input.online_link.map(|l| l.trim().to_string())),
        status: Set(MeetingStatus::Scheduled),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(user.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let out = MeetingOut::new(created, Default::default());
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "meeting.scheduled", "meeting", out.id)
            .forum(forum_id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let location = format!("/api/v1/meetings/{}", out.id);
    let (mut headers, body) = with_etag(out);
    headers.insert(
        header::LOCATION,
        location.parse().map_err(ApiError::internal)?,
    );
    Ok((StatusCode::CREATED, headers, body))
}

/// One meeting (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/meetings/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The meeting", body = MeetingOut,
         headers(("ETag" = String, description = "The meeting's version"))),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<(HeaderMap, Json<MeetingOut>)> {
    let (meeting, _) = load_visible(&state.db, id, Some(&user)).await?;
    Ok(with_etag(meeting_out(&state, meeting).await?))
}

/// Edit, reschedule, cancel or close a meeting (secretary, chair, admins).
///
/// Send `If-Match` with the ETag you read to be sure you are changing what you
/// saw (412 when it is stale). A held or cancelled meeting cannot be
/// rescheduled (409); a meeting cannot be marked held before it starts (409).
#[utoipa::path(
    patch,
    path = "/meetings/{id}",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = MeetingPatch,
    responses(
        (status = 200, description = "The meeting as it now is", body = MeetingOut,
         headers(("ETag" = String, description = "The meeting's new version"))),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "The change does not fit the meeting's state", body = crate::error::Problem),
        (status = 412, description = "If-Match is stale", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<MeetingPatch>,
) -> ApiResult<(HeaderMap, Json<MeetingOut>)> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (meeting, access) = load_visible(&txn, id, Some(&user)).await?;
    access.require(ForumAction::RunMeetings)?;
    if_match.check(meeting.version)?;

    let mut v = Validator::default();
    if let Some(title) = &patch.title {
        v.line(title, "title", 1, 200);
    }
    if let Some(description) = &patch.description {
        v.text(description, "description", 0, 10_000);
    }
    let location = patch.location.clone().unwrap_or(meeting.location.clone());
    let online_link = patch
        .online_link
        .clone()
        .unwrap_or(meeting.online_link.clone());
    check_schedule(
        &mut v,
        patch.starts_at.unwrap_or(meeting.starts_at),
        patch.ends_at.unwrap_or(meeting.ends_at),
        location.as_deref(),
        online_link.as_deref(),
    );
    if patch.status == Some(MeetingStatus::Cancelled) {
        v.check(
            patch
                .cancel_reason
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty()),
            "cancel_reason",
            "is required to cancel a meeting",
        );
    }
    v.finish()?;

    if meeting.status != MeetingStatus::Scheduled && patch.reschedules() {
        return Err(ApiError::Conflict(format!(
            "this meeting is {}; it cannot be rescheduled",
            meeting.status.as_str()
        )));
    }
    if let Some(next) = patch.status.filter(|s| *s != meeting.status) {
        if !meeting.status.can_become(next) {
            return Err(ApiError::Conflict(format!(
                "this meeting is {}; it cannot become {}",
                meeting.status.as_str(),
                next.as_str()
            )));
        }
        if next == MeetingStatus::Held && now < patch.starts_at.unwrap_or(meeting.starts_at) {
            return Err(ApiError::Conflict(
                "a meeting cannot be held before it starts".into(),
            ));
        }
    }

    let before = audit::snapshot(&MeetingOut::new(meeting.clone(), Default::default()))?;
    let version = meeting.version + 1;
    let mut active = meeting.into_active_model();
    if let Some(title) = patch.title {
        active.title = Set(title.trim().to_string());
    }
    if let Some(description) = patch.description {
        active.description = Set(description.trim().to_string());
    }
    if let Some(starts_at) = patch.starts_at {
        active.starts_at = Set(starts_at);
    }
    if let Some(ends_at) = patch.ends_at {
        active.ends_at = Set(ends_at);
    }
    active.location = Set(location);
    active.online_link = Set(online_link);
    if let Some(status) = patch.status {
        active.status = Set(status);
        if status == MeetingStatus::Cancelled {
            active.cancel_reason = Set(patch.cancel_reason.map(|r| r.trim().to_string()));
        }
    }
    active.version = Set(version);
    active.updated_at = Set(now);
    let updated = active.update(&txn).await?;
    let after = audit::snapshot(&MeetingOut::new(updated.clone(), Default::default()))?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "meeting.updated", "meeting", id)
            .forum(updated.forum_id)
            .changes(audit::diff(&before, &after)),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(meeting_out(&state, updated).await?))
}
