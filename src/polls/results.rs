//! A poll's results: every option's votes, turnout, who voted (and how, when
//! voting is open), and whether an agree-disagree-abstain poll carried.

use chrono::{DateTime, Utc};
use entity::{PollKind, PollStatus, poll};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::ballots::{eligible_organisations, tally, voters};
use super::types::ResultsOut;
use crate::kernel::access::{self, AuthUser};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

/// Whether the poll's results may be shown now: once it has closed, or
/// while it is open if it says so. A cancelled poll decided nothing, so its
/// votes are not counted. Otherwise 409, saying when they will be shown.
pub fn shown(poll: &poll::Model, now: DateTime<Utc>) -> ApiResult<()> {
    match poll.status_at(now) {
        PollStatus::Closed => Ok(()),
        PollStatus::Cancelled => Err(ApiError::Conflict(
            "this poll was cancelled; its votes are not counted".into(),
        )),
        PollStatus::Upcoming | PollStatus::Open if poll.results_before_close => Ok(()),
        PollStatus::Upcoming | PollStatus::Open => Err(ApiError::Conflict(format!(
            "this poll's results are shown once it closes, at {}",
            poll.closes_at.to_rfc3339()
        ))),
    }
}

/// The results as they stand: a few aggregate queries, whatever the number
/// of votes.
pub async fn results_of(
    conn: &impl ConnectionTrait,
    poll: &poll::Model,
    now: DateTime<Utc>,
) -> ApiResult<ResultsOut> {
    let options = tally(conn, poll.id).await?;
    let voted = voters(conn, poll.id, poll.open_voting).await?;
    let eligible = eligible_organisations(conn, poll.forum_id).await?;
    let status = poll.status_at(now);
    let votes_cast = u64::try_from(voted.len()).unwrap_or(u64::MAX);
    let turnout = (eligible > 0).then(|| votes_cast as f64 / eligible as f64);
    // Agree and Disagree are the first two options of such a poll, and its
    // options never change.
    let votes = |at: usize| options.get(at).map_or(0, |o| o.votes);
    let carried = (poll.kind == PollKind::AgreeDisagreeAbstain && status == PollStatus::Closed)
        .then(|| votes(0) > votes(1));
    Ok(ResultsOut {
        poll_id: poll.id,
        status,
        options,
        votes_cast,
        eligible_organisations: eligible,
        turnout,
        voted,
        carried,
    })
}

/// The poll's results (the forum's participants): shown once the poll
/// closes, or while it is open if it was put with `results_before_close`;
/// otherwise 409, saying when.
pub async fn results(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<ResultsOut> {
    let (poll, _) = access::load_visible::<poll::Entity>(&state.db, id, Some(caller)).await?;
    let now = state.clock.now();
    shown(&poll, now)?;
    results_of(&state.db, &poll, now).await
}
