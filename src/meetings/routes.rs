//! Scheduling meetings, listing them and reading one.

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{MeetingStatus, meeting};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::edit;
use super::queries::attendance_summaries;
use super::types::{MeetingIn, MeetingOut, MeetingQuery};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::pagination::{Page, PageRequest, after_key};
use crate::kernel::state::AppState;
use crate::search::{self, Corpus, SearchPage, Terms};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, schedule_meeting))
        .routes(routes!(get_meeting, edit::patch_meeting))
}

/// The meeting as the API shows it, with its attendance figures, and its
/// version as the ETag.
pub(super) async fn meeting_out(
    state: &AppState,
    meeting: meeting::Model,
) -> ApiResult<Tagged<MeetingOut>> {
    let mut summaries = attendance_summaries(&state.db, meeting.forum_id, &[meeting.id]).await?;
    let summary = summaries.remove(&meeting.id).unwrap_or_default();
    Ok(Tagged::new(
        meeting.version,
        MeetingOut::new(meeting, summary),
    ))
}

/// The forum's meetings, soonest first (the forum's participants).
///
/// With `q`, only meetings whose title, description or place has its
/// words, best match first.
#[utoipa::path(
    get,
    path = "/forums/{id}/meetings",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Forum id"), MeetingQuery),
    responses(
        (status = 200, description = "A page of meetings", body = Page<MeetingOut>),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
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
    let filtered = || {
        let mut select = meeting::Entity::find().filter(meeting::Column::ForumId.eq(forum_id));
        if let Some(to) = query.to {
            select = select.filter(meeting::Column::StartsAt.lt(to));
        }
        if let Some(status) = query.status {
            select = select.filter(meeting::Column::Status.eq(status));
        }
        select
    };
    if let Some(terms) = Terms::from_query(query.q.as_deref())? {
        let page = SearchPage::new(query.limit, query.cursor.as_deref())?;
        let mut rows = filtered();
        if let Some(from) = query.from {
            rows = rows.filter(meeting::Column::StartsAt.gte(from));
        }
        let rows = rows.into_query();
        let page = search::page(
            &state.db,
            rows,
            Corpus::Meetings,
            &terms,
            &page,
            |ids| async {
                let found = filtered()
                    .filter(meeting::Column::Id.is_in(ids))
                    .all(&state.db)
                    .await?;
                let ids: Vec<Uuid> = found.iter().map(|m| m.id).collect();
                let mut summaries = attendance_summaries(&state.db, forum_id, &ids).await?;
                Ok(found
                    .into_iter()
                    .map(|m| {
                        let summary = summaries.remove(&m.id).unwrap_or_default();
                        (m.id, MeetingOut::new(m, summary))
                    })
                    .collect())
            },
        )
        .await?;
        return Ok(Json(page));
    }
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = filtered();
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
         headers(
             ("Location" = String, description = "URL of the new meeting"),
             ("ETag" = String, description = "The meeting's first version"),
         )),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn schedule_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<MeetingIn>,
) -> ApiResult<Created<MeetingOut>> {
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
        series_id: Set(None),
        occurrence_start: Set(None),
        is_exception: Set(false),
    }
    .insert(&txn)
    .await?;
    // A new agenda opens with what the forum must come back to.
    super::matters_arising::assemble(&txn, &created, now).await?;
    events::emit(
        &txn,
        now,
        Event::meeting(Kind::MeetingScheduled, &created, Some(user.id()), None),
    )
    .await?;
    let out = MeetingOut::new(created, Default::default());
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "meeting.scheduled",
            EntityKind::Meeting,
            out.id,
        )
        .forum(forum_id)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/meetings/{}", out.id), out).tagged(version))
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
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_meeting(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<MeetingOut>> {
    let (meeting, _) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    meeting_out(&state, meeting).await
}
