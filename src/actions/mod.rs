//! Action items: what a forum agreed to do, who owns it, when it is due, the
//! log of progress on it, and the plan commitments it is work towards.

mod links;
mod queries;
mod routes;
mod types;
mod updates;

pub use queries::check_meeting;
pub(crate) use routes::create;
pub use types::{ActionIn, ActionOut};

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(updates::router())
        .merge(links::router())
}

/// An action as its forum's participants read it (`GET /actions/{id}`),
/// for the integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    let Some(action) = entity::action_item::Entity::find_by_id(id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let links = queries::commitment_ids_of(conn, &[id])
        .await
        .map_err(|err| sea_orm::DbErr::Custom(err.to_string()))?
        .remove(&id)
        .unwrap_or_default();
    Ok(serde_json::to_value(ActionOut::new(action, links, today)).ok())
}
