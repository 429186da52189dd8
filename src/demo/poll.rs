//! The members' poll opened at a forum's last meeting: which theme its next
//! task group takes up. Two of its three member organisations voted, so the
//! report's count of members taking part in the last twelve months has
//! something recent to count.

use chrono::{DateTime, Duration, Utc};
use entity::{PollKind, poll, poll_option, poll_vote, poll_vote_choice};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use super::forum::{Forum, PEERS, WOMEN};
use crate::kernel::error::ApiResult;

const OPTIONS: [&str; 3] = ["Race equality", "Families", "Finance and debt"];

/// The poll on the agenda item `item` of the meeting that ended `at`.
pub async fn next_task_group(
    conn: &impl ConnectionTrait,
    f: &Forum<'_>,
    item: Option<Uuid>,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let poll_id = Uuid::now_v7();
    poll::ActiveModel {
        id: Set(poll_id),
        forum_id: Set(f.id),
        question: Set("Which theme should the forum's next task group take up?".into()),
        description: Set("One vote for each member organisation.".into()),
        kind: Set(PollKind::SingleChoice),
        max_choices: Set(None),
        opens_at: Set(at),
        closes_at: Set(at + Duration::days(14)),
        results_before_close: Set(false),
        open_voting: Set(false),
        agenda_item_id: Set(item),
        consultation_id: Set(None),
        cancelled_at: Set(None),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(f.secretary.id)),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(conn)
    .await?;
    let mut options = Vec::new();
    for (position, label) in (1..).zip(OPTIONS) {
        let option = poll_option::ActiveModel {
            id: Set(Uuid::now_v7()),
            poll_id: Set(poll_id),
            position: Set(position),
            label: Set(label.into()),
        }
        .insert(conn)
        .await?;
        options.push(option.id);
    }
    for (days, member, choice) in [(2, WOMEN, 1), (5, PEERS, 0)] {
        let m = &f.members[member];
        poll_vote::ActiveModel {
            poll_id: Set(poll_id),
            organisation_id: Set(m.org),
            cast_by: Set(Some(m.person.id)),
            cast_at: Set(at + Duration::days(days)),
        }
        .insert(conn)
        .await?;
        poll_vote_choice::ActiveModel {
            poll_id: Set(poll_id),
            organisation_id: Set(m.org),
            option_id: Set(options[choice]),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}
