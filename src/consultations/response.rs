//! The forum's joint response: the officers' answer to each question,
//! every revision kept, each citing the contributions it draws on; read by
//! the forum's participants, and by anyone once submitted. Exported as
//! markdown and as CSV.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::{
    ConsultationStatus, consultation_answer, consultation_answer_citation,
    consultation_answer_revision, consultation_contribution, consultation_question, poll,
};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::contributions::organisation_names;
use super::queries::{
    load_for, load_readable, lock_consultation, london_today, question_of, questions_of,
};
use super::types::{
    AnswerIn, AnswerOut, AnswerRevisionOut, Citation, ConsultationOut, JointResponse, QuestionOut,
    ResponseQuestion, check_word_limit, word_count,
};
use crate::http::csv_export;
use crate::http::extract::{Json, Path};
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_response))
        .routes(routes!(put_answer))
        .routes(routes!(answer_revisions))
}

/// The citations of these answers, with their organisations, in one query each.
async fn citations_of(
    conn: &impl ConnectionTrait,
    answer_ids: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<Citation>>> {
    let rows: Vec<(Uuid, Uuid, Uuid)> = consultation_answer_citation::Entity::find()
        .select_only()
        .column(consultation_answer_citation::Column::AnswerId)
        .column(consultation_answer_citation::Column::ContributionId)
        .column_as(
            Expr::col((
                consultation_contribution::Entity,
                consultation_contribution::Column::OrganisationId,
            )),
            "organisation_id",
        )
        .join(
            sea_orm::JoinType::InnerJoin,
            consultation_answer_citation::Entity::belongs_to(consultation_contribution::Entity)
                .from(consultation_answer_citation::Column::ContributionId)
                .to(consultation_contribution::Column::Id)
                .into(),
        )
        .filter(consultation_answer_citation::Column::AnswerId.is_in(answer_ids.iter().copied()))
        .order_by_asc(consultation_answer_citation::Column::ContributionId)
        .into_tuple()
        .all(conn)
        .await?;
    let names = organisation_names(conn, rows.iter().map(|(_, _, org)| *org)).await?;
    let mut cited: HashMap<Uuid, Vec<Citation>> = HashMap::new();
    for (answer, contribution, organisation) in rows {
        cited.entry(answer).or_default().push(Citation {
            contribution_id: contribution,
            organisation_id: organisation,
            organisation_name: names.get(&organisation).cloned().unwrap_or_default(),
        });
    }
    Ok(cited)
}

/// The whole response: each question with its answer (and, for the forum's
/// participants, how many organisations contributed to it).
async fn joint_response(
    conn: &impl ConnectionTrait,
    consultation: ConsultationOut,
    participant: bool,
) -> ApiResult<JointResponse> {
    let questions = questions_of(conn, consultation.id).await?;
    let answers: HashMap<Uuid, consultation_answer::Model> = consultation_answer::Entity::find()
        .filter(consultation_answer::Column::ConsultationId.eq(consultation.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.question_id, a))
        .collect();
    let answer_ids: Vec<Uuid> = answers.values().map(|a| a.id).collect();
    let mut cited = citations_of(conn, &answer_ids).await?;
    let contributed: HashMap<Uuid, i64> = if participant {
        consultation_contribution::Entity::find()
            .select_only()
            .column(consultation_contribution::Column::QuestionId)
            .column_as(
                Expr::from(Func::count(Expr::col(
                    consultation_contribution::Column::Id,
                ))),
                "contributions",
            )
            .filter(consultation_contribution::Column::ConsultationId.eq(consultation.id))
            .group_by(consultation_contribution::Column::QuestionId)
            .into_tuple::<(Uuid, i64)>()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let mut answers = answers;
    let questions = questions
        .into_iter()
        .map(|q| {
            let answer = answers.remove(&q.id).map(|a| {
                let cites = cited.remove(&a.id).unwrap_or_default();
                AnswerOut::new(a, cites)
            });
            let contributions = participant
                .then(|| u64::try_from(contributed.get(&q.id).copied().unwrap_or(0)).unwrap_or(0));
            ResponseQuestion {
                question: QuestionOut::from(q),
                answer,
                contributions,
            }
        })
        .collect();
    Ok(JointResponse {
        consultation,
        questions,
    })
}

/// The response as one markdown document.
fn markdown(response: &JointResponse) -> String {
    let c = &response.consultation;
    let mut out = format!(
        "# {}\n\nA response to {} (closes {}).\n",
        c.title, c.consulting_body, c.closes_on
    );
    if let Some(url) = &c.source_url {
        out += &format!("\nConsultation: <{url}>\n");
    }
    for q in &response.questions {
        out += &format!(
            "\n## Question {}\n\n{}\n",
            q.question.number, q.question.text
        );
        match &q.answer {
            Some(answer) if !answer.body.trim().is_empty() => {
                out += &format!("\n{}\n", answer.body.trim_end());
                if !answer.cites.is_empty() {
                    let names = organisations(&answer.cites);
                    out += &format!("\n*Drawing on contributions from {names}.*\n");
                }
            }
            _ => out += "\n*Not answered.*\n",
        }
    }
    out
}

/// The cited organisations, each once, in citation order.
fn organisations(cites: &[Citation]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for c in cites {
        if !names.contains(&c.organisation_name.as_str()) {
            names.push(&c.organisation_name);
        }
    }
    names.join(", ")
}

/// One row of the response's CSV.
#[derive(Serialize)]
struct AnswerCsv {
    number: i32,
    question: String,
    answer: String,
    contributing_organisations: String,
}

/// The forum's joint response, question by question: JSON, or with
/// `Accept: text/markdown` one document, or with `Accept: text/csv` one
/// row per question (number, question, answer, contributing organisations,
/// i.e. those whose contributions the answer cites). The forum's
/// participants read it while it is drafted; anyone once it is submitted.
#[utoipa::path(
    get,
    path = "/consultations/{id}/response",
    tag = "consultations",
    params(("id" = Uuid, Path, description = "Consultation id")),
    responses(
        (status = 200, description = "The joint response",
         content((JointResponse = "application/json"), (String = "text/markdown"), (String = "text/csv"))),
        (status = 404, description = "No such consultation, or not yours to see", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn get_response(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let loaded = load_readable(&state.db, id, caller.as_ref()).await?;
    let participant = loaded.participant();
    let consultation = ConsultationOut::new(loaded.consultation, london_today(state.clock.now()));
    let response = joint_response(&state.db, consultation, participant).await?;
    if csv_export::wanted(&headers) {
        let rows = response.questions.iter().map(|q| AnswerCsv {
            number: q.question.number,
            question: q.question.text.clone(),
            answer: q
                .answer
                .as_ref()
                .map(|a| a.body.clone())
                .unwrap_or_default(),
            contributing_organisations: q
                .answer
                .as_ref()
                .map(|a| organisations(&a.cites))
                .unwrap_or_default(),
        });
        return csv_export::respond("response.csv", rows);
    }
    if csv_export::accepts(&headers, "text/markdown") {
        return Ok((
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/markdown; charset=utf-8"),
            )],
            markdown(&response),
        )
            .into_response());
    }
    Ok(Json(response).into_response())
}

/// Write the forum's answer to a question (officers), citing the
/// contributions to that question it draws on. The first write makes it;
/// every later one needs `If-Match` with the answer's ETag. Every revision
/// is kept. Refused (409) once the response is agreed, and while the
/// members are being polled on it.
#[utoipa::path(
    put,
    path = "/consultations/{id}/questions/{question_id}/answer",
    tag = "consultations",
    params(
        ("id" = Uuid, Path, description = "Consultation id"),
        ("question_id" = Uuid, Path, description = "Question id"),
        IfMatch,
    ),
    request_body = AnswerIn,
    responses(
        (status = 200, description = "The answer as it now is", body = AnswerOut,
         headers(("ETag" = String, description = "The answer's version"))),
        (status = 404, description = "No such consultation or question, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The response is agreed, submitted or withdrawn, or the members are being polled on it", body = crate::http::problem::Problem),
        (status = 428, description = "The answer exists: send the ETag you last read", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn put_answer(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, question_id)): Path<(Uuid, Uuid)>,
    if_match: IfMatch,
    Json(input): Json<AnswerIn>,
) -> ApiResult<Tagged<AnswerOut>> {
    let loaded = load_for(&state.db, id, &user, ForumAction::RunConsultation).await?;
    let question = question_of(&state.db, id, question_id).await?;
    let mut v = Validator::default();
    v.rule::<limits::AnswerBody>(&input.body, "body");
    check_word_limit(&mut v, &input.body, &question);
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
        .all(&state.db)
        .await?;
    v.check(
        known.len() == cites.len(),
        "cites",
        "must be contributions to this question",
    );
    v.finish()?;

    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let consultation = lock_consultation(&txn, id).await?;
    require_draftable(&txn, &consultation, now).await?;
    let existing = consultation_answer::Entity::find()
        .filter(consultation_answer::Column::QuestionId.eq(question.id))
        .one(&txn)
        .await?;
    let saved = match existing {
        None => {
            if if_match.sent() {
                return Err(ApiError::PreconditionFailed(
                    "this question has no answer yet: write the first one without If-Match".into(),
                ));
            }
            // Two first answers at once: the unique key on the question
            // keeps one, and the other is told to read it.
            consultation_answer::ActiveModel {
                id: Set(Uuid::now_v7()),
                consultation_id: Set(id),
                question_id: Set(question.id),
                body: Set(input.body),
                version: Set(1),
                edited_by: Set(Some(user.id())),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await
            .or_conflict(|| {
                "an answer to this question was written meanwhile: read it, then send its \
                 ETag in If-Match"
                    .into()
            })?
        }
        Some(current) => {
            if_match.require(current.version)?;
            let mut changes = current.clone().into_active_model();
            changes.body.set_ne(input.body);
            changes.edited_by.set_ne(Some(user.id()));
            let cites_changed = cited_ids(&txn, current.id).await? != cites;
            let saved = versioning::save::<consultation_answer::Entity>(
                &txn, &current, changes, &if_match, now,
            )
            .await?;
            match (saved.changed(), cites_changed) {
                (true, _) => saved.into_inner(),
                (false, true) => {
                    versioning::touch::<consultation_answer::Entity>(&txn, &current, &if_match, now)
                        .await?
                }
                (false, false) => {
                    let unchanged = saved.into_inner();
                    let cites = citations_of(&state.db, &[unchanged.id])
                        .await?
                        .remove(&unchanged.id)
                        .unwrap_or_default();
                    return Ok(Tagged::new(
                        unchanged.version,
                        AnswerOut::new(unchanged, cites),
                    ));
                }
            }
        }
    };
    consultation_answer_citation::Entity::delete_many()
        .filter(consultation_answer_citation::Column::AnswerId.eq(saved.id))
        .exec(&txn)
        .await?;
    if !cites.is_empty() {
        consultation_answer_citation::Entity::insert_many(cites.iter().map(|contribution| {
            consultation_answer_citation::ActiveModel {
                answer_id: Set(saved.id),
                contribution_id: Set(*contribution),
            }
        }))
        .exec(&txn)
        .await?;
    }
    consultation_answer_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        answer_id: Set(saved.id),
        version: Set(saved.version),
        body: Set(saved.body.clone()),
        cites: Set(json!(cites)),
        edited_by: Set(Some(user.id())),
        edited_at: Set(now),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "answer.written",
            EntityKind::Answer,
            saved.id,
        )
        .forum(loaded.consultation.forum_id)
        .changes(json!({
            "consultation_id": id,
            "question_id": question.id,
            "version": saved.version,
            "words": word_count(&saved.body),
            "cites": cites,
        })),
    )
    .await?;
    let cited = citations_of(&txn, &[saved.id])
        .await?
        .remove(&saved.id)
        .unwrap_or_default();
    txn.commit().await?;
    Ok(Tagged::new(saved.version, AnswerOut::new(saved, cited)))
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

/// 409 unless the response may still change: open or being drafted, and
/// no poll of the members on it upcoming or open (they vote on the text as
/// it stands).
async fn require_draftable(
    conn: &impl ConnectionTrait,
    consultation: &entity::consultation::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<()> {
    if !matches!(
        consultation.status,
        ConsultationStatus::Open | ConsultationStatus::Drafting
    ) {
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

/// Every revision of the forum's answer to a question, oldest first (the
/// forum's participants).
#[utoipa::path(
    get,
    path = "/consultations/{id}/questions/{question_id}/answer/revisions",
    tag = "consultations",
    params(
        ("id" = Uuid, Path, description = "Consultation id"),
        ("question_id" = Uuid, Path, description = "Question id"),
    ),
    responses(
        (status = 200, description = "Every revision", body = Vec<AnswerRevisionOut>),
        (status = 404, description = "No such consultation or question, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn answer_revisions(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, question_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<Vec<AnswerRevisionOut>>> {
    load_for(&state.db, id, &user, ForumAction::ReadParticipantRecords).await?;
    let question: consultation_question::Model = question_of(&state.db, id, question_id).await?;
    let answer: Option<Uuid> = consultation_answer::Entity::find()
        .select_only()
        .column(consultation_answer::Column::Id)
        .filter(consultation_answer::Column::QuestionId.eq(question.id))
        .into_tuple()
        .one(&state.db)
        .await?;
    let Some(answer) = answer else {
        return Ok(Json(Vec::new()));
    };
    let revisions = consultation_answer_revision::Entity::find()
        .filter(consultation_answer_revision::Column::AnswerId.eq(answer))
        .order_by_asc(consultation_answer_revision::Column::Version)
        .all(&state.db)
        .await?;
    Ok(Json(
        revisions
            .into_iter()
            .map(|r| AnswerRevisionOut {
                version: r.version,
                body: r.body,
                cites: serde_json::from_value(r.cites).unwrap_or_default(),
                edited_by: r.edited_by,
                edited_at: r.edited_at,
            })
            .collect(),
    ))
}
