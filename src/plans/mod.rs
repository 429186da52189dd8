//! Regional Reducing Reoffending Plans and their commitments: the promises
//! that the forum's actions are tied to and the accountability report counts.
//!
//! Each operation takes the caller and its input and makes the whole
//! decision — who may, what is valid, the conditional write, the history,
//! the report's counters, the outbox event and the audit entry, in one
//! transaction — and knows nothing of HTTP: `api::plans` is its JSON face.

mod commitment_changes;
mod commitments;
pub mod events;
mod import;
mod links;
mod plan;
mod queries;
mod spreadsheet;
mod types;

pub use commitment_changes::{change_commitment, commitment, history};
pub use commitments::{add_commitment, all_commitments, commitments};
pub use import::{ImportOut, ImportQuery, MAX_IMPORT_BYTES, import_commitments};
pub use links::{
    CommitmentLabel, WithLinks, commitment_labels, commitment_regions, current_commitments,
    linked_commitments, matching_current_commitments, require_own_region, with_linked_ids,
};
pub use plan::{correct, get, list, publish};
pub use types::{
    CommitmentIn, CommitmentOut, CommitmentPatch, CommitmentQuery, PlanIn, PlanOut, PlanPatch,
    StatusChangeOut,
};

/// A commitment as anyone reads it (`GET /commitments/{id}`), for the
/// integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    Ok(entity::commitment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .and_then(|c| serde_json::to_value(CommitmentOut::from(c)).ok()))
}
