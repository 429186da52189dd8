//! A meeting's agenda: members propose items, officers accept, decline,
//! edit, delete and order them. Once a meeting is held only its secretary
//! may change the agenda; a cancelled meeting's agenda is closed.

mod types;

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};

use entity::{AgendaItemStatus, MeetingStatus, agenda_item, agenda_item_commitment, meeting};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::load_visible;
use crate::access::{ForumAccess, ForumAction};
use crate::audit::{self, AuditEvent};
use crate::auth::AuthUser;
use crate::db::begin_write;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::plans::{linked_commitments, require_own_region};
use crate::state::AppState;
use crate::validation::Validator;
use types::check_fields;
pub use types::{AgendaItemIn, AgendaItemOut, AgendaItemPatch, AgendaOrderIn, AgendaOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_agenda, add_item))
        .routes(routes!(patch_item, delete_item))
        .routes(routes!(order_agenda))
}

const MAX_ITEMS: u64 = 100;

/// Whether the caller may change this meeting's agenda in its present state.
fn require_agenda_open(meeting: &meeting::Model, access: &ForumAccess) -> ApiResult<()> {
    match meeting.status {
        MeetingStatus::Cancelled => Err(ApiError::Conflict(
            "this meeting was cancelled; its agenda is closed".into(),
        )),
        MeetingStatus::Held if !access.allows(ForumAction::EditHeldAgenda) => {
            Err(ApiError::Conflict(
                "this meeting has been held; only its secretary may change the agenda".into(),
            ))
        }
        _ => Ok(()),
    }
}

async fn agenda(conn: &impl ConnectionTrait, meeting: &meeting::Model) -> ApiResult<AgendaOut> {
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting.id))
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .all(conn)
        .await?;
    let rank = |s: AgendaItemStatus| match s {
        AgendaItemStatus::Accepted => 0,
        AgendaItemStatus::Proposed => 1,
        AgendaItemStatus::Declined => 2,
    };
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let mut links = links_of(conn, &ids).await?;
    let mut items: Vec<AgendaItemOut> = items
        .into_iter()
        .map(|i| {
            let linked = links.remove(&i.id).unwrap_or_default();
            AgendaItemOut::with_links(i, linked)
        })
        .collect();
    items.sort_by_key(|i| (rank(i.status), i.position, i.id));
    let total: i64 = items
        .iter()
        .filter(|i| i.status == AgendaItemStatus::Accepted)
        .filter_map(|i| i.minutes_allotted.map(i64::from))
        .sum();
    let length = (meeting.ends_at - meeting.starts_at).num_minutes();
    Ok(AgendaOut {
        items,
        total_minutes_allotted: total,
        meeting_minutes: length,
        minutes_over: Ord::max(total - length, 0),
    })
}

/// The commitments linked to each of some agenda items, in one query.
async fn links_of(
    conn: &impl ConnectionTrait,
    item_ids: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<Uuid>>> {
    linked_commitments::<agenda_item_commitment::Entity>(
        conn,
        agenda_item_commitment::Column::AgendaItemId,
        agenda_item_commitment::Column::CommitmentId,
        item_ids,
    )
    .await
}

async fn replace_links(
    conn: &impl ConnectionTrait,
    item_id: Uuid,
    commitment_ids: &[Uuid],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    agenda_item_commitment::Entity::delete_many()
        .filter(agenda_item_commitment::Column::AgendaItemId.eq(item_id))
        .exec(conn)
        .await?;
    if !commitment_ids.is_empty() {
        agenda_item_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            agenda_item_commitment::ActiveModel {
                agenda_item_id: Set(item_id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

async fn next_position(conn: &impl ConnectionTrait, meeting_id: Uuid) -> ApiResult<i32> {
    let max: Option<Option<i32>> = agenda_item::Entity::find()
        .select_only()
        .column_as(Expr::col(agenda_item::Column::Position).max(), "max")
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// The item and its meeting; 404 unless the caller takes part in the forum.
async fn load_item(
    conn: &impl ConnectionTrait,
    id: Uuid,
    user: &AuthUser,
) -> ApiResult<(agenda_item::Model, meeting::Model, ForumAccess)> {
    let item = agenda_item::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("agenda item"))?;
    let (meeting, access) = load_visible(conn, item.meeting_id, Some(user))
        .await
        .map_err(|err| match err {
            ApiError::NotFound(_) => ApiError::not_found("agenda item"),
            other => other,
        })?;
    Ok((item, meeting, access))
}

/// The meeting's agenda (the forum's participants).
#[utoipa::path(
    get,
    path = "/meetings/{id}/agenda-items",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The agenda", body = AgendaOut),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AgendaOut>> {
    let (meeting, _) = load_visible(&state.db, id, Some(&user)).await?;
    Ok(Json(agenda(&state.db, &meeting).await?))
}

/// Propose an agenda item (members, RPD staff), or add an accepted one (secretary, chair).
#[utoipa::path(
    post,
    path = "/meetings/{id}/agenda-items",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AgendaItemIn,
    responses(
        (status = 201, description = "The item: accepted when an officer adds it, otherwise proposed", body = AgendaItemOut),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "The meeting is cancelled, held, or its agenda is full", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn add_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AgendaItemIn>,
) -> ApiResult<(StatusCode, Json<AgendaItemOut>)> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (meeting, access) = load_visible(&txn, id, Some(&user)).await?;
    access.require(ForumAction::TakePart)?;
    let mut v = Validator::default();
    check_fields(
        &mut v,
        Some(&input.title),
        Some(&input.description),
        input.presenter.as_deref(),
        input.minutes_allotted,
    );
    v.finish()?;
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
    let commitment_ids =
        require_own_region(&txn, &access.forum, &input.commitment_ids, "commitment_ids").await?;
    let accepted = access.allows(ForumAction::RunMeetings);
    let item = agenda_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(id),
        position: Set(if accepted {
            Some(next_position(&txn, id).await?)
        } else {
            None
        }),
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
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    replace_links(&txn, item.id, &commitment_ids, now).await?;
    let out = AgendaItemOut::with_links(item, commitment_ids);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "agenda-item.added", "agenda_item", out.id)
            .forum(meeting.forum_id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Edit, accept or decline an agenda item (secretary, chair, admins).
#[utoipa::path(
    patch,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id")),
    request_body = AgendaItemPatch,
    responses(
        (status = 200, description = "The item as it now is", body = AgendaItemOut),
        (status = 404, description = "No such item, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "Not a move the item can make, or the meeting is closed to changes", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<AgendaItemPatch>,
) -> ApiResult<Json<AgendaItemOut>> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (item, meeting, access) = load_item(&txn, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    check_fields(
        &mut v,
        patch.title.as_deref(),
        patch.description.as_deref(),
        patch.presenter.clone().flatten().as_deref(),
        patch.minutes_allotted.flatten(),
    );
    v.finish()?;
    require_agenda_open(&meeting, &access)?;
    let current_links = links_of(&txn, &[id]).await?.remove(&id).unwrap_or_default();
    let links = match &patch.commitment_ids {
        Some(ids) => require_own_region(&txn, &access.forum, ids, "commitment_ids").await?,
        None => current_links.clone(),
    };
    let before = audit::snapshot(&AgendaItemOut::with_links(item.clone(), current_links))?;
    let current = item.status;
    let mut active = item.into_active_model();
    if let Some(next) = patch.status.filter(|s| *s != current) {
        if !current.can_become(next) {
            return Err(ApiError::Conflict(format!(
                "this item is {}; it cannot become {}",
                current.as_str(),
                next.as_str()
            )));
        }
        active.status = Set(next);
        active.position = Set(if next == AgendaItemStatus::Accepted {
            Some(next_position(&txn, meeting.id).await?)
        } else {
            None
        });
    }
    if let Some(title) = patch.title {
        active.title = Set(title.trim().to_string());
    }
    if let Some(description) = patch.description {
        active.description = Set(description.trim().to_string());
    }
    if let Some(presenter) = patch.presenter {
        active.presenter = Set(presenter.map(|p| p.trim().to_string()));
    }
    if let Some(minutes) = patch.minutes_allotted {
        active.minutes_allotted = Set(minutes);
    }
    active.updated_at = Set(now);
    if patch.commitment_ids.is_some() {
        replace_links(&txn, id, &links, now).await?;
    }
    let out = AgendaItemOut::with_links(active.update(&txn).await?, links);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "agenda-item.updated", "agenda_item", id)
            .forum(meeting.forum_id)
            .changes(audit::diff(&before, &audit::snapshot(&out)?)),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}

/// Remove an agenda item (secretary, chair, admins).
#[utoipa::path(
    delete,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such item, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "The meeting is closed to changes", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn delete_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (item, meeting, access) = load_item(&txn, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    require_agenda_open(&meeting, &access)?;
    let removed = audit::snapshot(&AgendaItemOut::from(item))?;
    agenda_item::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "agenda-item.removed", "agenda_item", id)
            .forum(meeting.forum_id)
            .changes(removed),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Put the accepted items in order (secretary, chair, admins).
///
/// The list must hold every accepted item of the meeting exactly once (422 otherwise).
#[utoipa::path(
    put,
    path = "/meetings/{id}/agenda-order",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = AgendaOrderIn,
    responses(
        (status = 200, description = "The agenda in its new order", body = AgendaOut),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::error::Problem),
        (status = 409, description = "The meeting is closed to changes", body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
async fn order_agenda(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<AgendaOrderIn>,
) -> ApiResult<Json<AgendaOut>> {
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let (meeting, access) = load_visible(&txn, id, Some(&user)).await?;
    access.require(ForumAction::RunMeetings)?;
    require_agenda_open(&meeting, &access)?;
    let mut accepted: Vec<Uuid> = agenda_item::Entity::find()
        .select_only()
        .column(agenda_item::Column::Id)
        .filter(agenda_item::Column::MeetingId.eq(id))
        .filter(agenda_item::Column::Status.eq(AgendaItemStatus::Accepted))
        .into_tuple()
        .all(&txn)
        .await?;
    let mut given = input.item_ids.clone();
    accepted.sort();
    given.sort();
    if accepted != given {
        return Err(ApiError::invalid(
            "item_ids",
            "must list every accepted item of this meeting exactly once",
        ));
    }
    for (index, item_id) in input.item_ids.iter().enumerate() {
        let position = i32::try_from(index + 1).unwrap_or(i32::MAX);
        agenda_item::Entity::update_many()
            .col_expr(agenda_item::Column::Position, Expr::value(position))
            .col_expr(agenda_item::Column::UpdatedAt, Expr::value(now))
            .filter(agenda_item::Column::Id.eq(*item_id))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "agenda.reordered", "meeting", id)
            .forum(meeting.forum_id)
            .changes(json!({"item_ids": input.item_ids})),
    )
    .await?;
    let out = agenda(&txn, &meeting).await?;
    txn.commit().await?;
    Ok(Json(out))
}
