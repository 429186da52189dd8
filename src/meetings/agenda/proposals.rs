//! Reading a meeting's agenda and putting items on it.

use axum::extract::State;
use entity::{AgendaItemStatus, Visibility, agenda_item};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::types::{check_fields, check_visibility};
use super::{
    AgendaItemIn, AgendaItemOut, AgendaOut, MAX_ITEMS, agenda, next_position, replace_links,
    require_agenda_open,
};
use crate::http::extract::{Json, Path};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::meetings::queries::{MeetingLock, lock_meeting};
use crate::plans::require_own_region;

/// The meeting's agenda (the forum's participants). Each item carries its
/// `version`, to send back in `If-Match` when changing it.
#[utoipa::path(
    get,
    path = "/meetings/{id}/agenda-items",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The agenda", body = AgendaOut),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn get_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AgendaOut>> {
    let (meeting, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    Ok(Json(agenda(&state.db, &meeting, &access).await?))
}

/// Propose an agenda item (members, RPD staff), or add an accepted one
/// (secretary, chair), at the end of the agenda.
#[utoipa::path(
    post,
    path = "/meetings/{id}/agenda-items",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AgendaItemIn,
    responses(
        (status = 201, description = "The item: accepted when an officer adds it, otherwise proposed", body = AgendaItemOut,
         headers(
             ("Location" = String, description = "URL of the new item"),
             ("ETag" = String, description = "The item's first version"),
         )),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting is cancelled, held, or its agenda is full", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn add_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AgendaItemIn>,
) -> ApiResult<Created<AgendaItemOut>> {
    let (_, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    access.require(ForumAction::TakePart)?;
    let mut v = Validator::default();
    check_fields(
        &mut v,
        Some(&input.title),
        Some(&input.description),
        input.presenter.as_deref(),
        input.minutes_allotted,
    );
    let visibility = input.visibility.unwrap_or(Visibility::Public);
    let visibility_reason =
        check_visibility(&mut v, visibility, input.visibility_reason.as_deref());
    v.finish()?;
    let commitment_ids = require_own_region(
        &state.db,
        &access.forum,
        &input.commitment_ids,
        "commitment_ids",
    )
    .await?;
    let accepted = access.allows(ForumAction::RunMeetings);
    let now = state.clock.now();

    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    let count = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(id))
        .count(&txn)
        .await?;
    if count >= MAX_ITEMS {
        return Err(ApiError::Conflict(format!(
            "an agenda holds at most {MAX_ITEMS} items"
        )));
    }
    let position = if accepted {
        Some(next_position(&txn, id).await?)
    } else {
        None
    };
    let item = agenda_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(id),
        position: Set(position),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        presenter: Set(input.presenter.map(|p| p.trim().to_string())),
        minutes_allotted: Set(input.minutes_allotted),
        status: Set(if accepted {
            AgendaItemStatus::Accepted
        } else {
            AgendaItemStatus::Proposed
        }),
        proposed_by: Set(Some(user.id())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        carried_over: Set(false),
        outcome: Set(None),
        votes_for: Set(None),
        votes_against: Set(None),
        votes_abstain: Set(None),
        outcome_at: Set(None),
        visibility: Set(visibility),
        visibility_reason: Set(visibility_reason),
    }
    .insert(&txn)
    .await?;
    replace_links(&txn, item.id, &commitment_ids, now).await?;
    if item.status == AgendaItemStatus::Proposed {
        let event = Event::agenda_item(Kind::AgendaItemProposed, &meeting, &item, Some(user.id()));
        events::emit(&txn, now, event).await?;
    }
    let out = AgendaItemOut::with_links(item, commitment_ids);
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "agenda-item.added",
            EntityKind::AgendaItem,
            out.id,
        )
        .forum(meeting.forum_id)
        .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(format!("/api/v1/agenda-items/{}", out.id), out).tagged(version))
}
