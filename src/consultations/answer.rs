//! Writing the forum's answer to a question: the officers' text, citing the
//! contributions it draws on, every revision kept.

use chrono::{DateTime, Utc};
use entity::{
    consultation, consultation_answer, consultation_answer_citation, consultation_answer_revision,
    consultation_contribution, consultation_question, poll,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::queries::{load_for, lock_consultation, question_of};
use super::response::citations_of;
use super::rules::{check_word_limit, word_count};
use super::types::{AnswerIn, AnswerOut};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::limits;
use crate::kernel::names::{Names, People};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Writes the forum's answer to a question (officers), citing the
/// contributions to that question it draws on. The first write makes it;
/// every later one needs `If-Match` with the answer's version (428
/// without). Refused (409) once the response is agreed, and while the
/// members are being polled on it. A write that changes neither the text
/// nor the citations leaves the version as it is.
pub async fn answer(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    question_id: Uuid,
    input: AnswerIn,
    if_match: &IfMatch,
) -> ApiResult<AnswerOut> {
    let loaded = load_for(&state.db, id, caller, ForumAction::RunConsultation).await?;
    let question = question_of(&state.db, id, question_id).await?;
    let cites = check(&state.db, &question, &input).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let consultation = lock_consultation(&txn, id).await?;
    require_draftable(&txn, &consultation, now).await?;
    let existing = consultation_answer::Entity::find()
        .filter(consultation_answer::Column::QuestionId.eq(question.id))
        .one(&txn)
        .await?;
    let written = match existing {
        None => first(&txn, caller, &question, input.body, if_match, now).await?,
        Some(current) => {
            let cites_changed = cited_ids(&txn, current.id).await? != cites;
            let (revised, changed) = revise(
                &txn,
                caller,
                current,
                input.body,
                cites_changed,
                if_match,
                now,
            )
            .await?;
            if !changed {
                let cited = citations_of(&state.db, &[revised.id])
                    .await?
                    .remove(&revised.id)
                    .unwrap_or_default();
                let name = editor_name(&txn, &revised).await?;
                return Ok(AnswerOut::new(revised, cited, name));
            }
            revised
        }
    };
    replace_citations(&txn, written.id, &cites).await?;
    consultation_answer_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        answer_id: Set(written.id),
        version: Set(written.version),
        body: Set(written.body.clone()),
        cites: Set(json!(cites)),
        edited_by: Set(Some(caller.id())),
        edited_at: Set(now),
    }
    .insert(&txn)
    .await?;
    AuditEvent::by(
        caller.id(),
        "answer.written",
        EntityKind::Answer,
        written.id,
    )
    .forum(loaded.consultation.forum_id)
    .changes(json!({
        "consultation_id": id,
        "question_id": question.id,
        "version": written.version,
        "words": word_count(&written.body),
        "cites": cites,
    }))
    .record(&txn, now)
    .await?;
    let cited = citations_of(&txn, &[written.id])
        .await?
        .remove(&written.id)
        .unwrap_or_default();
    let name = editor_name(&txn, &written).await?;
    txn.commit().await?;
    Ok(AnswerOut::new(written, cited, name))
}

/// Who last edited the answer, by name: those who write answers (the
/// forum's officers) take part in the forum, so are shown people's names.
async fn editor_name(
    conn: &impl sea_orm::ConnectionTrait,
    answer: &consultation_answer::Model,
) -> ApiResult<Option<String>> {
    let by = answer.edited_by;
    Ok(Names::load(conn, People::Named, [by], []).await?.person(by))
}

/// The answer's text within its bounds and the question's word limit, and
/// its citations each once and of contributions to this question (422
/// naming each field that is not). Gives the citations in order.
async fn check(
    conn: &impl ConnectionTrait,
    question: &consultation_question::Model,
    input: &AnswerIn,
) -> ApiResult<Vec<Uuid>> {
    let mut v = Validator::default();
    v.rule::<limits::AnswerBody>(&input.body, "body");
    check_word_limit(&mut v, &input.body, question);
    let mut cites = input.cites.clone();
    cites.sort();
    cites.dedup();
    v.check(
        cites.len() == input.cites.len(),
        "cites",
        "names a contribution twice",
    );
    let known: Vec<Uuid> = consultation_contribution::Entity::find()
        .select_only()
        .column(consultation_contribution::Column::Id)
        .filter(consultation_contribution::Column::QuestionId.eq(question.id))
        .filter(consultation_contribution::Column::Id.is_in(cites.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    v.check(
        known.len() == cites.len(),
        "cites",
        "must be contributions to this question",
    );
    v.finish()?;
    Ok(cites)
}

/// The question's first answer: written without `If-Match` (412 with one,
/// since there is no version to match).
async fn first(
    txn: &DatabaseTransaction,
    caller: &AuthUser,
    question: &consultation_question::Model,
    body: String,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<consultation_answer::Model> {
    if if_match.sent() {
        return Err(ApiError::PreconditionFailed(
            "this question has no answer yet: write the first one without If-Match".into(),
        ));
    }
    // Two first answers at once: the unique key on the question keeps one,
    // and the other is told to read it.
    consultation_answer::ActiveModel {
        id: Set(Uuid::now_v7()),
        consultation_id: Set(question.consultation_id),
        question_id: Set(question.id),
        body: Set(body),
        version: Set(1),
        edited_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
    .or_conflict(|| {
        "an answer to this question was written meanwhile: read it, then send its ETag in \
         If-Match"
            .into()
    })
}

/// A later answer, conditional on the version sent in `If-Match`: a new
/// text, or new citations alone, raise the version. Gives the answer and
/// whether it changed.
async fn revise(
    txn: &DatabaseTransaction,
    caller: &AuthUser,
    current: consultation_answer::Model,
    body: String,
    cites_changed: bool,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<(consultation_answer::Model, bool)> {
    if_match.require(current.version)?;
    let mut changes = current.clone().into_active_model();
    changes.body.set_ne(body);
    changes.edited_by.set_ne(Some(caller.id()));
    let saved =
        versioning::save::<consultation_answer::Entity>(txn, &current, changes, if_match, now)
            .await?;
    Ok(match (saved.changed(), cites_changed) {
        (true, _) => (saved.into_inner(), true),
        (false, true) => {
            let touched =
                versioning::touch::<consultation_answer::Entity>(txn, &current, if_match, now)
                    .await?;
            (touched, true)
        }
        (false, false) => (saved.into_inner(), false),
    })
}

async fn cited_ids(conn: &impl ConnectionTrait, answer_id: Uuid) -> ApiResult<Vec<Uuid>> {
    Ok(consultation_answer_citation::Entity::find()
        .select_only()
        .column(consultation_answer_citation::Column::ContributionId)
        .filter(consultation_answer_citation::Column::AnswerId.eq(answer_id))
        .order_by_asc(consultation_answer_citation::Column::ContributionId)
        .into_tuple()
        .all(conn)
        .await?)
}

async fn replace_citations(
    txn: &DatabaseTransaction,
    answer_id: Uuid,
    cites: &[Uuid],
) -> ApiResult<()> {
    consultation_answer_citation::Entity::delete_many()
        .filter(consultation_answer_citation::Column::AnswerId.eq(answer_id))
        .exec(txn)
        .await?;
    if !cites.is_empty() {
        consultation_answer_citation::Entity::insert_many(cites.iter().map(|contribution| {
            consultation_answer_citation::ActiveModel {
                answer_id: Set(answer_id),
                contribution_id: Set(*contribution),
            }
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// 409 unless the response may still change: open or being drafted, and
/// no poll of the members on it upcoming or open (they vote on the text as
/// it stands).
async fn require_draftable(
    conn: &impl ConnectionTrait,
    consultation: &consultation::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if !consultation.status.accepts_edits() {
        return Err(ApiError::Conflict(format!(
            "the response is {}: it is read-only",
            consultation.status.as_str()
        )));
    }
    let polling = poll::Entity::find()
        .filter(poll::Column::ConsultationId.eq(consultation.id))
        .filter(poll::Column::CancelledAt.is_null())
        .filter(poll::Column::ClosesAt.gt(now))
        .one(conn)
        .await?;
    if let Some(poll) = polling {
        return Err(ApiError::Conflict(format!(
            "the members are being polled on the response until {}: it cannot change meanwhile",
            poll.closes_at.to_rfc3339()
        )));
    }
    Ok(())
}
