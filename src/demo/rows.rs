//! The demo's rows, one kind each: people, roles, actions, raised issues.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    ActionStatus, ForumRole, IssuePriority, IssueStatus, action_commitment, action_item,
    action_update, commitment, forum_role, issue_response, raised_issue, raised_issue_commitment,
    user,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use super::calendar::london;
use crate::kernel::error::ApiResult;

pub(super) fn email(role: &str, code: &str) -> String {
    format!("{role}.{code}@demo.convene.example")
}

/// A person with a confirmed address, joined `at`.
pub(super) async fn person(
    conn: &impl ConnectionTrait,
    email: String,
    name: &str,
    hash: &str,
    organisation_id: Option<Uuid>,
    is_admin: bool,
    at: DateTime<Utc>,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        email: Set(email),
        display_name: Set(name.to_string()),
        password_hash: Set(hash.to_string()),
        organisation_id: Set(organisation_id),
        is_admin: Set(is_admin),
        disabled: Set(false),
        created_at: Set(at),
        updated_at: Set(at),
        email_verified_at: Set(Some(at)),
        verification_sent_at: Set(None),
        password_reset_sent_at: Set(None),
        email_change_sent_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

pub(super) async fn role(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    user_id: Uuid,
    role: ForumRole,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    forum_role::ActiveModel {
        forum_id: Set(forum_id),
        user_id: Set(user_id),
        role: Set(role),
        assigned_by: Set(None),
        created_at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub(super) struct NewAction<'a> {
    pub(super) forum_id: Uuid,
    pub(super) meeting_id: Option<Uuid>,
    pub(super) agenda_item_id: Option<Uuid>,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) owner_organisation: Option<Uuid>,
    pub(super) owner_user: Option<Uuid>,
    pub(super) due_on: NaiveDate,
    pub(super) status: ActionStatus,
    pub(super) done_on: Option<NaiveDate>,
    pub(super) commitment: Option<&'a commitment::Model>,
    /// Progress logged on it: what, and on which day.
    pub(super) update: Option<(String, NaiveDate)>,
    /// The end of the meeting that agreed it.
    pub(super) agreed_at: DateTime<Utc>,
    pub(super) recorded_by: Uuid,
}

pub(super) async fn action(conn: &impl ConnectionTrait, a: NewAction<'_>) -> ApiResult<()> {
    let id = Uuid::now_v7();
    let completed_at = a.done_on.map(|d| london(d, 16, 0));
    let updated = a.update.as_ref().map(|(_, on)| london(*on, 11, 0));
    action_item::ActiveModel {
        id: Set(id),
        forum_id: Set(a.forum_id),
        meeting_id: Set(a.meeting_id),
        title: Set(a.title),
        description: Set(a.description),
        owner_organisation_id: Set(a.owner_organisation),
        owner_user_id: Set(a.owner_user),
        due_on: Set(Some(a.due_on)),
        status: Set(a.status),
        completed_at: Set(completed_at),
        version: Set(1),
        created_by: Set(Some(a.recorded_by)),
        created_at: Set(a.agreed_at),
        updated_at: Set(completed_at.or(updated).unwrap_or(a.agreed_at)),
        agenda_item_id: Set(a.agenda_item_id),
    }
    .insert(conn)
    .await?;
    if let Some(c) = a.commitment {
        action_commitment::ActiveModel {
            action_id: Set(id),
            commitment_id: Set(c.id),
            created_at: Set(a.agreed_at),
        }
        .insert(conn)
        .await?;
    }
    if let (Some((body, _)), Some(at)) = (a.update, updated) {
        action_update::ActiveModel {
            id: Set(Uuid::now_v7()),
            action_id: Set(id),
            body: Set(body),
            status_from: Set(Some(ActionStatus::Open)),
            status_to: Set(Some(a.status)),
            author_id: Set(a.owner_user),
            created_at: Set(at),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

pub(super) struct NewIssue<'a> {
    pub(super) forum_id: Uuid,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) priority: IssuePriority,
    pub(super) raised_days_ago: i64,
    /// Days after raising that the RPD's team first answered, and how.
    pub(super) answer: Option<(i64, &'static str)>,
    pub(super) status: IssueStatus,
    pub(super) raised_by: Uuid,
    pub(super) organisation_id: Uuid,
    pub(super) rpd: Uuid,
    pub(super) commitment: Option<&'a commitment::Model>,
    pub(super) response_days: i64,
}

/// An issue raised some days ago, answered (or not) some days after.
pub(super) async fn issue(
    conn: &impl ConnectionTrait,
    i: NewIssue<'_>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    // Raised in the afternoon, as a member writes up their notes.
    let raised = london(
        crate::consultations::london_today(now) - Duration::days(i.raised_days_ago),
        14,
        30,
    );
    let due = raised.date_naive() + Duration::days(i.response_days);
    let answered = i.answer.map(|(days, _)| raised + Duration::days(days));
    // A closed issue was closed by its raiser a week after the answer.
    let closed = (i.status == IssueStatus::Closed)
        .then(|| answered.map(|a| a + Duration::days(7)))
        .flatten();
    let id = Uuid::now_v7();
    raised_issue::ActiveModel {
        id: Set(id),
        forum_id: Set(i.forum_id),
        title: Set(i.title),
        body: Set(i.body),
        priority: Set(i.priority),
        raised_by: Set(Some(i.raised_by)),
        raised_for_organisation_id: Set(Some(i.organisation_id)),
        meeting_id: Set(None),
        status: Set(i.status),
        response_due_on: Set(due),
        first_response_at: Set(answered),
        days_to_first_response: Set(i.answer.and_then(|(days, _)| i32::try_from(days).ok())),
        answered_within_due_date: Set(answered.map(|a| a.date_naive() <= due)),
        closed_at: Set(closed),
        version: Set(1),
        created_at: Set(raised),
        updated_at: Set(closed.or(answered).unwrap_or(raised)),
    }
    .insert(conn)
    .await?;
    if let (Some(at), Some((_, said))) = (answered, i.answer) {
        issue_response::ActiveModel {
            id: Set(Uuid::now_v7()),
            issue_id: Set(id),
            author_id: Set(Some(i.rpd)),
            body: Set(said.into()),
            created_at: Set(at),
        }
        .insert(conn)
        .await?;
    }
    if let Some(c) = i.commitment {
        raised_issue_commitment::ActiveModel {
            issue_id: Set(id),
            commitment_id: Set(c.id),
            created_at: Set(raised),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}
