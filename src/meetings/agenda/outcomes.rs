//! Outcomes: once a meeting is held, its officers record what it decided
//! or noted on each item, and the votes of the member organisations present.

use axum::extract::State;
use entity::{AgendaItemStatus, Attendance, MeetingStatus, agenda_item, meeting_attendance};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::types::{AgendaItemOut, OutcomeIn, OutcomeOut, outcome_of};
use super::{links_of, load_item};
use crate::actions::{ActionIn, ActionOut};
use crate::http::extract::{Json, Path};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::queries::{MeetingLock, lock_meeting};

/// How many organisations were represented at the meeting (people who
/// attended, counted once per organisation).
pub async fn organisations_represented(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<i64, DbErr> {
    let organisations: Vec<Option<Uuid>> = meeting_attendance::Entity::find()
        .select_only()
        .column(meeting_attendance::Column::OrganisationId)
        .distinct()
        .filter(meeting_attendance::Column::MeetingId.eq(meeting_id))
        .filter(meeting_attendance::Column::Attendance.eq(Attendance::Attended))
        .filter(meeting_attendance::Column::OrganisationId.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    Ok(i64::try_from(organisations.len()).unwrap_or(i64::MAX))
}

/// A held meeting's agenda: each item on it in order, with its outcome.
pub async fn held_agenda(
    conn: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<Vec<(agenda_item::Model, Option<OutcomeOut>)>, DbErr> {
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::Status.eq(AgendaItemStatus::Accepted))
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .all(conn)
        .await?;
    Ok(items
        .into_iter()
        .map(|i| {
            let outcome = outcome_of(&i);
            (i, outcome)
        })
        .collect())
}

/// Record an item's outcome (the forum's officers, once the meeting is held).
///
/// The decision or note, and optionally the votes of the member
/// organisations present (together no more than were represented, 422
/// otherwise). Only for an item on the agenda of a held meeting (409
/// otherwise). With `If-Match`, refused (412) if the item changed since.
#[utoipa::path(
    put,
    path = "/agenda-items/{id}/outcome",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id"), IfMatch),
    request_body = OutcomeIn,
    responses(
        (status = 200, description = "The item with its outcome", body = AgendaItemOut,
         headers(("ETag" = String, description = "The item's version now"))),
        (status = 403, description = "Only the forum's officers", body = crate::http::problem::Problem),
        (status = 404, description = "No such item, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting is not held, or the item is not on its agenda", body = crate::http::problem::Problem),
        (status = 412, description = "The item has changed since the ETag sent", body = crate::http::problem::Problem),
        (status = 422, description = "No decision, or more votes than organisations present", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn put_outcome(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<OutcomeIn>,
) -> ApiResult<Tagged<AgendaItemOut>> {
    let (item, meeting, access) = load_item(&state.db, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    let mut v = Validator::default();
    v.rule::<limits::OutcomeText>(&input.decision, "decision");
    if let Some(votes) = input.votes {
        v.check(
            votes.r#for >= 0 && votes.against >= 0 && votes.abstain >= 0,
            "votes",
            "must not be negative",
        );
    }
    v.finish()?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
    if meeting.status != MeetingStatus::Held || item.status != AgendaItemStatus::Accepted {
        return Err(ApiError::Conflict(
            "outcomes are recorded for items on the agenda of a meeting that has been held".into(),
        ));
    }
    if let Some(votes) = input.votes {
        let present = organisations_represented(&txn, meeting.id).await?;
        let cast = i64::from(votes.r#for) + i64::from(votes.against) + i64::from(votes.abstain);
        if cast > present {
            return Err(ApiError::invalid(
                "votes",
                format!("{cast} votes, but {present} member organisations were represented"),
            ));
        }
    }
    let mut changes: agenda_item::ActiveModel = item.clone().into();
    changes
        .outcome
        .set_ne(Some(input.decision.trim().to_string()));
    changes.votes_for.set_ne(input.votes.map(|v| v.r#for));
    changes.votes_against.set_ne(input.votes.map(|v| v.against));
    changes.votes_abstain.set_ne(input.votes.map(|v| v.abstain));
    if sea_orm::ActiveModelTrait::is_changed(&changes) {
        changes.outcome_at = Set(Some(now));
    }
    let saved =
        versioning::save::<agenda_item::Entity>(&txn, &item, changes, &if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(user.id()),
                "agenda-item.outcome-recorded",
                EntityKind::AgendaItem,
                id,
            )
            .forum(meeting.forum_id)
            .changes(json!({"votes": input.votes})),
        )
        .await?;
    }
    txn.commit().await?;
    let links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(Tagged::new(
        saved.version,
        AgendaItemOut::with_links(saved, links),
    ))
}

/// Create an action agreed on an agenda item (the forum's officers, once
/// the meeting is held).
///
/// The same body and rules as `POST /forums/{id}/actions` (owners and
/// meeting of this forum, commitments of its region's plans: 422
/// otherwise); it belongs to the item's meeting and names the item. 409
/// before the meeting is held, or for an item not on its agenda.
#[utoipa::path(
    post,
    path = "/agenda-items/{id}/actions",
    tag = "agenda",
    params(("id" = Uuid, Path, description = "Agenda item id")),
    request_body = ActionIn,
    responses(
        (status = 201, description = "The action", body = ActionOut,
         headers(("Location" = String, description = "The action's URL"),
                 ("ETag" = String, description = "The action's version"))),
        (status = 403, description = "Only the forum's officers", body = crate::http::problem::Problem),
        (status = 404, description = "No such item, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The meeting is not held, or the item is not on its agenda", body = crate::http::problem::Problem),
        (status = 422, description = "A bad field, or a link to another forum's or region's records", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn create_action_from_item(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(mut input): Json<ActionIn>,
) -> ApiResult<Created<ActionOut>> {
    let (item, meeting, access) = load_item(&state.db, id, &user).await?;
    access.require(ForumAction::RunMeetings)?;
    if meeting.status != MeetingStatus::Held || item.status != AgendaItemStatus::Accepted {
        return Err(ApiError::Conflict(
            "actions are agreed on items of the agenda of a meeting that has been held".into(),
        ));
    }
    if input.meeting_id.is_some_and(|m| m != meeting.id) {
        return Err(ApiError::invalid(
            "meeting_id",
            "must be the item's meeting, or left out",
        ));
    }
    input.meeting_id = Some(meeting.id);
    let out = crate::actions::record(&state, &user, &access, input, Some(id)).await?;
    Ok(Created::at(format!("/api/v1/actions/{}", out.id), out.clone()).tagged(out.version))
}
