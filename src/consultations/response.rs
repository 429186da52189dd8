//! The forum's joint response as it is read: the officers' answer to each
//! question, citing the contributions it draws on; read by the forum's
//! participants, and by anyone once submitted; as JSON or one markdown
//! document. Every revision of an answer is kept, and read here too.

use std::collections::HashMap;

use entity::{
    consultation_answer, consultation_answer_citation, consultation_answer_revision,
    consultation_contribution,
};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::queries::{
    load_for, load_readable, london_today, named, organisation_names, question_of, questions_of,
};
use super::types::{
    AnswerOut, AnswerRevisionOut, Citation, ConsultationOut, JointResponse, QuestionOut,
    ResponseQuestion,
};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::error::ApiResult;
use crate::kernel::names::{Named, ONE_NAME, OneName, People, person_name};
use crate::kernel::state::AppState;

/// The forum's joint response, question by question: its participants read
/// it while it is drafted (with how many organisations contributed to each
/// question); anyone once it is submitted (404 before).
pub async fn joint_response(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
) -> ApiResult<JointResponse> {
    let loaded = load_readable(&state.db, id, caller).await?;
    let participant = loaded.participant();
    let name = named(&state.db, &loaded).await?;
    let today = london_today(state.clock.now());
    let consultation = ConsultationOut::new(loaded.consultation, today, name);
    compose(&state.db, consultation, People::named_if(participant)).await
}

/// Every revision of the forum's answer to a question, oldest first (the
/// forum's participants).
pub async fn answer_revisions(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    question_id: Uuid,
) -> ApiResult<Vec<AnswerRevisionOut>> {
    load_for(&state.db, id, caller, ForumAction::ReadParticipantRecords).await?;
    let question = question_of(&state.db, id, question_id).await?;
    let answer: Option<Uuid> = consultation_answer::Entity::find()
        .select_only()
        .column(consultation_answer::Column::Id)
        .filter(consultation_answer::Column::QuestionId.eq(question.id))
        .into_tuple()
        .one(&state.db)
        .await?;
    let Some(answer) = answer else {
        return Ok(Vec::new());
    };
    // Only the forum's participants read revisions: editors are named.
    let editor = (
        consultation_answer_revision::Entity,
        consultation_answer_revision::Column::EditedBy,
    );
    let revisions = consultation_answer_revision::Entity::find()
        .filter(consultation_answer_revision::Column::AnswerId.eq(answer))
        .column_as(person_name(editor, People::Named), ONE_NAME)
        .order_by_asc(consultation_answer_revision::Column::Version)
        .into_model::<Named<consultation_answer_revision::Model, OneName>>()
        .all(&state.db)
        .await?;
    Ok(revisions
        .into_iter()
        .map(|Named { record: r, names }| AnswerRevisionOut {
            version: r.version,
            body: r.body,
            cites: serde_json::from_value(r.cites).unwrap_or_default(),
            edited_by: r.edited_by,
            edited_by_name: names.one_name,
            edited_at: r.edited_at,
        })
        .collect())
}

/// The citations of these answers, with their organisations, in one query each.
pub(super) async fn citations_of(
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
/// participants, how many organisations contributed to it, and who edited
/// each answer by name).
async fn compose(
    conn: &impl ConnectionTrait,
    consultation: ConsultationOut,
    people: People,
) -> ApiResult<JointResponse> {
    let participant = people == People::Named;
    let questions = questions_of(conn, consultation.id).await?;
    let editor = (
        consultation_answer::Entity,
        consultation_answer::Column::EditedBy,
    );
    let answers: HashMap<Uuid, Named<consultation_answer::Model, OneName>> =
        consultation_answer::Entity::find()
            .filter(consultation_answer::Column::ConsultationId.eq(consultation.id))
            .column_as(person_name(editor, people), ONE_NAME)
            .into_model::<Named<consultation_answer::Model, OneName>>()
            .all(conn)
            .await?
            .into_iter()
            .map(|a| (a.record.question_id, a))
            .collect();
    let answer_ids: Vec<Uuid> = answers.values().map(|a| a.record.id).collect();
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
                let cites = cited.remove(&a.record.id).unwrap_or_default();
                AnswerOut::new(a.record, cites, a.names.one_name)
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

impl JointResponse {
    /// The response as one markdown document.
    pub fn markdown(&self) -> String {
        let c = &self.consultation;
        let mut out = format!(
            "# {}\n\nA response to {} (closes {}).\n",
            c.title, c.consulting_body, c.closes_on
        );
        if let Some(url) = &c.source_url {
            out += &format!("\nConsultation: <{url}>\n");
        }
        for q in &self.questions {
            out += &format!(
                "\n## Question {}\n\n{}\n",
                q.question.number, q.question.text
            );
            match &q.answer {
                Some(answer) if !answer.body.trim().is_empty() => {
                    out += &format!("\n{}\n", answer.body.trim_end());
                    if !answer.cites.is_empty() {
                        let names = answer.cited_organisations();
                        out += &format!("\n*Drawing on contributions from {names}.*\n");
                    }
                }
                _ => out += "\n*Not answered.*\n",
            }
        }
        out
    }
}

impl AnswerOut {
    /// The organisations whose contributions it cites, each once, in
    /// citation order.
    pub fn cited_organisations(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        for c in &self.cites {
            if !names.contains(&c.organisation_name.as_str()) {
                names.push(&c.organisation_name);
            }
        }
        names.join(", ")
    }
}
