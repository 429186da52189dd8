//! Regional Reducing Reoffending Plans and their commitments: the promises
//! that the forum's actions are tied to and the accountability report counts.

mod commitment_changes;
mod commitments;
mod import;
mod links;
mod routes;
mod types;

pub use commitments::load_commitment;
pub use links::{
    WithLinks, commitment_regions, linked_commitments, require_own_region, with_linked_ids,
};
pub use types::{CommitmentOut, PlanOut};

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(commitments::router())
        .merge(commitment_changes::router())
        .merge(import::router())
}

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
