//! Moving a consultation on, as its status's `can_become` allows: with what
//! goes with each move, and the members' poll that must carry the joint
//! response before it is agreed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    ConsultationStatus, consultation, consultation_answer, consultation_question, poll,
    poll_option, poll_vote_choice,
};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::queries::{load_for, london_today, named};
use super::types::{ConsultationOut, ConsultationPatch};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Moves a consultation on (officers), as its status's `can_become`
/// allows (409 otherwise), with what goes with the move; moving it where it
/// already is changes nothing.
pub(super) async fn move_to(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    to: ConsultationStatus,
    patch: &ConsultationPatch,
    if_match: &IfMatch,
) -> ApiResult<ConsultationOut> {
    let loaded = load_for(&state.db, id, caller, ForumAction::RunConsultation).await?;
    let name = named(&state.db, &loaded).await?;
    let current = loaded.consultation;
    let now = state.clock.now();
    let today = london_today(now);
    let mut v = Validator::default();
    check_companions(&mut v, to, patch);
    if let Some(on) = patch.submitted_on {
        v.check(on <= today, "submitted_on", "must not be in the future");
    }
    v.finish()?;
    if_match.check(current.version)?;
    if current.status == to {
        return Ok(ConsultationOut::new(current, today, name));
    }
    if !current.status.can_become(to) {
        return Err(ApiError::transition(
            "consultation",
            current.status.as_str(),
            to.as_str(),
        ));
    }
    let mut changes = current.clone().into_active_model();
    changes.status.set_ne(to);
    if to == ConsultationStatus::Submitted {
        changes
            .submitted_on
            .set_ne(Some(patch.submitted_on.unwrap_or(today)));
        changes.submission_reference.set_ne(
            patch
                .submission_reference
                .as_deref()
                .map(|r| r.trim().to_string()),
        );
    }
    if to == ConsultationStatus::Withdrawn {
        changes.withdrawn_reason.set_ne(
            patch
                .withdrawn_reason
                .as_deref()
                .map(|r| r.trim().to_string()),
        );
    }
    let txn = begin_write(&state.db).await?;
    // `UPDATE … WHERE id = ? AND version = ?`: of two moves made at once,
    // one finds the row moved on. Writes to the response share-lock the row
    // first, so once this holds it none is under way, and none starts.
    let moved = versioning::save::<consultation::Entity>(&txn, &current, changes, if_match, now)
        .await?
        .into_inner();
    if to == ConsultationStatus::Agreed {
        require_carried(&txn, id, now).await?;
    }
    AuditEvent::by(
        caller.id(),
        &format!("consultation.{}", to.as_str()),
        EntityKind::Consultation,
        id,
    )
    .forum(moved.forum_id)
    .changes(serde_json::json!({
        "status": {"from": current.status, "to": to},
        "submitted_on": moved.submitted_on,
        "submission_reference": moved.submission_reference,
        "withdrawn_reason": moved.withdrawn_reason,
    }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(ConsultationOut::new(moved, today, name))
}

/// What goes with a move, and only with it: the submission's reference
/// (and date) with `submitted`, the reason with `withdrawn`; the details
/// are changed on their own (422 naming each field otherwise).
fn check_companions(v: &mut Validator, to: ConsultationStatus, patch: &ConsultationPatch) {
    for (given, field) in [
        (patch.title.is_some(), "title"),
        (patch.consulting_body.is_some(), "consulting_body"),
        (patch.source_url.is_some(), "source_url"),
        (patch.description.is_some(), "description"),
        (patch.closes_on.is_some(), "closes_on"),
        (patch.internal_deadline.is_some(), "internal_deadline"),
    ] {
        v.check(
            !given,
            field,
            "cannot change with the status: send it on its own",
        );
    }
    let submitted = to == ConsultationStatus::Submitted;
    let withdrawn = to == ConsultationStatus::Withdrawn;
    match &patch.submission_reference {
        Some(reference) if submitted => {
            v.rule::<limits::SubmissionReference>(reference, "submission_reference");
        }
        None if submitted => {
            v.check(
                false,
                "submission_reference",
                "is required: a link to, or reference of, what was sent",
            );
        }
        Some(_) => {
            v.check(
                false,
                "submission_reference",
                "goes only with status submitted",
            );
        }
        None => {}
    }
    v.check(
        submitted || patch.submitted_on.is_none(),
        "submitted_on",
        "goes only with status submitted",
    );
    match &patch.withdrawn_reason {
        Some(reason) if withdrawn => {
            v.rule::<limits::WithdrawnReason>(reason, "withdrawn_reason");
        }
        None if withdrawn => {
            v.check(false, "withdrawn_reason", "is required: say why");
        }
        Some(_) => {
            v.check(false, "withdrawn_reason", "goes only with status withdrawn");
        }
        None => {}
    }
}

/// The latest poll of the members on the response, not cancelled.
async fn latest_poll(
    conn: &impl ConnectionTrait,
    consultation_id: Uuid,
) -> ApiResult<Option<poll::Model>> {
    Ok(poll::Entity::find()
        .filter(poll::Column::ConsultationId.eq(consultation_id))
        .filter(poll::Column::CancelledAt.is_null())
        .order_by_desc(poll::Column::OpensAt)
        .one(conn)
        .await?)
}

/// 409 unless the response may be agreed: every question answered, and
/// the latest poll on it closed, carried (more agree than disagree), and
/// opened after the last change to the response.
async fn require_carried(
    conn: &impl ConnectionTrait,
    consultation_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let questions = consultation_question::Entity::find()
        .filter(consultation_question::Column::ConsultationId.eq(consultation_id))
        .count(conn)
        .await?;
    let answers = consultation_answer::Entity::find()
        .filter(consultation_answer::Column::ConsultationId.eq(consultation_id))
        .filter(consultation_answer::Column::Body.ne(""))
        .count(conn)
        .await?;
    if answers < questions {
        return Err(ApiError::Conflict(format!(
            "{answers} of the {questions} questions are answered: answer every one before the \
             members agree the response"
        )));
    }
    let Some(poll) = latest_poll(conn, consultation_id).await? else {
        return Err(ApiError::Conflict(
            "the members have not been asked: put the response to them as a poll \
             (POST /forums/{id}/polls with this consultation_id) first"
                .into(),
        ));
    };
    if poll.closes_at > now {
        return Err(ApiError::Conflict(format!(
            "the members' poll on the response closes at {}",
            poll.closes_at.to_rfc3339()
        )));
    }
    let last_change: Option<DateTime<Utc>> = consultation_answer::Entity::find()
        .select_only()
        .column_as(
            Expr::from(Func::max(Expr::col(consultation_answer::Column::UpdatedAt))),
            "last",
        )
        .filter(consultation_answer::Column::ConsultationId.eq(consultation_id))
        .into_tuple()
        .one(conn)
        .await?
        .flatten();
    if last_change.is_some_and(|changed| changed > poll.opens_at) {
        return Err(ApiError::Conflict(
            "the response changed after the members' poll opened: put it to them again".into(),
        ));
    }
    let (agree, disagree) = agree_and_disagree(conn, poll.id).await?;
    if agree <= disagree {
        return Err(ApiError::Conflict(format!(
            "the members did not agree the response: {agree} agreed, {disagree} disagreed"
        )));
    }
    Ok(())
}

/// An agree-disagree-abstain poll's first two options' votes.
async fn agree_and_disagree(conn: &impl ConnectionTrait, poll_id: Uuid) -> ApiResult<(i64, i64)> {
    let options: Vec<Uuid> = poll_option::Entity::find()
        .select_only()
        .column(poll_option::Column::Id)
        .filter(poll_option::Column::PollId.eq(poll_id))
        .order_by_asc(poll_option::Column::Position)
        .into_tuple()
        .all(conn)
        .await?;
    let votes: HashMap<Uuid, i64> = poll_vote_choice::Entity::find()
        .select_only()
        .column(poll_vote_choice::Column::OptionId)
        .column_as(
            Expr::from(Func::count(Expr::col(
                poll_vote_choice::Column::OrganisationId,
            ))),
            "votes",
        )
        .filter(poll_vote_choice::Column::PollId.eq(poll_id))
        .group_by(poll_vote_choice::Column::OptionId)
        .into_tuple::<(Uuid, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let count = |n: usize| {
        options
            .get(n)
            .and_then(|option| votes.get(option))
            .copied()
            .unwrap_or(0)
    };
    Ok((count(0), count(1)))
}
