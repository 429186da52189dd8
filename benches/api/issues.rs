//! The big forum's raised issues: 12 for every 100 actions, most answered and
//! closed (some late), the rest acknowledged or still open; half came from a
//! meeting, most concern a commitment.

use chrono::Duration;
use entity::{IssuePriority, IssueStatus, issue_response, raised_issue, raised_issue_commitment};
use rand::Rng;
use sea_orm::{DatabaseTransaction, DbErr, Iterable, Set};
use uuid::Uuid;

use crate::history::{Context, insert_all};

const ISSUES_PER_HUNDRED_ACTIONS: usize = 12;

pub async fn add(txn: &DatabaseTransaction, cx: &mut Context, actions: usize) -> Result<(), DbErr> {
    let priorities: Vec<IssuePriority> = IssuePriority::iter().collect();
    let (mut rows, mut responses, mut links) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..actions * ISSUES_PER_HUNDRED_ACTIONS / 100 {
        let id = Uuid::now_v7();
        let raised = cx.now - Duration::days(cx.rng.random_range(1..2900));
        let due = raised.date_naive() + Duration::days(28);
        let status = match cx.rng.random_range(0..100) {
            0..50 => IssueStatus::Closed,
            50..70 => IssueStatus::Responded,
            70..80 => IssueStatus::Acknowledged,
            _ => IssueStatus::Open,
        };
        let answered_after = matches!(status, IssueStatus::Closed | IssueStatus::Responded)
            .then(|| cx.rng.random_range(1..60));
        let answered = answered_after.map(|days| raised + Duration::days(days));
        let raiser = cx.members.get(n % cx.members.len().max(1));
        let meeting = cx.held.get(n % cx.held.len().max(1)).filter(|_| n % 2 == 0);
        rows.push(raised_issue::ActiveModel {
            id: Set(id),
            forum_id: Set(cx.forum),
            title: Set(format!(
                "Issue {n}: referrals delayed for people leaving custody"
            )),
            body: Set("Member organisations report the same problem across the region.".into()),
            priority: Set(priorities[n % priorities.len()]),
            raised_by: Set(raiser.map(|r| r.0)),
            raised_for_organisation_id: Set(raiser.and_then(|r| r.1)),
            meeting_id: Set(meeting.map(|m| m.0)),
            status: Set(status),
            response_due_on: Set(due),
            first_response_at: Set(answered),
            days_to_first_response: Set(answered_after.and_then(|d| i32::try_from(d).ok())),
            answered_within_due_date: Set(answered.map(|at| at.date_naive() <= due)),
            closed_at: Set(answered.filter(|_| status == IssueStatus::Closed)),
            version: Set(1),
            created_at: Set(raised),
            updated_at: Set(answered.unwrap_or(raised)),
        });
        if let Some(at) = answered {
            responses.push(issue_response::ActiveModel {
                id: Set(Uuid::now_v7()),
                issue_id: Set(id),
                author_id: Set(cx.rpd),
                body: Set("Thank you: here is what the probation service is doing.".into()),
                created_at: Set(at),
            });
        }
        if !cx.commitments.is_empty() && cx.rng.random_ratio(7, 10) {
            let commitment = cx.commitments[cx.rng.random_range(0..cx.commitments.len())];
            links.push(raised_issue_commitment::ActiveModel {
                issue_id: Set(id),
                commitment_id: Set(commitment),
                created_at: Set(raised),
            });
        }
    }
    insert_all(txn, rows).await?;
    insert_all(txn, responses).await?;
    insert_all(txn, links).await
}
