//! Forums (one per region), the organisations that are members of them, and
//! the roles people hold in them. Each operation makes its whole decision
//! without HTTP; `api::forums` is its JSON face.

mod change;
mod create;
pub mod dashboard;
pub mod events;
mod memberships;
mod queries;
mod read;
mod role_changes;
mod roles;
mod types;

pub use change::change;
pub use create::create;
pub use memberships::{
    MembershipChange, MembershipIn, MembershipOut, MembershipQuery, apply, decide, membership,
    memberships,
};
pub use queries::{active_member_ids, active_member_names, region_code};
pub use read::{get, list};
pub use role_changes::{assign_role, remove_role};
pub use roles::{RoleCandidate, RoleCandidates, role_candidates, roles};
pub use types::{
    ForumDetail, ForumIn, ForumOut, ForumPatch, ForumQuery, RoleAssigned, RoleIn, RoleOut,
    RoleQuery,
};

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
