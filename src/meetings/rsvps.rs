//! RSVPs: yes / no / maybe, until the meeting starts, and never to a
//! cancelled one.

use std::collections::HashMap;

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{MeetingStatus, RsvpResponse, meeting, meeting_rsvp, user};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{MeetingLock, lock_meeting};
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::PageRequest;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rsvp))
        .routes(routes!(list_rsvps))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpIn {
    pub response: RsvpResponse,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RsvpOut {
    pub meeting_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub organisation_id: Option<Uuid>,
    pub response: RsvpResponse,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RsvpCounts {
    pub yes: u64,
    pub no: u64,
    pub maybe: u64,
}

/// The answers so far: counts, and a page of who said what.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RsvpList {
    pub counts: RsvpCounts,
    pub items: Vec<RsvpOut>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RsvpQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn open_for_answers(meeting: &meeting::Model, now: DateTime<Utc>) -> ApiResult<()> {
    if meeting.status != MeetingStatus::Scheduled {
        return Err(ApiError::Conflict(format!(
            "this meeting is {}; RSVPs are closed",
            meeting.status.as_str()
        )));
    }
    if now >= meeting.starts_at {
        return Err(ApiError::Conflict(
            "this meeting has started; RSVPs are closed".into(),
        ));
    }
    Ok(())
}

/// Say whether you will come (members, officers and RPD staff; until the
/// meeting starts, and not to a cancelled meeting: 409).
#[utoipa::path(
    put,
    path = "/meetings/{id}/rsvp",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = RsvpIn,
    responses(
        (status = 200, description = "Your answer", body = RsvpOut),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting has started or is cancelled", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn rsvp(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<RsvpIn>,
) -> ApiResult<Json<RsvpOut>> {
    let (_, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    access.require(ForumAction::TakePart)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Decided on the meeting as committed now and share-locked until this
    // answer is: a cancellation or a move committed first is seen here (409),
    // and one being made waits until this answer is in, so no answer is ever
    // recorded for a meeting that was already cancelled or had started.
    let meeting = lock_meeting(&txn, id, MeetingLock::Share).await?;
    open_for_answers(&meeting, now)?;
    meeting_rsvp::Entity::insert(meeting_rsvp::ActiveModel {
        meeting_id: Set(id),
        user_id: Set(user.id()),
        response: Set(input.response),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            meeting_rsvp::Column::MeetingId,
            meeting_rsvp::Column::UserId,
        ])
        .update_columns([
            meeting_rsvp::Column::Response,
            meeting_rsvp::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "meeting.rsvp", EntityKind::Meeting, id)
            .forum(meeting.forum_id)
            .changes(json!({"response": input.response})),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(RsvpOut {
        meeting_id: id,
        user_id: user.id(),
        display_name: user.user.display_name,
        organisation_id: user.user.organisation_id,
        response: input.response,
        updated_at: now,
    }))
}

/// Who has answered, and how (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/rsvps",
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id"), RsvpQuery),
    responses(
        (status = 200, description = "Counts and a page of answers", body = RsvpList),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_rsvps(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<RsvpQuery>,
) -> ApiResult<Json<RsvpList>> {
    crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
        .await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let grouped: Vec<(RsvpResponse, i64)> = meeting_rsvp::Entity::find()
        .select_only()
        .column(meeting_rsvp::Column::Response)
        .column_as(Expr::col(meeting_rsvp::Column::UserId).count(), "n")
        .filter(meeting_rsvp::Column::MeetingId.eq(id))
        .group_by(meeting_rsvp::Column::Response)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut counts = RsvpCounts::default();
    for (response, n) in grouped {
        let n = u64::try_from(n).unwrap_or(0);
        match response {
            RsvpResponse::Yes => counts.yes = n,
            RsvpResponse::No => counts.no = n,
            RsvpResponse::Maybe => counts.maybe = n,
        }
    }
    let mut select = meeting_rsvp::Entity::find().filter(meeting_rsvp::Column::MeetingId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(meeting_rsvp::Column::UserId.gt(after));
    }
    let rows = select
        .order_by_asc(meeting_rsvp::Column::UserId)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let people = people(&state, rows.iter().map(|r| r.user_id)).await?;
    let page = page.finish(
        rows,
        |r| r.user_id,
        |r| {
            let person = people.get(&r.user_id);
            RsvpOut {
                meeting_id: r.meeting_id,
                user_id: r.user_id,
                display_name: person.map(|p| p.display_name.clone()).unwrap_or_default(),
                organisation_id: person.and_then(|p| p.organisation_id),
                response: r.response,
                updated_at: r.updated_at,
            }
        },
    );
    Ok(Json(RsvpList {
        counts,
        items: page.items,
        next_cursor: page.next_cursor,
    }))
}

async fn people(
    state: &AppState,
    ids: impl Iterator<Item = Uuid>,
) -> ApiResult<HashMap<Uuid, user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.collect::<Vec<_>>()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect())
}
