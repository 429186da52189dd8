//! Contributions: each member organisation's answer to a question, one per
//! organisation per question (the database's unique key decides), written
//! by any of its people until the forum's deadline.

use entity::{consultation_contribution, consultation_question};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::queries::{
    Loaded, load_for, lock_consultation, london_today, question_of, require_contributions_open,
    speaking_for,
};
use super::rules::{check_word_limit, word_count};
use super::types::{ContributionEdit, ContributionIn, ContributionOut, ContributionQuery};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::limits;
use crate::kernel::names::{Names, People};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Every contribution to the consultation, oldest first (the forum's
/// participants; never the public).
pub async fn contributions(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    query: ContributionQuery,
) -> ApiResult<Page<ContributionOut>> {
    load_for(&state.db, id, caller, ForumAction::ReadParticipantRecords).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = consultation_contribution::Entity::find()
        .filter(consultation_contribution::Column::ConsultationId.eq(id))
        .order_by_asc(consultation_contribution::Column::Id)
        .limit(page.fetch());
    if let Some(question) = query.question_id {
        select = select.filter(consultation_contribution::Column::QuestionId.eq(question));
    }
    if let Some(after) = page.after {
        select = select.filter(consultation_contribution::Column::Id.gt(after));
    }
    let rows = select.all(&state.db).await?;
    let names = names_of(&state.db, &rows).await?;
    Ok(page.finish(
        rows,
        |c| c.id,
        |c| {
            let organisation = names.organisation(Some(c.organisation_id));
            let by = names.person(c.written_by);
            ContributionOut::new(c, organisation.unwrap_or_default(), by)
        },
    ))
}

/// Contributes the caller's organisation's answer to a question (people of
/// the forum's active member organisations, but observers and RPD staff),
/// while the consultation is open and until the end of its internal
/// deadline (409 after). One per organisation per question: a second is 409.
pub async fn contribute(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: ContributionIn,
) -> ApiResult<ContributionOut> {
    let loaded = load_for(&state.db, id, caller, ForumAction::Contribute).await?;
    let organisation = speaking_for(&state.db, loaded.consultation.forum_id, caller).await?;
    let question = question_of(&state.db, id, input.question_id)
        .await
        .map_err(|_| ApiError::invalid("question_id", "is not a question of this consultation"))?;
    check_body(&input.body, &question)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let consultation = lock_consultation(&txn, id).await?;
    require_contributions_open(&consultation, london_today(now))?;
    let created = consultation_contribution::ActiveModel {
        id: Set(Uuid::now_v7()),
        consultation_id: Set(id),
        question_id: Set(question.id),
        organisation_id: Set(organisation.id),
        body: Set(input.body),
        version: Set(1),
        written_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        format!(
            "{} has already contributed to question {}: edit that contribution instead",
            organisation.name, question.position
        )
    })?;
    AuditEvent::by(
        caller.id(),
        "contribution.added",
        EntityKind::Contribution,
        created.id,
    )
    .forum(consultation.forum_id)
    .changes(json!({
        "consultation_id": id,
        "question_id": question.id,
        "organisation_id": organisation.id,
        "words": word_count(&created.body),
    }))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    let by = Some(caller.user.display_name.clone());
    Ok(ContributionOut::new(created, organisation.name, by))
}

/// One contribution (the forum's participants; 404 to anyone else).
pub async fn contribution(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<ContributionOut> {
    let (contribution, _) = load_contribution(state, id, caller).await?;
    out(&state.db, contribution).await
}

/// Edits a contribution (any of the people of the organisation that wrote
/// it), with `If-Match` (428 without it), until the end of the forum's
/// deadline (409 after).
pub async fn edit_contribution(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: ContributionEdit,
    if_match: &IfMatch,
) -> ApiResult<ContributionOut> {
    let (current, loaded) = load_contribution(state, id, caller).await?;
    loaded.access.require(ForumAction::EditContribution {
        organisation_id: current.organisation_id,
    })?;
    let question = question_of(&state.db, current.consultation_id, current.question_id).await?;
    check_body(&input.body, &question)?;
    if_match.require(current.version)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let consultation = lock_consultation(&txn, current.consultation_id).await?;
    require_contributions_open(&consultation, london_today(now))?;
    let mut changes = current.clone().into_active_model();
    changes.body.set_ne(input.body);
    changes.written_by.set_ne(Some(caller.id()));
    let saved = versioning::save::<consultation_contribution::Entity>(
        &txn, &current, changes, if_match, now,
    )
    .await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        AuditEvent::by(
            caller.id(),
            "contribution.edited",
            EntityKind::Contribution,
            id,
        )
        .forum(consultation.forum_id)
        .changes(json!({"version": saved.version, "words": word_count(&saved.body)}))
        .record(&txn, now)
        .await?;
        txn.commit().await?;
    }
    out(&state.db, saved).await
}

/// 422 unless the body is within its bounds and the question's word limit.
fn check_body(body: &str, question: &consultation_question::Model) -> ApiResult<()> {
    let mut v = Validator::default();
    v.rule::<limits::ContributionBody>(body, "body");
    check_word_limit(&mut v, body, question);
    v.finish()
}

/// A contribution and its consultation, for its forum's participants (404
/// to anyone else).
async fn load_contribution(
    state: &AppState,
    id: Uuid,
    caller: &AuthUser,
) -> ApiResult<(consultation_contribution::Model, Loaded)> {
    let contribution = consultation_contribution::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("contribution"))?;
    let loaded = load_for(
        &state.db,
        contribution.consultation_id,
        caller,
        ForumAction::ReadParticipantRecords,
    )
    .await
    .map_err(|err| match err {
        ApiError::NotFound(_) => ApiError::not_found("contribution"),
        other => other,
    })?;
    Ok((contribution, loaded))
}

async fn out(
    conn: &impl ConnectionTrait,
    c: consultation_contribution::Model,
) -> ApiResult<ContributionOut> {
    let names = names_of(conn, std::slice::from_ref(&c)).await?;
    let organisation = names.organisation(Some(c.organisation_id));
    let by = names.person(c.written_by);
    Ok(ContributionOut::new(
        c,
        organisation.unwrap_or_default(),
        by,
    ))
}

/// The names of the contributions' organisations and writers, in one
/// statement: only the forum's participants read contributions, so people
/// are named.
async fn names_of(
    conn: &impl ConnectionTrait,
    contributions: &[consultation_contribution::Model],
) -> ApiResult<Names> {
    Names::load(
        conn,
        People::Named,
        contributions.iter().map(|c| c.written_by),
        contributions.iter().map(|c| Some(c.organisation_id)),
    )
    .await
}
