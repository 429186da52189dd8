//! What the agenda's operations share: the agenda as a reader sees it, an
//! item's links, the next place on it, and whether it is open to changes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{AgendaItemStatus, MeetingStatus, agenda_item, agenda_item_commitment, meeting};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::types::{AgendaItemOut, AgendaOut};
use crate::kernel::access::{self, AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::{Named, Names, ONE_NAME, OneName, People, person_name};
use crate::plans::linked_commitments;

/// The most items one agenda holds.
pub const MAX_ITEMS: u64 = 100;

/// Whether the caller may change this meeting's agenda in its present state.
pub fn require_agenda_open(meeting: &meeting::Model, access: &ForumAccess) -> ApiResult<()> {
    match meeting.status {
        MeetingStatus::Cancelled => Err(ApiError::Conflict(
            "this meeting was cancelled; its agenda is closed".into(),
        )),
        MeetingStatus::Held if !access.allows(ForumAction::EditHeldAgenda) => {
            Err(ApiError::Conflict(
                "this meeting has been held; only its secretary may change the agenda".into(),
            ))
        }
        _ => Ok(()),
    }
}

/// Only an item on the agenda of a meeting that has been held can be
/// carried over to the next (409 otherwise); changing a held meeting's
/// agenda is the secretary's ([`require_agenda_open`], under the lock).
pub fn require_carriable(meeting: &meeting::Model, item: &agenda_item::Model) -> ApiResult<()> {
    if meeting.status != MeetingStatus::Held || item.status != AgendaItemStatus::Accepted {
        return Err(ApiError::Conflict(
            "only an item on the agenda of a meeting that has been held can be carried over".into(),
        ));
    }
    Ok(())
}

/// Whether the caller may add an item to this agenda now, proposed or
/// accepted: as [`super::add_item`] decides before it writes.
pub fn may_add_items(meeting: &meeting::Model, access: &ForumAccess) -> bool {
    access.allows(ForumAction::TakePart) && require_agenda_open(meeting, access).is_ok()
}

/// The agenda: accepted items in order, then proposals, then declined items.
/// Items the caller may not read are shown withheld.
pub async fn agenda_as_read(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    access: &ForumAccess,
) -> ApiResult<AgendaOut> {
    let proposer = (agenda_item::Entity, agenda_item::Column::ProposedBy);
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting.id))
        .column_as(person_name(proposer, People::of(access)), ONE_NAME)
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .into_model::<Named<agenda_item::Model, OneName>>()
        .all(conn)
        .await?;
    let rank = |s: AgendaItemStatus| match s {
        AgendaItemStatus::Accepted => 0,
        AgendaItemStatus::Proposed => 1,
        AgendaItemStatus::Declined => 2,
    };
    let ids: Vec<Uuid> = items.iter().map(|i| i.record.id).collect();
    let mut links = links_of(conn, &ids).await?;
    let mut items: Vec<AgendaItemOut> = items
        .into_iter()
        .map(|Named { record: i, names }| {
            let linked = links.remove(&i.id).unwrap_or_default();
            let readable = access.may_read(i.visibility);
            AgendaItemOut::as_read(i, linked, readable, names.one_name)
        })
        .collect();
    items.sort_by_key(|i| (rank(i.status), i.position, i.id));
    let total: i64 = items
        .iter()
        .filter(|i| i.status == AgendaItemStatus::Accepted)
        .filter_map(|i| i.minutes_allotted.map(i64::from))
        .sum();
    let length = (meeting.ends_at - meeting.starts_at).num_minutes();
    Ok(AgendaOut {
        items,
        total_minutes_allotted: total,
        meeting_minutes: length,
        minutes_over: Ord::max(total - length, 0),
    })
}

/// Who proposed the item, by name: only the forum's participants read
/// agendas, so people are named (one statement).
pub async fn proposer_name(
    conn: &impl ConnectionTrait,
    item: &agenda_item::Model,
) -> ApiResult<Option<String>> {
    let by = item.proposed_by;
    Ok(Names::load(conn, People::Named, [by], []).await?.person(by))
}

/// The commitments linked to each of some agenda items, in one query.
pub async fn links_of(
    conn: &impl ConnectionTrait,
    item_ids: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<Uuid>>> {
    linked_commitments::<agenda_item_commitment::Entity>(
        conn,
        agenda_item_commitment::Column::AgendaItemId,
        agenda_item_commitment::Column::CommitmentId,
        item_ids,
    )
    .await
}

pub async fn replace_links(
    conn: &impl ConnectionTrait,
    item_id: Uuid,
    commitment_ids: &[Uuid],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    agenda_item_commitment::Entity::delete_many()
        .filter(agenda_item_commitment::Column::AgendaItemId.eq(item_id))
        .exec(conn)
        .await?;
    if !commitment_ids.is_empty() {
        agenda_item_commitment::Entity::insert_many(commitment_ids.iter().map(|c| {
            agenda_item_commitment::ActiveModel {
                agenda_item_id: Set(item_id),
                commitment_id: Set(*c),
                created_at: Set(now),
            }
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

/// The place after the last accepted item. Only meaningful while the
/// meeting is locked: otherwise two writers could both be given it.
pub async fn next_position(conn: &impl ConnectionTrait, meeting_id: Uuid) -> ApiResult<i32> {
    let max: Option<Option<i32>> = agenda_item::Entity::find()
        .select_only()
        .column_as(Expr::col(agenda_item::Column::Position).max(), "max")
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// The item and its meeting; 404 unless the caller takes part in the forum.
pub async fn load_item(
    conn: &impl ConnectionTrait,
    id: Uuid,
    user: &AuthUser,
) -> ApiResult<(agenda_item::Model, meeting::Model, ForumAccess)> {
    let item = agenda_item::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("agenda item"))?;
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(conn, item.meeting_id, Some(user))
            .await
            .map_err(|err| match err {
                ApiError::NotFound(_) => ApiError::not_found("agenda item"),
                other => other,
            })?;
    Ok((item, meeting, access))
}
