//! Voting: one vote per member organisation, cast by any of its people, and
//! replaced by a later one until the poll closes.

use chrono::{DateTime, Utc};
use entity::{PollStatus, poll};
use sea_orm::sea_query::LockType;
use serde_json::json;
use uuid::Uuid;

use super::ballots::{cast, is_active_member};
use super::queries::{lock_poll, options_of_one};
use super::rules::{check_choices, check_choices_fit};
use super::types::{VoteIn, VoteOut};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Names, People};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Votes for the caller's organisation (members and officers whose
/// organisation is an active member of the forum: 403 otherwise) while the
/// poll is open (409 otherwise). Whoever of its people votes last decides
/// the organisation's vote; the answer is that vote as it now stands. The
/// audit trail records what was chosen only when the poll's voting is open.
pub async fn vote(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: VoteIn,
) -> ApiResult<VoteOut> {
    let (_, access) = access::load_visible::<poll::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::Vote)?;
    let Some(organisation_id) = caller.user.organisation_id else {
        return Err(ApiError::Forbidden(
            "you vote for your organisation, and your account belongs to none".into(),
        ));
    };
    let mut v = Validator::default();
    check_choices(&mut v, &input.option_ids);
    v.finish()?;

    let txn = begin_write(&state.db).await?;
    // Decided on the poll as committed now, share-locked until this vote is:
    // an edit or a cancellation waits for it, and the clock is read only
    // once the lock is held, so a vote is never taken after the poll closed
    // or was cancelled, nor before it opened.
    let poll = lock_poll(&txn, id, LockType::Share).await?;
    if !is_active_member(&txn, poll.forum_id, organisation_id).await? {
        return Err(ApiError::Forbidden(
            "your organisation is not an active member of this forum, so it has no vote".into(),
        ));
    }
    let now = state.clock.now();
    open_for_votes(&poll, now)?;
    let options: Vec<Uuid> = options_of_one(&txn, id)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    check_choices_fit(
        &mut v,
        poll.kind,
        poll.max_choices,
        &options,
        &input.option_ids,
    );
    v.finish()?;
    let organisation_name = Names::load(&txn, People::Named, [], [Some(organisation_id)])
        .await?
        .organisation(Some(organisation_id));
    let mut vote = VoteOut {
        poll_id: id,
        organisation_id,
        organisation_name,
        // Kept in the options' order, as they are read back.
        option_ids: options
            .into_iter()
            .filter(|o| input.option_ids.contains(o))
            .collect(),
        cast_by: Some(caller.id()),
        cast_by_name: Some(caller.user.display_name.clone()),
        cast_at: now,
    };
    vote.cast_at = cast(&txn, &vote).await?;
    // A secret ballot stays secret in the audit trail too.
    let recorded = if poll.open_voting {
        json!({"organisation_id": organisation_id, "option_ids": vote.option_ids})
    } else {
        json!({"organisation_id": organisation_id})
    };
    AuditEvent::by(caller.id(), "poll.voted", EntityKind::Poll, id)
        .forum(poll.forum_id)
        .changes(recorded)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(vote)
}

/// Whether the poll takes votes at `now`: 409 naming why not.
fn open_for_votes(poll: &poll::Model, now: DateTime<Utc>) -> ApiResult<()> {
    match poll.status_at(now) {
        PollStatus::Open => Ok(()),
        PollStatus::Upcoming => Err(ApiError::Conflict(format!(
            "this poll is not open yet; it opens at {}",
            poll.opens_at.to_rfc3339()
        ))),
        PollStatus::Closed => Err(ApiError::Conflict(format!(
            "this poll closed at {}; it takes no more votes",
            poll.closes_at.to_rfc3339()
        ))),
        PollStatus::Cancelled => Err(ApiError::Conflict(
            "this poll was cancelled; it takes no votes".into(),
        )),
    }
}
