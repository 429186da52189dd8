//! A meeting's agenda: members propose items, officers accept, decline,
//! edit, delete and order them. Once a meeting is held only its secretary
//! may change the agenda; a cancelled meeting's agenda is closed.
//!
//! Every write to an agenda first locks its meeting's row
//! ([`super::MeetingLock::Exclusive`]), so the writes to one agenda happen one at a
//! time, each on the agenda as the previous one left it. Item versions alone
//! could not give that: two officers accepting two different proposals
//! would both read the same last position and give both items the same
//! place; a reorder must keep the set of accepted items it checked while it
//! writes their positions; and two reorders must not mix. The lock is also
//! what makes "the meeting is not cancelled" hold until the write commits.
//! Changes to one item are in addition conditional on the version this
//! request read ([`crate::kernel::versioning::save`]): the loser of a race over an item is
//! refused (412 with `If-Match`, 409 naming the state it found without),
//! never applied on top of the winner.

mod items;
mod order;
pub mod outcomes;
mod proposals;
mod types;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{AgendaItemStatus, MeetingStatus, agenda_item, agenda_item_commitment, meeting};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::plans::linked_commitments;
pub use outcomes::held_agenda;
pub use types::{
    AgendaItemIn, AgendaItemOut, AgendaItemPatch, AgendaOrderIn, AgendaOut, OutcomeOut,
    check_visibility_at, withheld_title,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(proposals::get_agenda, proposals::add_item))
        .routes(routes!(
            items::get_item,
            items::patch_item,
            items::delete_item
        ))
        .routes(routes!(order::order_agenda))
        .routes(routes!(outcomes::put_outcome))
        .routes(routes!(outcomes::create_action_from_item))
}

const MAX_ITEMS: u64 = 100;

/// Whether the caller may change this meeting's agenda in its present state.
fn require_agenda_open(meeting: &meeting::Model, access: &ForumAccess) -> ApiResult<()> {
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

/// The agenda: accepted items in order, then proposals, then declined items.
/// Items the caller may not read are shown withheld.
async fn agenda(
    conn: &impl ConnectionTrait,
    meeting: &meeting::Model,
    access: &ForumAccess,
) -> ApiResult<AgendaOut> {
    let items = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting.id))
        .order_by_asc(agenda_item::Column::Position)
        .order_by_asc(agenda_item::Column::Id)
        .all(conn)
        .await?;
    let rank = |s: AgendaItemStatus| match s {
        AgendaItemStatus::Accepted => 0,
        AgendaItemStatus::Proposed => 1,
        AgendaItemStatus::Declined => 2,
    };
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let mut links = links_of(conn, &ids).await?;
    let mut items: Vec<AgendaItemOut> = items
        .into_iter()
        .map(|i| {
            let linked = links.remove(&i.id).unwrap_or_default();
            let readable = access.may_read(i.visibility);
            AgendaItemOut::as_read(i, linked, readable)
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

/// The commitments linked to each of some agenda items, in one query.
async fn links_of(
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

async fn replace_links(
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
async fn next_position(conn: &impl ConnectionTrait, meeting_id: Uuid) -> ApiResult<i32> {
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
async fn load_item(
    conn: &impl ConnectionTrait,
    id: Uuid,
    user: &AuthUser,
) -> ApiResult<(agenda_item::Model, meeting::Model, ForumAccess)> {
    let item = agenda_item::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("agenda item"))?;
    let (meeting, access) = crate::kernel::access::load_visible::<entity::meeting::Entity>(
        conn,
        item.meeting_id,
        Some(user),
    )
    .await
    .map_err(|err| match err {
        ApiError::NotFound(_) => ApiError::not_found("agenda item"),
        other => other,
    })?;
    Ok((item, meeting, access))
}
