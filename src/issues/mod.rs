//! Issues a forum raises with the Regional Probation Director's team, and the
//! team's answers: the loop that makes the RPD accountable to the forum.

mod changes;
mod queries;
mod responses;
mod routes;
mod types;

pub use queries::{open_issues_per_commitment, responsiveness};

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(changes::router())
        .merge(responses::router())
}

/// An issue as its forum's participants read it (`GET /issues/{id}`), for
/// the integrations told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
    today: chrono::NaiveDate,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    let Some(issue) = entity::raised_issue::Entity::find_by_id(id)
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
    Ok(serde_json::to_value(types::IssueOut::new(issue, links, today)).ok())
}
