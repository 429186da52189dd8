//! Changing a poll: anything but its kind before it opens; once open, only
//! putting its closing later or cancelling it; nothing once it has closed
//! or been cancelled.

use chrono::{DateTime, Utc};
use entity::{PollStatus, poll, poll_option};
use sea_orm::sea_query::LockType;
use sea_orm::{ActiveModelTrait, ActiveValue, ConnectionTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::queries::{
    hold_consultation, is_forums_agenda_item, is_forums_consultation, lock_poll, options_of_one,
    replace_options,
};
use super::read::author_name;
use super::rules::{check_links, check_max_choices, check_options, check_texts, check_window};
use super::types::{PollOut, PollPatch};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Changes or cancels a poll (officers), with the version read in
/// `If-Match` (428 without it, 412 when stale). Before it opens, anything
/// but its kind may change; once open, only a later `closes_at`, or its
/// cancellation; once closed or cancelled, nothing (409). A change that
/// changes nothing leaves the version as it is.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: PollPatch,
    if_match: &IfMatch,
) -> ApiResult<PollOut> {
    let (read, access) = access::load_visible::<poll::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::RunPolls)?;
    let read_at = state.clock.now();
    // Closing and cancelling are final, so refusing on what was read is safe.
    require_changeable(&read, read_at)?;
    let read_options = options_of_one(&state.db, id).await?;
    let labels = validate(&state.db, &read, read_options.len(), &patch, read_at).await?;
    if_match.require(read.version)?;

    let txn = begin_write(&state.db).await?;
    // Locked alone until this commits: the votes being cast finish first and
    // none starts meanwhile, and the clock is read once the lock is held, so
    // this edit and every vote agree on whether the poll is open. If-Match
    // is then checked against the poll as locked (412 if it moved on).
    let poll = lock_poll(&txn, id, LockType::NoKeyUpdate).await?;
    if_match.check(poll.version)?;
    let now = state.clock.now();
    let options = options_of_one(&txn, id).await?;
    let (changes, labels) = changes(&poll, &options, patch, labels, now)?;
    let name = author_name(&txn, &poll).await?;
    if let ActiveValue::Set(Some(consultation)) = changes.consultation_id {
        hold_consultation(&txn, consultation, Some(id), now).await?;
    }
    let saved = if changes.is_changed() {
        versioning::save::<poll::Entity>(&txn, &poll, changes, if_match, now)
            .await?
            .into_inner()
    } else if labels.is_some() {
        versioning::touch::<poll::Entity>(&txn, &poll, if_match, now).await?
    } else {
        txn.commit().await?;
        return Ok(PollOut::new(poll, options, now, name));
    };
    let options_now = match &labels {
        Some(labels) => replace_options(&txn, id, labels).await?,
        None => options.clone(),
    };
    let before = audit::snapshot(&PollOut::new(poll, options, now, name.clone()))?;
    let out = PollOut::new(saved, options_now, now, name);
    let action = if out.status == PollStatus::Cancelled {
        "poll.cancelled"
    } else {
        "poll.updated"
    };
    AuditEvent::by(caller.id(), action, EntityKind::Poll, id)
        .forum(out.forum_id)
        .changes(audit::diff(&before, &audit::snapshot(&out)?))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}

/// Where the poll stands at `now`, unless it has closed or was cancelled:
/// no move is left to it then, and nothing of it changes (409).
fn require_changeable(poll: &poll::Model, now: DateTime<Utc>) -> ApiResult<PollStatus> {
    let status = poll.status_at(now);
    if status.is_final() {
        return Err(ApiError::Conflict(format!(
            "this poll is {}; it can no longer be changed",
            status.as_str()
        )));
    }
    Ok(status)
}

/// When the poll opens after the change: a time already past means now,
/// unless it is the time the poll already has (sent back unchanged).
fn opening(poll: &poll::Model, given: Option<DateTime<Utc>>, now: DateTime<Utc>) -> DateTime<Utc> {
    match given {
        Some(at) if at != poll.opens_at => at.max(now),
        _ => poll.opens_at,
    }
}

/// Every field of the request, and how they fit the poll (422 naming each
/// that does not). Gives the new options' labels, if the request has them.
async fn validate(
    conn: &impl ConnectionTrait,
    poll: &poll::Model,
    option_count: usize,
    patch: &PollPatch,
    now: DateTime<Utc>,
) -> ApiResult<Option<Vec<String>>> {
    let mut v = Validator::default();
    check_texts(
        &mut v,
        patch.question.as_deref(),
        patch.description.as_deref(),
    );
    if let Some(kind) = patch.kind {
        v.check(
            kind == poll.kind,
            "kind",
            "a poll's kind cannot change; put a new poll instead",
        );
    }
    let labels = patch
        .options
        .as_deref()
        .map(|given| check_options(&mut v, poll.kind, Some(given)));
    if patch.max_choices.is_some() || labels.is_some() {
        let count = labels.as_ref().map_or(option_count, Vec::len);
        let max = patch.max_choices.unwrap_or(poll.max_choices);
        check_max_choices(&mut v, poll.kind, max, count);
    }
    if patch.opens_at.is_some() || patch.closes_at.is_some() {
        let closes_at = patch.closes_at.unwrap_or(poll.closes_at);
        check_window(&mut v, opening(poll, patch.opens_at, now), closes_at, now);
    }
    if patch.agenda_item_id.is_some() || patch.consultation_id.is_some() {
        check_links(
            &mut v,
            poll.kind,
            patch.agenda_item_id.unwrap_or(poll.agenda_item_id),
            patch.consultation_id.unwrap_or(poll.consultation_id),
        );
    }
    if let Some(Some(item)) = patch.agenda_item_id {
        v.check(
            is_forums_agenda_item(conn, poll.forum_id, item).await?,
            "agenda_item_id",
            "is not an agenda item of a meeting of this forum",
        );
    }
    if let Some(Some(consultation)) = patch.consultation_id {
        v.check(
            is_forums_consultation(conn, poll.forum_id, consultation).await?,
            "consultation_id",
            "is not a consultation of this forum",
        );
    }
    let cancelling = patch.status == Some(PollStatus::Cancelled);
    v.check(
        patch.status.is_none() || cancelling,
        "status",
        "only \"cancelled\" can be set; a poll's other statuses follow from opens_at and closes_at",
    );
    match &patch.cancel_reason {
        Some(reason) if cancelling => {
            v.rule::<limits::PollCancelReason>(reason, "cancel_reason");
        }
        Some(_) => {
            v.check(
                false,
                "cancel_reason",
                "only a cancelled poll has a reason; send it with \"status\": \"cancelled\"",
            );
        }
        None => {
            v.check(!cancelling, "cancel_reason", "is required to cancel a poll");
        }
    }
    v.finish()?;
    Ok(labels)
}

/// The columns the request changes, and the new options (if they differ
/// from the poll's), once the poll's state allows them (409 otherwise).
/// Values equal to the stored ones are not changes.
fn changes(
    poll: &poll::Model,
    options: &[poll_option::Model],
    patch: PollPatch,
    labels: Option<Vec<String>>,
    now: DateTime<Utc>,
) -> ApiResult<(poll::ActiveModel, Option<Vec<String>>)> {
    let status = require_changeable(poll, now)?;
    let mut changes = poll.clone().into_active_model();
    let labels = labels.filter(|labels| {
        let current: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
        current != *labels
    });
    changes.opens_at.set_ne(opening(poll, patch.opens_at, now));
    if let Some(to) = patch.status {
        if !status.can_become(to) {
            return Err(ApiError::transition("poll", status.as_str(), to.as_str()));
        }
        changes.cancelled_at = Set(Some(now));
        changes.cancel_reason = Set(patch.cancel_reason.as_ref().map(|r| r.trim().to_string()));
    }
    patch.apply(&mut changes);
    if status == PollStatus::Open {
        only_extended_or_cancelled(poll, &changes, labels.is_some())?;
    }
    Ok((changes, labels))
}

/// What an open poll may take: its voters have seen its question and
/// options and may have voted, so only a later closing or a cancellation.
fn only_extended_or_cancelled(
    poll: &poll::Model,
    changes: &poll::ActiveModel,
    new_options: bool,
) -> ApiResult<()> {
    let changed: Vec<&str> = [
        ("question", changes.question.is_set()),
        ("description", changes.description.is_set()),
        ("options", new_options),
        ("max_choices", changes.max_choices.is_set()),
        ("opens_at", changes.opens_at.is_set()),
        (
            "results_before_close",
            changes.results_before_close.is_set(),
        ),
        ("open_voting", changes.open_voting.is_set()),
        ("agenda_item_id", changes.agenda_item_id.is_set()),
        ("consultation_id", changes.consultation_id.is_set()),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect();
    if !changed.is_empty() {
        return Err(ApiError::Conflict(format!(
            "this poll is open: only a later closes_at, or cancelling it, can change it now \
             (not {})",
            changed.join(", ")
        )));
    }
    if let ActiveValue::Set(closes_at) = changes.closes_at
        && closes_at < poll.closes_at
    {
        return Err(ApiError::Conflict(format!(
            "this poll is open; its closing can only be put later than {}",
            poll.closes_at.to_rfc3339()
        )));
    }
    Ok(())
}
