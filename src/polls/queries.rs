//! Reading and writing polls and their options, and the checks their
//! writes share.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    ConsultationStatus, PollStatus, agenda_item, consultation, meeting, poll, poll_option,
};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, JoinType, QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult};

crate::versioned!(entity::poll::Entity, "poll");

/// The poll as it is now, read inside a write transaction and locked until
/// it commits (see `meetings::queries::lock_meeting`). Votes share the lock,
/// so many are cast at once; an edit takes it alone (`NoKeyUpdate`), so it
/// waits for the votes being cast and they wait for it.
pub async fn lock_poll(
    txn: &DatabaseTransaction,
    id: Uuid,
    lock: LockType,
) -> ApiResult<poll::Model> {
    poll::Entity::find_by_id(id)
        .lock(lock)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::not_found("poll"))
}

/// The options of some polls, each poll's in order: one query.
pub async fn options_of(
    conn: &impl ConnectionTrait,
    poll_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<poll_option::Model>>, DbErr> {
    let mut by_poll: HashMap<Uuid, Vec<poll_option::Model>> = HashMap::new();
    if poll_ids.is_empty() {
        return Ok(by_poll);
    }
    let options = poll_option::Entity::find()
        .filter(poll_option::Column::PollId.is_in(poll_ids.iter().copied()))
        .order_by_asc(poll_option::Column::PollId)
        .order_by_asc(poll_option::Column::Position)
        .all(conn)
        .await?;
    for option in options {
        by_poll.entry(option.poll_id).or_default().push(option);
    }
    Ok(by_poll)
}

pub async fn options_of_one(
    conn: &impl ConnectionTrait,
    poll_id: Uuid,
) -> Result<Vec<poll_option::Model>, DbErr> {
    Ok(options_of(conn, &[poll_id])
        .await?
        .remove(&poll_id)
        .unwrap_or_default())
}

/// Writes a poll's options, numbered from 1 in the order given.
pub async fn insert_options(
    txn: &DatabaseTransaction,
    poll_id: Uuid,
    labels: &[String],
) -> Result<Vec<poll_option::Model>, DbErr> {
    let options: Vec<poll_option::Model> = labels
        .iter()
        .zip(1..)
        .map(|(label, position)| poll_option::Model {
            id: Uuid::now_v7(),
            poll_id,
            position,
            label: label.clone(),
        })
        .collect();
    poll_option::Entity::insert_many(options.iter().cloned().map(|o| o.into_active_model()))
        .exec_without_returning(txn)
        .await?;
    Ok(options)
}

/// Replaces a poll's options wholesale (only before it opens, when no vote
/// can refer to them).
pub async fn replace_options(
    txn: &DatabaseTransaction,
    poll_id: Uuid,
    labels: &[String],
) -> Result<Vec<poll_option::Model>, DbErr> {
    poll_option::Entity::delete_many()
        .filter(poll_option::Column::PollId.eq(poll_id))
        .exec(txn)
        .await?;
    insert_options(txn, poll_id, labels).await
}

/// The polls standing where `status` says at `now`: the same rule as
/// [`poll::Model::status_at`], in SQL.
pub fn in_status(status: PollStatus, now: DateTime<Utc>) -> Condition {
    let live = Condition::all().add(poll::Column::CancelledAt.is_null());
    match status {
        PollStatus::Cancelled => Condition::all().add(poll::Column::CancelledAt.is_not_null()),
        PollStatus::Upcoming => live.add(poll::Column::OpensAt.gt(now)),
        PollStatus::Open => live
            .add(poll::Column::OpensAt.lte(now))
            .add(poll::Column::ClosesAt.gt(now)),
        PollStatus::Closed => live.add(poll::Column::ClosesAt.lte(now)),
    }
}

/// The forum's polls matching the list's filter, newest first.
pub fn newest_first(
    forum_id: Uuid,
    status: Option<PollStatus>,
    now: DateTime<Utc>,
) -> Select<poll::Entity> {
    let mut select = poll::Entity::find().filter(poll::Column::ForumId.eq(forum_id));
    if let Some(status) = status {
        select = select.filter(in_status(status, now));
    }
    select.order_by_desc(poll::Column::Id)
}

/// Whether the agenda item is one of a meeting of this forum.
pub async fn is_forums_agenda_item(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    item_id: Uuid,
) -> Result<bool, DbErr> {
    let found = agenda_item::Entity::find_by_id(item_id)
        .join(
            JoinType::InnerJoin,
            agenda_item::Entity::belongs_to(meeting::Entity)
                .from(agenda_item::Column::MeetingId)
                .to(meeting::Column::Id)
                .into(),
        )
        .filter(meeting::Column::ForumId.eq(forum_id))
        .one(conn)
        .await?;
    Ok(found.is_some())
}

/// Whether the consultation is one of this forum's.
pub async fn is_forums_consultation(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    consultation_id: Uuid,
) -> Result<bool, DbErr> {
    let found = consultation::Entity::find_by_id(consultation_id)
        .one(conn)
        .await?;
    Ok(found.is_some_and(|c| c.forum_id == forum_id))
}

/// Takes a consultation for a poll (`poll_id`, when it is an existing one):
/// it must be drafting its response, with no other poll on it upcoming or
/// open (409 otherwise). Its row is locked until the transaction commits,
/// so of two polls put to one consultation at once the second finds the
/// first, and the consultation cannot move on meanwhile.
pub async fn hold_consultation(
    txn: &DatabaseTransaction,
    consultation_id: Uuid,
    poll_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let consultation = consultation::Entity::find_by_id(consultation_id)
        .lock(LockType::NoKeyUpdate)
        .one(txn)
        .await?
        .ok_or_else(|| {
            ApiError::invalid("consultation_id", "is not a consultation of this forum")
        })?;
    if consultation.status != ConsultationStatus::Drafting {
        return Err(ApiError::Conflict(format!(
            "this consultation is {}; a poll agrees its response only while it is drafting",
            consultation.status.as_str()
        )));
    }
    let mut others = poll::Entity::find()
        .filter(poll::Column::ConsultationId.eq(consultation_id))
        .filter(poll::Column::CancelledAt.is_null())
        .filter(poll::Column::ClosesAt.gt(now));
    if let Some(poll_id) = poll_id {
        others = others.filter(poll::Column::Id.ne(poll_id));
    }
    if let Some(other) = others.one(txn).await? {
        return Err(ApiError::Conflict(format!(
            "poll {} on this consultation is still to close; cancel it first",
            other.id
        )));
    }
    Ok(())
}
