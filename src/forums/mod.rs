//! Forums (one per region), the organisations that are members of them, and
//! the roles people hold in them.

mod memberships;
mod queries;
mod role_changes;
mod roles;
mod routes;
mod types;

pub use queries::{active_member_ids, region_code};

use utoipa_axum::router::OpenApiRouter;

use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
        .merge(memberships::router())
        .merge(roles::router())
}

/// A forum as anyone reads it (`GET /forums/{id}`), for the integrations
/// told of it.
pub async fn representation(
    conn: &impl sea_orm::ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    let Some(forum) = entity::forum::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    Ok(serde_json::to_value(queries::forum_out(conn, forum).await?).ok())
}
