//! Outcomes: once a meeting is held, its officers record what it decided
//! or noted on each item, and the votes of the member organisations present.

use entity::{AgendaItemStatus, Attendance, MeetingStatus, agenda_item, meeting_attendance};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::queries::{links_of, load_item, proposer_name};
use super::types::{AgendaItemOut, OutcomeIn, OutcomeOut, outcome_of};
use crate::actions::{ActionIn, ActionOut};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::queries::{MeetingLock, lock_meeting};

/// How many organisations were represented at the meeting (people who
/// attended, counted once per organisation).
async fn organisations_represented(
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

/// Records an item's outcome (the forum's officers, once the meeting is
/// held): the decision or note, and optionally the votes of the member
/// organisations present (together no more than were represented, 422
/// otherwise). Only for an item on the agenda of a held meeting (409
/// otherwise); a stale `if_match` is 412.
pub async fn record_outcome(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: OutcomeIn,
    if_match: &IfMatch,
) -> ApiResult<AgendaItemOut> {
    let (item, meeting, access) = load_item(&state.db, id, caller).await?;
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
        versioning::save::<agenda_item::Entity>(&txn, &item, changes, if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        AuditEvent::by(
            caller.id(),
            "agenda-item.outcome-recorded",
            EntityKind::AgendaItem,
            id,
        )
        .forum(meeting.forum_id)
        .changes(json!({"votes": input.votes}))
        .record(&txn, now)
        .await?;
    }
    txn.commit().await?;
    let links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let name = proposer_name(&state.db, &saved).await?;
    Ok(AgendaItemOut::with_links(saved, links, name))
}

/// Records an action agreed on an agenda item (the forum's officers, once
/// the meeting is held): the rules of any action of the forum, and it
/// belongs to the item's meeting and names the item, and has an owner
/// (an organisation or a person; 422 otherwise). 409 before the
/// meeting is held, or for an item not on its agenda.
pub async fn agree_action(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut input: ActionIn,
) -> ApiResult<ActionOut> {
    let (item, meeting, access) = load_item(&state.db, id, caller).await?;
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
    // The meeting agreed someone would do it: an action nobody owns would
    // be agreed by no one.
    if input.owner_organisation_id.is_none() && input.owner_user_id.is_none() {
        return Err(ApiError::invalid(
            "owner_organisation_id",
            "is required: an action agreed at a meeting needs an owner (an organisation or a person)",
        ));
    }
    input.meeting_id = Some(meeting.id);
    crate::actions::record(state, caller, &access, input, Some(id)).await
}
