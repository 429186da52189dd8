//! Consultations: the forum's member organisations contribute, its officers
//! compose one joint response citing them, the members agree it by poll,
//! and it is submitted — then public.
//!
//! Each operation takes the caller and its input and makes the whole
//! decision — who may, what is valid, the conditional write, the outbox
//! event and the audit entry, in one transaction — and knows nothing of
//! HTTP: `api::consultations` is its JSON face.

mod answer;
mod change;
mod contributions;
pub mod events;
mod queries;
mod read;
mod register;
mod response;
mod rules;
mod status;
mod types;

pub use answer::answer;
pub use change::change;
pub use contributions::{contribute, contribution, contributions, edit_contribution};
pub use queries::{contributions_open, lock_consultation, london_today};
pub use read::{get, list, submitted};
pub use register::register;
pub use response::{answer_revisions, joint_response};
pub use types::{
    AnswerIn, AnswerOut, AnswerRevisionOut, ConsultationDetail, ConsultationIn, ConsultationOut,
    ConsultationPatch, ConsultationQuery, ContributionEdit, ContributionIn, ContributionOut,
    ContributionQuery, JointResponse, QuestionIn,
};
