//! A forum's records read by id: the one loader for every kind of record
//! that only the forum's participants see.

use entity::{action_item, consultation, meeting, poll, raised_issue};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};

/// A table whose rows each belong to one forum.
pub trait ForumRecord: EntityTrait {
    /// What the API calls a row, for problem details: "action".
    const NOUN: &'static str;
    fn forum_of(model: &Self::Model) -> Uuid;
}

macro_rules! forum_record {
    ($entity:path, $noun:literal) => {
        impl ForumRecord for $entity {
            const NOUN: &'static str = $noun;
            fn forum_of(model: &Self::Model) -> Uuid {
                model.forum_id
            }
        }
    };
}

forum_record!(action_item::Entity, "action");
forum_record!(raised_issue::Entity, "issue");
forum_record!(meeting::Entity, "meeting");
forum_record!(poll::Entity, "poll");
forum_record!(consultation::Entity, "consultation");

/// The record and the caller's access to its forum: 404 unless the caller
/// takes part in the forum (401 when not signed in), so that someone of
/// another forum cannot learn that the record exists.
pub async fn load_visible<E: ForumRecord>(
    conn: &impl ConnectionTrait,
    id: Uuid,
    caller: Option<&AuthUser>,
) -> ApiResult<(E::Model, ForumAccess)>
where
    E::PrimaryKey: sea_orm::PrimaryKeyTrait<ValueType = Uuid>,
{
    let record = E::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found(E::NOUN))?;
    let access = visible_to::<E>(conn, &record, caller).await?;
    Ok((record, access))
}

/// As [`load_visible`], for a record already read (with more of its own
/// in the same statement): the caller's access to its forum, 404 unless
/// they take part in it (401 when not signed in).
pub async fn visible_to<E: ForumRecord>(
    conn: &impl ConnectionTrait,
    record: &E::Model,
    caller: Option<&AuthUser>,
) -> ApiResult<ForumAccess> {
    let access = ForumAccess::load(conn, E::forum_of(record), caller).await?;
    access.require_visible(ForumAction::ReadParticipantRecords, E::NOUN)?;
    Ok(access)
}
