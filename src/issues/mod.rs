//! Issues a forum raises with the Regional Probation Director's team, and the
//! team's answers: the loop that makes the RPD accountable to the forum.
//!
//! Each operation takes the caller and its input and makes the whole
//! decision — who may, what is valid, the conditional write, the report's
//! counters, the outbox event and the audit entry, in one transaction — and
//! knows nothing of HTTP: `api::issues` is its JSON face.

pub mod awaiting;
mod changes;
pub mod events;
mod queries;
mod raise;
mod read;
mod responses;
mod types;

pub use changes::change;
pub use queries::{open_issues_per_commitment, responsiveness};
pub use raise::{raise, raise_with_evidence};
pub use read::{all, get, list, newest, responses};
pub use responses::{respond, respond_with_evidence};
pub use types::{
    IssueChange, IssueDetail, IssueIn, IssueOut, IssueQuery, ResponseIn, ResponseOut,
    Responsiveness,
};

/// An issue as its forum's participants read it (`GET /issues/{id}`), for
/// the integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    let found = queries::read_one(conn, id)
        .await
        .map_err(|err| sea_orm::DbErr::Custom(err.to_string()))?;
    Ok(found.and_then(|row| serde_json::to_value(types::IssueOut::listed(row, today)).ok()))
}
