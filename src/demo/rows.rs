//! The demo's rows, one kind each: people, roles, actions, meetings with
//! their minutes, raised issues.

use chrono::{DateTime, Duration, Utc};
use entity::{
    ActionStatus, Attendance, ForumRole, IssuePriority, IssueStatus, MeetingStatus, MinutesStatus,
    action_commitment, action_item, commitment, forum_role, issue_response, meeting,
    meeting_attendance, minutes, minutes_revision, raised_issue, raised_issue_commitment, user,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::kernel::error::ApiResult;

pub(super) fn email(role: &str, code: &str) -> String {
    format!("{role}.{code}@demo.convene.example")
}

pub(super) async fn person(
    conn: &impl ConnectionTrait,
    email: String,
    name: String,
    hash: &str,
    organisation_id: Option<Uuid>,
    is_admin: bool,
    now: DateTime<Utc>,
) -> ApiResult<Uuid> {
    let id = Uuid::now_v7();
    user::ActiveModel {
        id: Set(id),
        email: Set(email),
        display_name: Set(name),
        password_hash: Set(hash.to_string()),
        organisation_id: Set(organisation_id),
        is_admin: Set(is_admin),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        email_verified_at: Set(Some(now)),
        verification_sent_at: Set(None),
        password_reset_sent_at: Set(None),
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
    now: DateTime<Utc>,
) -> ApiResult<()> {
    forum_role::ActiveModel {
        forum_id: Set(forum_id),
        user_id: Set(user_id),
        role: Set(role),
        assigned_by: Set(None),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub(super) struct NewAction<'a> {
    pub(super) forum_id: Uuid,
    pub(super) title: String,
    pub(super) owner: Option<Uuid>,
    pub(super) due_in_days: i64,
    pub(super) status: ActionStatus,
    pub(super) commitment: Option<&'a commitment::Model>,
    pub(super) meeting_id: Option<Uuid>,
}

pub(super) async fn action(
    conn: &impl ConnectionTrait,
    a: NewAction<'_>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let id = Uuid::now_v7();
    action_item::ActiveModel {
        id: Set(id),
        forum_id: Set(a.forum_id),
        meeting_id: Set(a.meeting_id),
        title: Set(a.title),
        description: Set(String::new()),
        owner_organisation_id: Set(a.owner),
        owner_user_id: Set(None),
        due_on: Set(Some((now + Duration::days(a.due_in_days)).date_naive())),
        status: Set(a.status),
        completed_at: Set((a.status == ActionStatus::Done).then_some(now - Duration::days(3))),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        agenda_item_id: Set(None),
    }
    .insert(conn)
    .await?;
    if let Some(c) = a.commitment {
        action_commitment::ActiveModel {
            action_id: Set(id),
            commitment_id: Set(c.id),
            created_at: Set(now),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

pub(super) async fn meeting_with_minutes(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    title: &str,
    days_from_now: i64,
    attendees: &[(Uuid, Option<Uuid>)],
    secretary: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<Uuid> {
    let starts = (now + Duration::days(days_from_now))
        .date_naive()
        .and_hms_opt(9, 30, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now);
    let held = days_from_now < 0;
    let id = Uuid::now_v7();
    meeting::ActiveModel {
        id: Set(id),
        forum_id: Set(forum_id),
        title: Set(title.to_string()),
        description: Set("Quarterly meeting of the forum with the RPD's team.".into()),
        starts_at: Set(starts),
        ends_at: Set(starts + Duration::hours(2)),
        location: Set(Some("Community hub".into())),
        online_link: Set(Some("https://meet.example.org/forum".into())),
        status: Set(if held {
            MeetingStatus::Held
        } else {
            MeetingStatus::Scheduled
        }),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(secretary)),
        created_at: Set(now),
        updated_at: Set(now),
        series_id: Set(None),
        occurrence_start: Set(None),
        is_exception: Set(false),
    }
    .insert(conn)
    .await?;
    if !held {
        return Ok(id);
    }
    for (user_id, organisation_id) in attendees {
        meeting_attendance::ActiveModel {
            meeting_id: Set(id),
            user_id: Set(*user_id),
            attendance: Set(Attendance::Attended),
            organisation_id: Set(*organisation_id),
            recorded_by: Set(Some(secretary)),
            recorded_at: Set(starts),
        }
        .insert(conn)
        .await?;
    }
    let body = format!(
        "# {title}\n\nPresent: member organisations and the RPD's team.\n\nAgreed: actions as recorded."
    );
    let sections = crate::minutes::sections::single(&body);
    let minutes_id = Uuid::now_v7();
    minutes::ActiveModel {
        id: Set(minutes_id),
        meeting_id: Set(id),
        status: Set(MinutesStatus::Approved),
        version: Set(1),
        approved_by: Set(Some(secretary)),
        approved_at: Set(Some(starts + Duration::days(7))),
        created_at: Set(starts),
        updated_at: Set(starts),
    }
    .insert(conn)
    .await?;
    minutes_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        minutes_id: Set(minutes_id),
        version: Set(1),
        body: Set(String::new()),
        sections: Set(crate::minutes::sections::snapshot(&sections)),
        edited_by: Set(Some(secretary)),
        edited_at: Set(starts),
    }
    .insert(conn)
    .await?;
    crate::minutes::sections::replace(conn, minutes_id, &sections).await?;
    Ok(id)
}

pub(super) struct NewIssue<'a> {
    pub(super) forum_id: Uuid,
    pub(super) title: &'a str,
    pub(super) raised_days_ago: i64,
    pub(super) answered_after_days: Option<i64>,
    pub(super) status: IssueStatus,
    pub(super) raised_by: Uuid,
    pub(super) organisation_id: Option<Uuid>,
    pub(super) rpd: Uuid,
    pub(super) commitment: Option<&'a commitment::Model>,
}

/// An issue raised some days ago, answered (or not) some days after.
pub(super) async fn issue(
    conn: &impl ConnectionTrait,
    i: NewIssue<'_>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let raised = now - Duration::days(i.raised_days_ago);
    let due = raised.date_naive() + Duration::days(28);
    let answered = i.answered_after_days.map(|d| raised + Duration::days(d));
    let id = Uuid::now_v7();
    raised_issue::ActiveModel {
        id: Set(id),
        forum_id: Set(i.forum_id),
        title: Set(i.title.to_string()),
        body: Set("Raised by member organisations at the forum.".into()),
        priority: Set(IssuePriority::Normal),
        raised_by: Set(Some(i.raised_by)),
        raised_for_organisation_id: Set(i.organisation_id),
        meeting_id: Set(None),
        status: Set(i.status),
        response_due_on: Set(due),
        first_response_at: Set(answered),
        days_to_first_response: Set(i.answered_after_days.and_then(|d| i32::try_from(d).ok())),
        answered_within_due_date: Set(answered.map(|a| a.date_naive() <= due)),
        closed_at: Set((i.status == IssueStatus::Closed).then_some(now - Duration::days(1))),
        version: Set(1),
        created_at: Set(raised),
        updated_at: Set(answered.unwrap_or(raised)),
    }
    .insert(conn)
    .await?;
    if let Some(at) = answered {
        issue_response::ActiveModel {
            id: Set(Uuid::now_v7()),
            issue_id: Set(id),
            author_id: Set(Some(i.rpd)),
            body: Set("Thank you: here is what the probation service is doing about it.".into()),
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

pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
