//! The big forum's actions: agreed at its meetings over the years, owned by
//! its member organisations (some by a named person, some by nobody), due
//! dates mostly set (some undated), every status, most linked to one or two
//! commitments, half with a progress note.

use chrono::{DateTime, Duration, Utc};
use entity::{ActionStatus, action_commitment, action_item, action_update};
use rand::Rng;
use sea_orm::{DatabaseTransaction, DbErr, Set};
use uuid::Uuid;

use crate::history::{Context, insert_all};

pub async fn add(
    txn: &DatabaseTransaction,
    cx: &mut Context,
    count: usize,
) -> Result<Vec<Uuid>, DbErr> {
    let mut ids = Vec::with_capacity(count);
    let (mut rows, mut links, mut updates) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..count {
        let id = Uuid::now_v7();
        let at_meeting = cx.rng.random_ratio(4, 5);
        let (meeting_id, agreed) = match cx.held.get(cx.rng.random_range(0..cx.held.len().max(1))) {
            Some((meeting, at)) if at_meeting => (Some(*meeting), *at),
            _ => (None, cx.now - Duration::days(cx.rng.random_range(1..2900))),
        };
        let status = match cx.rng.random_range(0..100) {
            0..55 => ActionStatus::Done,
            55..63 => ActionStatus::Cancelled,
            63..78 => ActionStatus::Open,
            78..93 => ActionStatus::InProgress,
            _ => ActionStatus::Blocked,
        };
        let member = cx.members.get(n % cx.members.len().max(1));
        let (owner_user, owner_organisation) = match cx.rng.random_range(0..100) {
            0..70 => (None, member.and_then(|m| m.1)),
            70..85 => (member.map(|m| m.0), member.and_then(|m| m.1)),
            _ => (None, None),
        };
        let undated = cx.rng.random_ratio(3, 25);
        let due_in = cx.rng.random_range(7..120);
        rows.push(action_item::ActiveModel {
            id: Set(id),
            forum_id: Set(cx.forum),
            meeting_id: Set(meeting_id),
            title: Set(format!("Action {n}: follow up with the RPD's team")),
            description: Set(
                "Agreed at the forum; the owner reports back at the next meeting.".into(),
            ),
            owner_organisation_id: Set(owner_organisation),
            owner_user_id: Set(owner_user),
            due_on: Set((!undated).then(|| (agreed + Duration::days(due_in)).date_naive())),
            status: Set(status),
            completed_at: Set((status == ActionStatus::Done).then(|| agreed + Duration::days(30))),
            version: Set(1),
            created_by: Set(cx.secretary),
            created_at: Set(agreed),
            updated_at: Set(agreed),
            agenda_item_id: Set(None),
        });
        // Most actions are work towards a commitment or two; some towards none.
        let total = cx.commitments.len();
        if total > 0 && !cx.rng.random_ratio(1, 10) {
            let first = cx.rng.random_range(0..total);
            links.push(link(id, cx.commitments[first], agreed));
            if total > 1 && cx.rng.random_ratio(1, 3) {
                let second = (first + cx.rng.random_range(1..total)) % total;
                links.push(link(id, cx.commitments[second], agreed));
            }
        }
        if cx.rng.random_ratio(1, 2) {
            updates.push(action_update::ActiveModel {
                id: Set(Uuid::now_v7()),
                action_id: Set(id),
                body: Set("Spoke to the probation delivery unit; waiting to hear back.".into()),
                status_from: Set(None),
                status_to: Set(None),
                author_id: Set(cx.secretary),
                created_at: Set(agreed + Duration::days(7)),
            });
        }
        ids.push(id);
    }
    insert_all(txn, rows).await?;
    insert_all(txn, links).await?;
    insert_all(txn, updates).await?;
    Ok(ids)
}

fn link(action_id: Uuid, commitment_id: Uuid, at: DateTime<Utc>) -> action_commitment::ActiveModel {
    action_commitment::ActiveModel {
        action_id: Set(action_id),
        commitment_id: Set(commitment_id),
        created_at: Set(at),
    }
}
