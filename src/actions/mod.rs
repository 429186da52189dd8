//! Action items: what a forum agreed to do, who owns it, when it is due, the
//! log of progress on it, and the plan commitments it is work towards.
//!
//! Each operation takes the caller and its input and makes the whole
//! decision — who may, what is valid, the conditional write, the report's
//! counters, the outbox event and the audit entry, in one transaction — and
//! knows nothing of HTTP: `api::actions` is its JSON face.

mod change;
mod create;
mod detail;
pub mod events;
mod links;
mod progress;
mod queries;
mod read;
mod types;

pub use change::change;
pub use create::{check_new, create, insert};
pub use detail::{ActionDetail, Origin, OriginItem, detail};
pub use links::{link, unlink};
pub use progress::{log_progress, progress};
pub use queries::check_meeting;
pub use read::{all, for_commitment, get, list};
pub use types::{ActionIn, ActionOut, ActionPatch, ActionQuery, UpdateIn, UpdateOut};

/// An action as its forum's participants read it (`GET /actions/{id}`),
/// for the integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    let found = queries::read_one(conn, id)
        .await
        .map_err(|err| sea_orm::DbErr::Custom(err.to_string()))?;
    Ok(found.and_then(|row| serde_json::to_value(ActionOut::listed(row, today)).ok()))
}
