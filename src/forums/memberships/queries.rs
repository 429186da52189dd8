use entity::{ForumRole, MembershipStatus, forum_membership, forum_role, user};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

/// The open (applied, active or suspended) membership of an organisation, if any.
pub async fn open_membership(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    organisation_id: Uuid,
) -> Result<Option<forum_membership::Model>, DbErr> {
    forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum_id))
        .filter(forum_membership::Column::OrganisationId.eq(organisation_id))
        .filter(forum_membership::Column::Status.is_in([
            MembershipStatus::Applied,
            MembershipStatus::Active,
            MembershipStatus::Suspended,
        ]))
        .one(conn)
        .await
}

/// Ends the `member` roles in this forum of everyone in the organisation:
/// a suspended or departed organisation's people no longer speak for it.
pub async fn end_member_roles(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    organisation_id: Uuid,
) -> Result<u64, DbErr> {
    let people = Query::select()
        .column(user::Column::Id)
        .from(user::Entity)
        .and_where(user::Column::OrganisationId.eq(organisation_id))
        .to_owned();
    let ended = forum_role::Entity::delete_many()
        .filter(forum_role::Column::ForumId.eq(forum_id))
        .filter(forum_role::Column::Role.eq(ForumRole::Member))
        .filter(forum_role::Column::UserId.in_subquery(people))
        .exec(conn)
        .await?;
    Ok(ended.rows_affected)
}
