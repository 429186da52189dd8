//! Outcomes: once a meeting is held, its officers record what it decided
//! or noted on each item, the votes of the member organisations present,
//! whether the item is carried over to the next meeting, and the actions
//! agreed on it — in one save, written together or not at all.

use chrono::{DateTime, Utc};
use entity::{AgendaItemStatus, Attendance, agenda_item, meeting, meeting_attendance};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::agreed::{OUTCOMES_ONCE_HELD, check_agreed, require_held};
use super::queries::{links_of, load_item, proposer_name, require_agenda_open, require_carriable};
use super::types::{
    AgendaItemOut, Decision, ItemRecord, MAX_AGREED_ACTIONS, OutcomeOut, RecordedOutcome,
    outcome_of,
};
use crate::actions;
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

/// A decision's rules: its text, and votes that are not negative and, read
/// under the meeting's lock (attendance cannot change meanwhile), no more
/// than the member organisations represented.
async fn check_decision(
    conn: &impl ConnectionTrait,
    v: &mut Validator,
    meeting_id: Uuid,
    decision: &Decision,
) -> ApiResult<()> {
    v.rule::<limits::OutcomeText>(&decision.decision, "decision");
    let Some(votes) = decision.votes else {
        return Ok(());
    };
    if votes.r#for < 0 || votes.against < 0 || votes.abstain < 0 {
        v.check(false, "votes", "must not be negative");
        return Ok(());
    }
    let present = organisations_represented(conn, meeting_id).await?;
    let cast = i64::from(votes.r#for) + i64::from(votes.against) + i64::from(votes.abstain);
    v.check(
        cast <= present,
        "votes",
        &format!("{cast} votes, but {present} member organisations were represented"),
    );
    Ok(())
}

/// What one save changes on the item itself.
struct ItemChange<'a> {
    decision: Option<&'a Decision>,
    /// Only when it differs from the item's.
    carried_over: Option<bool>,
    /// Whether actions are agreed with it.
    with_actions: bool,
}

/// Writes the item's part of a save — its outcome and its carrying over —
/// in one write conditional on the version read (412 when `if_match` is
/// stale, or the item changed since it was read), with the audit entry of
/// each part that changed.
async fn save_item(
    txn: &DatabaseTransaction,
    caller: &AuthUser,
    (item, meeting): (&agenda_item::Model, &meeting::Model),
    change: ItemChange<'_>,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<agenda_item::Model> {
    let mut changes: agenda_item::ActiveModel = item.clone().into();
    if let Some(decision) = change.decision {
        let votes = decision.votes;
        changes
            .outcome
            .set_ne(Some(decision.decision.trim().to_string()));
        changes.votes_for.set_ne(votes.map(|v| v.r#for));
        changes.votes_against.set_ne(votes.map(|v| v.against));
        changes.votes_abstain.set_ne(votes.map(|v| v.abstain));
    }
    let outcome_changed = changes.is_changed();
    if outcome_changed {
        changes.outcome_at = Set(Some(now));
    }
    if let Some(carried) = change.carried_over {
        changes.carried_over = Set(carried);
    }
    // Actions agreed on an item otherwise unchanged still raise its
    // version: of two saves made from one reading (a form sent twice),
    // only one adds its actions.
    let saved = if !changes.is_changed() && change.with_actions {
        versioning::touch::<agenda_item::Entity>(txn, item, if_match, now).await?
    } else {
        versioning::save::<agenda_item::Entity>(txn, item, changes, if_match, now)
            .await?
            .into_inner()
    };
    let audit = |action| {
        AuditEvent::by(caller.id(), action, EntityKind::AgendaItem, item.id).forum(meeting.forum_id)
    };
    if outcome_changed {
        let votes = change.decision.and_then(|d| d.votes);
        audit("agenda-item.outcome-recorded")
            .changes(json!({"votes": votes}))
            .record(txn, now)
            .await?;
    }
    if let Some(carried) = change.carried_over {
        audit("agenda-item.updated")
            .changes(json!({"carried_over": {"from": item.carried_over, "to": carried}}))
            .record(txn, now)
            .await?;
    }
    Ok(saved)
}

/// Records what a held meeting made of an item (the forum's officers), in
/// one transaction: its decision and the votes of the member organisations
/// present (together no more than were represented), whether it is carried
/// over (a change to a held meeting's agenda, the secretary's: 409 for
/// anyone else), and the actions agreed on it (the rules of
/// [`super::agreed::agree_action`]). Every refused field of them all is
/// named in one 422, and then nothing is written. Only for an item on the
/// agenda of a held meeting (409 otherwise). The item's write is conditional on the version
/// read: a stale `if_match` is 412, and of two saves at once the loser
/// writes nothing, its actions neither.
pub async fn record_outcome(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    record: ItemRecord,
    if_match: &IfMatch,
) -> ApiResult<RecordedOutcome> {
    let (item, meeting, access) = load_item(&state.db, id, caller).await?;
    access.require(ForumAction::RunMeetings)?;
    if record.actions.len() > MAX_AGREED_ACTIONS {
        return Err(ApiError::invalid(
            "actions",
            format!("at most {MAX_AGREED_ACTIONS} actions in one save"),
        ));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // The meeting's state and its attendance (the votes' bound) hold until
    // this commits.
    let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
    require_held(&meeting, &item, OUTCOMES_ONCE_HELD)?;
    let carried_over = record.carried_over.filter(|c| *c != item.carried_over);
    if carried_over.is_some() {
        require_carriable(&meeting, &item)?;
        require_agenda_open(&meeting, &access)?;
    }
    let mut v = Validator::default();
    if let Some(decision) = &record.decision {
        check_decision(&txn, &mut v, meeting.id, decision).await?;
    }
    let mut agreed = Vec::with_capacity(record.actions.len());
    for (i, mut action) in record.actions.into_iter().enumerate() {
        let prefix = format!("actions[{i}].");
        let commitment_ids =
            check_agreed(&txn, &mut v, &access.forum, &meeting, &mut action, &prefix).await?;
        agreed.push((action, commitment_ids));
    }
    v.finish()?;
    let change = ItemChange {
        decision: record.decision.as_ref(),
        carried_over,
        with_actions: !agreed.is_empty(),
    };
    let saved = save_item(&txn, caller, (&item, &meeting), change, if_match, now).await?;
    let mut made = Vec::with_capacity(agreed.len());
    for (action, commitment_ids) in agreed {
        let forum_id = meeting.forum_id;
        let out = actions::insert(
            &txn,
            caller,
            forum_id,
            action,
            &commitment_ids,
            Some(id),
            now,
        )
        .await?;
        made.push(out);
    }
    txn.commit().await?;
    let links = links_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let name = proposer_name(&state.db, &saved).await?;
    Ok(RecordedOutcome {
        item: AgendaItemOut::with_links(saved, links, name),
        actions: made,
    })
}
