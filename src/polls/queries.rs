use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    ConsultationStatus, MembershipStatus, agenda_item, consultation, forum_membership, meeting,
    organisation, poll, poll_option, poll_vote, poll_vote_choice,
};
use sea_orm::sea_query::{Expr, ExprTrait, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef,
    Select, Set,
};
use uuid::Uuid;

use super::types::{OptionTally, PollStatus, VoteOut, VoterOut};
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
/// [`PollStatus::of`], in SQL.
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

/// Whether the organisation is an active member of the forum, read with the
/// membership share-locked: a suspension waits for the vote being cast, and
/// a vote cast after one sees it.
pub async fn is_active_member(
    txn: &DatabaseTransaction,
    forum_id: Uuid,
    organisation_id: Uuid,
) -> Result<bool, DbErr> {
    let membership = forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum_id))
        .filter(forum_membership::Column::OrganisationId.eq(organisation_id))
        .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
        .lock(LockType::Share)
        .one(txn)
        .await?;
    Ok(membership.is_some())
}

/// Records the organisation's vote, replacing any earlier one, in three
/// statements and no read; gives the time it was cast as stored. The upsert
/// takes the vote's row lock (on PostgreSQL a second upsert of the same row
/// waits for the first to commit), so two people of one organisation voting
/// at once are serialised there: the second then deletes the choices the
/// first committed and writes its own, and exactly one set of choices remains.
pub async fn cast(txn: &DatabaseTransaction, vote: &VoteOut) -> Result<DateTime<Utc>, DbErr> {
    let stored = poll_vote::Entity::insert(poll_vote::ActiveModel {
        poll_id: Set(vote.poll_id),
        organisation_id: Set(vote.organisation_id),
        cast_by: Set(vote.cast_by),
        cast_at: Set(vote.cast_at),
    })
    .on_conflict(
        OnConflict::columns([poll_vote::Column::PollId, poll_vote::Column::OrganisationId])
            .update_columns([poll_vote::Column::CastBy, poll_vote::Column::CastAt])
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    poll_vote_choice::Entity::delete_many()
        .filter(poll_vote_choice::Column::PollId.eq(vote.poll_id))
        .filter(poll_vote_choice::Column::OrganisationId.eq(vote.organisation_id))
        .exec(txn)
        .await?;
    poll_vote_choice::Entity::insert_many(vote.option_ids.iter().map(|option_id| {
        poll_vote_choice::ActiveModel {
            poll_id: Set(vote.poll_id),
            organisation_id: Set(vote.organisation_id),
            option_id: Set(*option_id),
        }
    }))
    .exec_without_returning(txn)
    .await?;
    Ok(stored.cast_at)
}

/// `poll_vote_choices JOIN poll_options`: each choice with its option.
fn option_of_choice() -> RelationDef {
    poll_vote_choice::Entity::belongs_to(poll_option::Entity)
        .from(poll_vote_choice::Column::OptionId)
        .to(poll_option::Column::Id)
        .into()
}

/// The choices of a poll's votes (of one organisation's, when given), as
/// `(organisation, option)` in the options' order: one query.
async fn choices(
    conn: &impl ConnectionTrait,
    poll_id: Uuid,
    organisation_id: Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<Uuid>>, DbErr> {
    let mut select = poll_vote_choice::Entity::find()
        .select_only()
        .column(poll_vote_choice::Column::OrganisationId)
        .column(poll_vote_choice::Column::OptionId)
        .join(JoinType::InnerJoin, option_of_choice())
        .filter(poll_vote_choice::Column::PollId.eq(poll_id));
    if let Some(organisation_id) = organisation_id {
        select = select.filter(poll_vote_choice::Column::OrganisationId.eq(organisation_id));
    }
    let rows: Vec<(Uuid, Uuid)> = select
        .order_by_asc(poll_option::Column::Position)
        .into_tuple()
        .all(conn)
        .await?;
    let mut by_organisation: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (organisation_id, option_id) in rows {
        by_organisation
            .entry(organisation_id)
            .or_default()
            .push(option_id);
    }
    Ok(by_organisation)
}

/// The organisation's vote in the poll, if it has cast one.
pub async fn vote_of(
    conn: &impl ConnectionTrait,
    poll_id: Uuid,
    organisation_id: Uuid,
) -> Result<Option<VoteOut>, DbErr> {
    let Some(vote) = poll_vote::Entity::find_by_id((poll_id, organisation_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let option_ids = choices(conn, poll_id, Some(organisation_id))
        .await?
        .remove(&organisation_id)
        .unwrap_or_default();
    Ok(Some(VoteOut {
        poll_id,
        organisation_id,
        option_ids,
        cast_by: vote.cast_by,
        cast_at: vote.cast_at,
    }))
}

/// Every option of the poll with the organisations that chose it, in order:
/// one grouped query (options nobody chose count 0).
pub async fn tally(conn: &impl ConnectionTrait, poll_id: Uuid) -> Result<Vec<OptionTally>, DbErr> {
    let rows: Vec<(Uuid, String, i64)> = poll_option::Entity::find()
        .select_only()
        .column(poll_option::Column::Id)
        .column(poll_option::Column::Label)
        .column_as(
            Expr::col((poll_vote_choice::Entity, poll_vote_choice::Column::OptionId)).count(),
            "votes",
        )
        .join(JoinType::LeftJoin, option_of_choice().rev())
        .filter(poll_option::Column::PollId.eq(poll_id))
        .group_by(poll_option::Column::Id)
        .group_by(poll_option::Column::Label)
        .group_by(poll_option::Column::Position)
        .order_by_asc(poll_option::Column::Position)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(option_id, label, votes)| OptionTally {
            option_id,
            label,
            votes: u64::try_from(votes).unwrap_or(0),
        })
        .collect())
}

/// The organisations that voted, by name, with their choices when the
/// poll's voting is open (`open_voting`): two queries at most.
pub async fn voters(
    conn: &impl ConnectionTrait,
    poll_id: Uuid,
    open_voting: bool,
) -> Result<Vec<VoterOut>, DbErr> {
    let rows: Vec<(Uuid, String)> = poll_vote::Entity::find()
        .select_only()
        .column(poll_vote::Column::OrganisationId)
        .column(organisation::Column::Name)
        .join(
            JoinType::InnerJoin,
            poll_vote::Entity::belongs_to(organisation::Entity)
                .from(poll_vote::Column::OrganisationId)
                .to(organisation::Column::Id)
                .into(),
        )
        .filter(poll_vote::Column::PollId.eq(poll_id))
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(poll_vote::Column::OrganisationId)
        .into_tuple()
        .all(conn)
        .await?;
    let mut chosen = if open_voting {
        choices(conn, poll_id, None).await?
    } else {
        HashMap::new()
    };
    Ok(rows
        .into_iter()
        .map(|(organisation_id, name)| VoterOut {
            option_ids: open_voting.then(|| chosen.remove(&organisation_id).unwrap_or_default()),
            organisation_id,
            name,
        })
        .collect())
}

/// Organisations with an active membership of the forum now.
pub async fn eligible_organisations(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
) -> Result<u64, DbErr> {
    forum_membership::Entity::find()
        .filter(forum_membership::Column::ForumId.eq(forum_id))
        .filter(forum_membership::Column::Status.eq(MembershipStatus::Active))
        .count(conn)
        .await
}
