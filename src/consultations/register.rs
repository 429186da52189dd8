//! Registering a consultation for the forum to answer.

use entity::{ConsultationStatus, consultation, consultation_question};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use uuid::Uuid;

use super::events;
use super::queries::{london_today, questions_of};
use super::rules::{Details, check_details};
use super::types::{
    ConsultationDetail, ConsultationIn, ConsultationOut, MAX_QUESTIONS, QuestionIn, QuestionOut,
};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Registers a consultation (officers and the region's RPD staff): who
/// consults, its closing date, the forum's own deadline for contributions
/// and its questions, in order. It opens for contributions at once, and
/// the forum is told of it.
pub async fn register(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: ConsultationIn,
) -> ApiResult<ConsultationDetail> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::RegisterConsultation)?;
    let now = state.clock.now();
    let today = london_today(now);
    check(&input, today)?;
    let txn = begin_write(&state.db).await?;
    let created = consultation::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        title: Set(input.title.trim().to_string()),
        consulting_body: Set(input.consulting_body.trim().to_string()),
        source_url: Set(input.source_url),
        description: Set(input.description.unwrap_or_default()),
        closes_on: Set(input.closes_on),
        internal_deadline: Set(input.internal_deadline),
        status: Set(ConsultationStatus::Open),
        submitted_on: Set(None),
        submission_reference: Set(None),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let questions: Vec<consultation_question::ActiveModel> = input
        .questions
        .into_iter()
        .zip(1..)
        .map(|(q, position)| consultation_question::ActiveModel {
            id: Set(Uuid::now_v7()),
            consultation_id: Set(created.id),
            position: Set(position),
            text: Set(q.text.trim().to_string()),
            guidance: Set(q.guidance.filter(|g| !g.trim().is_empty())),
            word_limit: Set(q.word_limit),
        })
        .collect();
    consultation_question::Entity::insert_many(questions)
        .exec(&txn)
        .await?;
    crate::kernel::events::emit(&txn, now, events::registered(&created, caller.id())).await?;
    let questions = questions_of(&txn, created.id).await?;
    let out = ConsultationDetail {
        consultation: ConsultationOut::new(created, today, Some(caller.user.display_name.clone())),
        questions: questions.into_iter().map(QuestionOut::from).collect(),
    };
    AuditEvent::by(
        caller.id(),
        "consultation.registered",
        EntityKind::Consultation,
        out.consultation.id,
    )
    .forum(forum_id)
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// Every field of a new consultation (422 naming each that is invalid).
fn check(input: &ConsultationIn, today: chrono::NaiveDate) -> ApiResult<()> {
    let mut v = Validator::default();
    check_details(
        &mut v,
        &Details {
            title: Some(&input.title),
            consulting_body: Some(&input.consulting_body),
            source_url: input.source_url.as_deref(),
            description: input.description.as_deref(),
        },
    );
    v.check(
        input.closes_on >= today,
        "closes_on",
        "must be today or later",
    );
    v.check(
        input.internal_deadline >= today,
        "internal_deadline",
        "must be today or later",
    );
    v.check(
        input.internal_deadline <= input.closes_on,
        "internal_deadline",
        "must be no later than closes_on",
    );
    check_questions(&mut v, &input.questions);
    v.finish()
}

fn check_questions(v: &mut Validator, questions: &[QuestionIn]) {
    v.check(
        (1..=MAX_QUESTIONS).contains(&questions.len()),
        "questions",
        &format!("must be 1 to {MAX_QUESTIONS} questions"),
    );
    for (n, q) in questions.iter().enumerate() {
        v.rule::<limits::QuestionText>(&q.text, &format!("questions[{n}].text"));
        if let Some(guidance) = &q.guidance {
            v.rule::<limits::QuestionGuidance>(guidance, &format!("questions[{n}].guidance"));
        }
        if let Some(limit) = q.word_limit {
            v.check(
                (1..=100_000).contains(&limit),
                &format!("questions[{n}].word_limit"),
                "must be 1 to 100,000 words",
            );
        }
    }
}
