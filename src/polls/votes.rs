//! Voting: one vote per member organisation, cast by any of its people, and
//! replaced by a later one until the poll closes.

use axum::extract::State;
use chrono::{DateTime, Utc};
use entity::poll;
use sea_orm::sea_query::LockType;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::{cast, is_active_member, lock_poll, options_of_one};
use super::rules::{check_choices, check_choices_fit};
use super::types::{PollStatus, VoteIn, VoteOut};
use crate::http::extract::{Json, Path};
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(vote_in_poll))
}

/// Whether the poll takes votes at `now`: 409 naming why not.
fn open_for_votes(poll: &poll::Model, now: DateTime<Utc>) -> ApiResult<()> {
    match PollStatus::of(poll, now) {
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

/// Vote for your organisation (members and officers whose organisation is
/// an active member of the forum; not observers or RPD staff).
///
/// An organisation has one vote: whoever of its people votes last, until
/// the poll closes, decides it, and the answer is the organisation's vote
/// as it now stands. Two of its people voting at the same moment are taken
/// one after the other, so exactly one of their votes stands. The audit
/// trail records what was chosen only when the poll's voting is open.
#[utoipa::path(
    put,
    path = "/polls/{id}/vote",
    tag = "polls",
    params(("id" = Uuid, Path, description = "Poll id")),
    request_body = VoteIn,
    responses(
        (status = 200, description = "Your organisation's vote", body = VoteOut),
        (status = 403, description = "Observers and RPD staff do not vote, nor does anyone whose organisation is not an active member", body = crate::http::problem::Problem),
        (status = 404, description = "No such poll, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The poll is not open yet, has closed or was cancelled", body = crate::http::problem::Problem),
        (status = 422, description = "No option, an option twice, an option of another poll, or more options than the poll takes", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn vote_in_poll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<VoteIn>,
) -> ApiResult<Json<VoteOut>> {
    let (_, access) =
        crate::kernel::access::load_visible::<entity::poll::Entity>(&state.db, id, Some(&user))
            .await?;
    access.require(ForumAction::Vote)?;
    let Some(organisation_id) = user.user.organisation_id else {
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
    let mut vote = VoteOut {
        poll_id: id,
        organisation_id,
        // Kept in the options' order, as they are read back.
        option_ids: options
            .into_iter()
            .filter(|o| input.option_ids.contains(o))
            .collect(),
        cast_by: Some(user.id()),
        cast_at: now,
    };
    vote.cast_at = cast(&txn, &vote).await?;
    // A secret ballot stays secret in the audit trail too.
    let recorded = if poll.open_voting {
        json!({"organisation_id": organisation_id, "option_ids": vote.option_ids})
    } else {
        json!({"organisation_id": organisation_id})
    };
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "poll.voted", EntityKind::Poll, id)
            .forum(poll.forum_id)
            .changes(recorded),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(vote))
}
