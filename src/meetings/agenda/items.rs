//! One agenda item: reading it, editing, accepting or declining it, removing it.

use axum::extract::State;
use axum::http::StatusCode;
use entity::{AgendaItemStatus, MeetingStatus, agenda_item};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use super::types::{check_fields, check_visibility};
use super::{
    AgendaItemOut, AgendaItemPatch, links_of, load_item, next_position, replace_links,
    require_agenda_open,
};
use crate::http::extract::{Json, Path};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch, Saved};
use crate::meetings::queries::{MeetingLock, lock_meeting};
use crate::plans::require_own_region;

fn tagged(out: AgendaItemOut) -> Tagged<AgendaItemOut> {
    Tagged::new(out.version, out)
}

/// One agenda item (the forum's participants; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id")),
    responses(
        (status = 200, description = "The item", body = AgendaItemOut,
         headers(("ETag" = String, description = "The item's version"))),
        (status = 404, description = "No such item, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn get_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<AgendaItemOut>> {
    let (item, _, access) = load_item(&state.db, id, &user).await?;
    let links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let readable = access.may_read(item.visibility);
    Ok(tagged(AgendaItemOut::as_read(item, links, readable)))
}

/// Edit, accept or decline an agenda item (secretary, chair, admins).
///
/// `status` moves a proposal to `accepted` (placed at the end of the agenda)
/// or `declined`; any other move is 409. With `If-Match`, a change to a
/// version other than the one sent is refused (412); without it, the loser
/// of two concurrent changes gets 409 naming the state it found. A PATCH that
/// changes nothing leaves the version as it is.
#[utoipa::path(
    patch,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id"), IfMatch),
    request_body = AgendaItemPatch,
    responses(
        (status = 200, description = "The item as it now is", body = AgendaItemOut,
         headers(("ETag" = String, description = "The item's version now"))),
        (status = 404, description = "No such item, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Not a move the item can make, the meeting is closed to changes, or the item changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn patch_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<AgendaItemPatch>,
) -> ApiResult<Tagged<AgendaItemOut>> {
    let (item, meeting, access) = load_item(&state.db, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    check_fields(
        &mut v,
        patch.title.as_deref(),
        patch.description.as_deref(),
        patch.presenter.clone().flatten().as_deref(),
        patch.minutes_allotted.flatten(),
    );
    let visibility = patch.visibility.unwrap_or(item.visibility);
    let visibility_reason = check_visibility(
        &mut v,
        visibility,
        match &patch.visibility_reason {
            Some(reason) => reason.as_deref(),
            None => item.visibility_reason.as_deref(),
        },
    );
    v.finish()?;
    if_match.check(item.version)?;
    let current_links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let links = match &patch.commitment_ids {
        Some(ids) => require_own_region(&state.db, &access.forum, ids, "commitment_ids").await?,
        None => current_links.clone(),
    };
    let to = patch.status.filter(|s| *s != item.status);
    if let Some(to) = to
        && !item.status.can_become(to)
    {
        return Err(ApiError::transition(
            "agenda item",
            item.status.as_str(),
            to.as_str(),
        ));
    }
    let mut changes = item.clone().into_active_model();
    if let Some(title) = patch.title {
        changes.title.set_ne(title.trim().to_string());
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description.trim().to_string());
    }
    if let Some(presenter) = patch.presenter {
        changes
            .presenter
            .set_ne(presenter.map(|p| p.trim().to_string()));
    }
    if let Some(minutes) = patch.minutes_allotted {
        changes.minutes_allotted.set_ne(minutes);
    }
    changes.visibility.set_ne(visibility);
    changes.visibility_reason.set_ne(visibility_reason);
    if let Some(carried) = patch.carried_over.filter(|c| *c != item.carried_over) {
        if meeting.status != MeetingStatus::Held || item.status != AgendaItemStatus::Accepted {
            return Err(ApiError::Conflict(
                "only an item on the agenda of a meeting that has been held can be carried over"
                    .into(),
            ));
        }
        changes.carried_over = Set(carried);
    }
    let links_change = links != current_links;
    let now = state.clock.now();

    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    if let Some(to) = to {
        changes.status = Set(to);
        changes.position = Set(match to {
            AgendaItemStatus::Accepted => Some(next_position(&txn, meeting.id).await?),
            _ => None,
        });
    }
    // A change of links alone changes the item as the API shows it, so it
    // raises the version too.
    let saved = if links_change && !sea_orm::ActiveModelTrait::is_changed(&changes) {
        Saved::Changed(versioning::touch::<agenda_item::Entity>(&txn, &item, &if_match, now).await?)
    } else {
        versioning::save::<agenda_item::Entity>(&txn, &item, changes, &if_match, now).await?
    };
    if links_change {
        replace_links(&txn, id, &links, now).await?;
    }
    let changed = saved.changed();
    let saved = saved.into_inner();
    if item.status == AgendaItemStatus::Proposed && saved.status != AgendaItemStatus::Proposed {
        let event = Event::agenda_item(Kind::AgendaItemDecided, &meeting, &saved, Some(user.id()));
        events::emit(&txn, now, event).await?;
    }
    let out = AgendaItemOut::with_links(saved, links);
    if changed {
        let before = audit::snapshot(&AgendaItemOut::with_links(item, current_links))?;
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(user.id()),
                "agenda-item.updated",
                EntityKind::AgendaItem,
                id,
            )
            .forum(meeting.forum_id)
            .changes(audit::diff(&before, &audit::snapshot(&out)?)),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(tagged(out))
}

/// Remove an agenda item (secretary, chair, admins).
///
/// With `If-Match`, an item changed since the version sent is not removed (412).
#[utoipa::path(
    delete,
    path = "/agenda-items/{id}",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id"), IfMatch),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such item, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting is closed to changes, or the item changed meanwhile", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn delete_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<StatusCode> {
    let (item, meeting, access) = load_item(&state.db, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    if_match.check(item.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Exclusive).await?;
    require_agenda_open(&meeting, &access)?;
    // Only the version this request read (and checked against If-Match) is removed.
    let removed = agenda_item::Entity::delete_many()
        .filter(agenda_item::Column::Id.eq(id))
        .filter(agenda_item::Column::Version.eq(item.version))
        .exec(&txn)
        .await?;
    if removed.rows_affected == 0 {
        let now_there = agenda_item::Entity::find_by_id(id).one(&txn).await?;
        return Err(match now_there {
            None => ApiError::not_found("agenda item"),
            Some(found) if if_match.sent() => ApiError::PreconditionFailed(format!(
                "the item has changed since you read it; it is now at ETag \"{}\"",
                found.version
            )),
            Some(_) => ApiError::Conflict(
                "this agenda item was changed by someone else while your request was being \
                 made; read it again and retry"
                    .into(),
            ),
        });
    }
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "agenda-item.removed",
            EntityKind::AgendaItem,
            id,
        )
        .forum(meeting.forum_id)
        .changes(audit::snapshot(&AgendaItemOut::from(item))?),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
