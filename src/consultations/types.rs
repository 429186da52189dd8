use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    ConsultationStatus, consultation, consultation_answer, consultation_contribution,
    consultation_question,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::rules::word_count;
use crate::kernel::limits;
use crate::kernel::patch::{self, Apply, nullable, present};

/// Most questions a consultation may ask.
pub const MAX_QUESTIONS: usize = 100;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionIn {
    #[schema(schema_with = limits::QuestionText::schema)]
    pub text: String,
    #[schema(schema_with = limits::QuestionGuidance::nullable)]
    pub guidance: Option<String>,
    /// Most words a contribution or the joint answer may have (1–100,000).
    #[schema(minimum = 1, maximum = 100_000)]
    pub word_limit: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationIn {
    #[schema(schema_with = limits::ConsultationTitle::schema)]
    pub title: String,
    /// Who is consulting (e.g. "Ministry of Justice").
    #[schema(schema_with = limits::ConsultingBody::schema)]
    pub consulting_body: String,
    /// Where the consultation is published (http or https).
    #[schema(schema_with = limits::SourceUrl::nullable)]
    pub source_url: Option<String>,
    #[schema(schema_with = limits::ConsultationDescription::nullable)]
    pub description: Option<String>,
    /// The consultation's own closing date (today or later).
    pub closes_on: NaiveDate,
    /// The forum's deadline for contributions: today or later, and no later
    /// than `closes_on`.
    pub internal_deadline: NaiveDate,
    /// 1–100 questions, in order.
    #[schema(min_items = 1, max_items = 100)]
    pub questions: Vec<QuestionIn>,
}

/// A change to a consultation: its details (officers and the region's RPD
/// staff, while it is open or being drafted), or a move of its status
/// (officers) with what goes with it: `submitted_on` and
/// `submission_reference` for `submitted`, `withdrawn_reason` for
/// `withdrawn`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsultationPatch {
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ConsultationTitle::schema)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ConsultingBody::schema)]
    pub consulting_body: Option<String>,
    /// `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = limits::SourceUrl::nullable)]
    pub source_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::ConsultationDescription::schema)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub closes_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub internal_deadline: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<ConsultationStatus>,
    /// With `status: submitted`: when it was sent (default today).
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub submitted_on: Option<NaiveDate>,
    /// With `status: submitted`: a link to, or reference of, what was sent.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::SubmissionReference::schema)]
    pub submission_reference: Option<String>,
    /// With `status: withdrawn`: why.
    #[serde(default, deserialize_with = "present")]
    #[schema(schema_with = limits::WithdrawnReason::schema)]
    pub withdrawn_reason: Option<String>,
}

impl Apply for ConsultationPatch {
    type ActiveModel = consultation::ActiveModel;

    /// The details; a move of its status, and what goes with one, the state
    /// machine decides.
    fn apply(self, to: &mut consultation::ActiveModel) {
        patch::set(&mut to.title, self.title.map(patch::trimmed));
        patch::set(
            &mut to.consulting_body,
            self.consulting_body.map(patch::trimmed),
        );
        patch::set(&mut to.source_url, self.source_url);
        patch::set(&mut to.description, self.description);
        patch::set(&mut to.closes_on, self.closes_on);
        patch::set(&mut to.internal_deadline, self.internal_deadline);
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionOut {
    pub id: Uuid,
    /// 1 for the first question.
    pub number: i32,
    pub text: String,
    pub guidance: Option<String>,
    pub word_limit: Option<i32>,
}

impl From<consultation_question::Model> for QuestionOut {
    fn from(q: consultation_question::Model) -> Self {
        Self {
            id: q.id,
            number: q.position,
            text: q.text,
            guidance: q.guidance,
            word_limit: q.word_limit,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConsultationOut {
    pub id: Uuid,
    pub forum_id: Uuid,
    pub title: String,
    pub consulting_body: String,
    pub source_url: Option<String>,
    pub description: String,
    pub closes_on: NaiveDate,
    pub internal_deadline: NaiveDate,
    pub status: ConsultationStatus,
    /// Whether member organisations may contribute now: open, and the
    /// internal deadline not passed (London's date).
    pub contributions_open: bool,
    pub submitted_on: Option<NaiveDate>,
    pub submission_reference: Option<String>,
    pub withdrawn_reason: Option<String>,
    /// Submitted on or before `closes_on`.
    pub responded_in_time: Option<bool>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    /// The display name of who registered it, for those who take part in
    /// the forum; `null` for anyone else.
    pub created_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ConsultationOut {
    pub fn new(c: consultation::Model, today: NaiveDate, created_by_name: Option<String>) -> Self {
        Self {
            created_by_name,
            contributions_open: contributions_open(&c, today),
            responded_in_time: c.submitted_on.map(|on| on <= c.closes_on),
            id: c.id,
            forum_id: c.forum_id,
            title: c.title,
            consulting_body: c.consulting_body,
            source_url: c.source_url,
            description: c.description,
            closes_on: c.closes_on,
            internal_deadline: c.internal_deadline,
            status: c.status,
            submitted_on: c.submitted_on,
            submission_reference: c.submission_reference,
            withdrawn_reason: c.withdrawn_reason,
            version: c.version,
            created_by: c.created_by,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// Contributions are taken while a consultation is open, until the end of
/// its internal deadline.
pub fn contributions_open(c: &consultation::Model, today: NaiveDate) -> bool {
    c.status == ConsultationStatus::Open && today <= c.internal_deadline
}

/// A consultation with its questions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConsultationDetail {
    #[serde(flatten)]
    pub consultation: ConsultationOut,
    pub questions: Vec<QuestionOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConsultationQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    pub status: Option<ConsultationStatus>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionIn {
    /// A question of this consultation.
    pub question_id: Uuid,
    /// Markdown, within the question's word limit.
    #[schema(schema_with = limits::ContributionBody::schema)]
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionEdit {
    /// Markdown, within the question's word limit.
    #[schema(schema_with = limits::ContributionBody::schema)]
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ContributionOut {
    pub id: Uuid,
    pub consultation_id: Uuid,
    pub question_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub body: String,
    pub words: usize,
    pub version: i32,
    pub written_by: Option<Uuid>,
    /// Their display name (only the forum's participants read
    /// contributions); `null` when they are unknown.
    pub written_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ContributionOut {
    pub fn new(
        c: consultation_contribution::Model,
        organisation_name: String,
        written_by_name: Option<String>,
    ) -> Self {
        Self {
            written_by_name,
            words: word_count(&c.body),
            id: c.id,
            consultation_id: c.consultation_id,
            question_id: c.question_id,
            organisation_id: c.organisation_id,
            organisation_name,
            body: c.body,
            version: c.version,
            written_by: c.written_by,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ContributionQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only contributions to this question.
    pub question_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerIn {
    /// Markdown, within the question's word limit.
    #[schema(schema_with = limits::AnswerBody::schema)]
    pub body: String,
    /// Contributions to this question that the answer draws on.
    #[serde(default)]
    pub cites: Vec<Uuid>,
}

/// An organisation whose contribution an answer draws on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Citation {
    pub contribution_id: Uuid,
    pub organisation_id: Uuid,
    pub organisation_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerOut {
    pub id: Uuid,
    pub question_id: Uuid,
    pub body: String,
    pub words: usize,
    pub cites: Vec<Citation>,
    pub version: i32,
    pub edited_by: Option<Uuid>,
    /// Their display name, for those who take part in the forum; `null`
    /// for anyone else.
    pub edited_by_name: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl AnswerOut {
    pub fn new(
        a: consultation_answer::Model,
        cites: Vec<Citation>,
        edited_by_name: Option<String>,
    ) -> Self {
        Self {
            edited_by_name,
            words: word_count(&a.body),
            id: a.id,
            question_id: a.question_id,
            body: a.body,
            cites,
            version: a.version,
            edited_by: a.edited_by,
            updated_at: a.updated_at,
        }
    }
}

/// A question of the joint response, and the forum's answer to it so far.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResponseQuestion {
    #[serde(flatten)]
    pub question: QuestionOut,
    pub answer: Option<AnswerOut>,
    /// How many organisations contributed to it (for the forum's
    /// participants; absent from the public record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contributions: Option<u64>,
}

/// The forum's joint response to a consultation, question by question.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JointResponse {
    pub consultation: ConsultationOut,
    pub questions: Vec<ResponseQuestion>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AnswerRevisionOut {
    pub version: i32,
    pub body: String,
    /// The contributions it cited.
    pub cites: Vec<Uuid>,
    pub edited_by: Option<Uuid>,
    /// Their display name (only the forum's participants read revisions);
    /// `null` when they are unknown.
    pub edited_by_name: Option<String>,
    pub edited_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    /// `null` clears what may be empty and is refused for the rest, as
    /// the schema says.
    #[test]
    fn patches_follow_the_null_rule() {
        crate::kernel::patch::assert_null_rule::<super::ConsultationPatch>();
    }
}
