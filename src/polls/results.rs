//! A poll's results: every option's votes, turnout, who voted (and how, when
//! voting is open), and whether an agree-disagree-abstain poll carried.

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::{PollKind, poll};
use sea_orm::ConnectionTrait;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{eligible_organisations, tally, voters};
use super::types::{PollStatus, ResultsOut};
use crate::http::extract::{Json, Path};
use crate::kernel::access::AuthUser;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_poll_results))
}

/// Whether the poll's results may be shown now: once it has closed, or
/// while it is open if it says so. A cancelled poll decided nothing, so its
/// votes are not counted. Otherwise 409, saying when they will be shown.
pub fn shown(poll: &poll::Model, now: DateTime<Utc>) -> ApiResult<()> {
    match PollStatus::of(poll, now) {
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
    let status = PollStatus::of(poll, now);
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

/// The poll's results (the forum's participants): each option's votes in
/// option order, how many of the organisations with an active membership
/// voted, which ones (and how, when the poll's voting is open) and, for an
/// agree-disagree-abstain poll once closed, whether it carried (more agreed
/// than disagreed). Shown once the poll closes, or while it is open if it
/// was put with `results_before_close`; otherwise 409, saying when.
#[utoipa::path(
    get,
    path = "/polls/{id}/results",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id")),
    responses(
        (status = 200, description = "The results", body = ResultsOut),
        (status = 404, description = "No such poll, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The results are not shown yet, or the poll was cancelled", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_poll_results(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ResultsOut>> {
    let (poll, _) =
        crate::kernel::access::load_visible::<entity::poll::Entity>(&state.db, id, Some(&user))
            .await?;
    let now = state.clock.now();
    shown(&poll, now)?;
    Ok(Json(results_of(&state.db, &poll, now).await?))
}
