//! The votes as stored: cast (replacing an organisation's earlier vote),
//! read back, and counted.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    MembershipStatus, forum_membership, organisation, poll_option, poll_vote, poll_vote_choice,
};
use sea_orm::sea_query::{Expr, ExprTrait, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};
use uuid::Uuid;

use super::types::{OptionTally, VoteNames, VoteOut, VoterOut};
use crate::kernel::names::{Named, People, organisation_name, person_name};

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
    // Only the forum's participants read polls, so people are named.
    let col = |c: poll_vote::Column| (poll_vote::Entity, c);
    let Some(Named {
        record: vote,
        names,
    }) = poll_vote::Entity::find_by_id((poll_id, organisation_id))
        .column_as(
            organisation_name(col(poll_vote::Column::OrganisationId)),
            "organisation_name",
        )
        .column_as(
            person_name(col(poll_vote::Column::CastBy), People::Named),
            "cast_by_name",
        )
        .into_model::<Named<poll_vote::Model, VoteNames>>()
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
        organisation_name: names.organisation_name,
        option_ids,
        cast_by: vote.cast_by,
        cast_by_name: names.cast_by_name,
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
