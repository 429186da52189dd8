//! "Your forums": what needs a forum officer's attention in each forum
//! they are the secretary or chair of, in four statements whatever the
//! number of forums — the forums with their next meeting and its figures;
//! the applications awaiting a decision; the actions overdue or due soon;
//! and the issues awaiting the RPD's team, the consultations not yet
//! submitted and the polls open, together.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{
    ActionStatus, AgendaItemStatus, ConsultationStatus, ForumRole, IssueStatus, MeetingStatus,
    MembershipStatus, RsvpResponse,
};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, TryGetable, Value};
use uuid::Uuid;

use crate::counters::statement;
use crate::kernel::access::AuthUser;

/// How far ahead an action counts as due soon.
pub const DUE_SOON_DAYS: i64 = 14;
/// Rows a list of the dashboard shows at most, over all the forums.
const LISTED: u64 = 50;

#[derive(Debug)]
pub struct Dashboard {
    /// The forums the caller is an officer of, by name.
    pub forums: Vec<ForumAtAGlance>,
}

#[derive(Debug)]
pub struct ForumAtAGlance {
    pub id: Uuid,
    pub name: String,
    pub region_code: String,
    /// The caller's role in it: secretary or chair.
    pub role: ForumRole,
    pub next_meeting: Option<NextMeeting>,
    /// Oldest first.
    pub applications: Vec<Application>,
    /// Soonest due first (the overdue before them).
    pub actions: Vec<ActionDue>,
    /// Soonest due first (the overdue before them).
    pub issues: Vec<IssueAwaiting>,
    /// Closing soonest first.
    pub consultations: Vec<ConsultationUnderway>,
    /// Closing soonest first.
    pub polls: Vec<PollOpen>,
}

#[derive(Debug, Default)]
pub struct NextMeeting {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub yes: i64,
    pub maybe: i64,
    pub no: i64,
    /// Items on the agenda, and items proposed and awaiting a decision.
    pub items_accepted: i64,
    pub items_proposed: i64,
    /// Papers of the meeting and of its items.
    pub papers: i64,
    /// Matters arising still on its list (not dropped).
    pub matters_arising: i64,
}

#[derive(Debug)]
pub struct Application {
    pub membership_id: Uuid,
    pub organisation: String,
    pub applied_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct ActionDue {
    pub id: Uuid,
    pub title: String,
    pub owner: Option<String>,
    pub due_on: NaiveDate,
}

#[derive(Debug)]
pub struct IssueAwaiting {
    pub id: Uuid,
    pub title: String,
    pub status: IssueStatus,
    pub due_on: NaiveDate,
}

#[derive(Debug)]
pub struct ConsultationUnderway {
    pub id: Uuid,
    pub title: String,
    pub status: ConsultationStatus,
    pub closes_on: NaiveDate,
}

#[derive(Debug)]
pub struct PollOpen {
    pub id: Uuid,
    pub question: String,
    pub closes_at: DateTime<Utc>,
}

fn get<T: TryGetable>(row: &QueryResult, index: usize) -> Result<T, DbErr> {
    row.try_get_by_index(index)
}

/// `$1` the caller: the forums they are an officer of.
fn officer_forums() -> String {
    format!(
        "SELECT r.forum_id FROM forum_roles r WHERE r.user_id = $1 \
         AND r.role IN ('{}', '{}')",
        ForumRole::Secretary.as_str(),
        ForumRole::Chair.as_str()
    )
}

/// `$1` the caller, `$2` now: each forum they are an officer of, with its
/// next meeting (the first scheduled from now) and that meeting's figures.
fn forums_sql() -> String {
    let scheduled = MeetingStatus::Scheduled.as_str();
    let count_rsvps = |response: RsvpResponse| {
        format!(
            "(SELECT COUNT(*) FROM meeting_rsvps v WHERE v.meeting_id = m.id \
             AND v.response = '{}')",
            response.as_str()
        )
    };
    let count_items = |status: AgendaItemStatus| {
        format!(
            "(SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = m.id \
             AND a.status = '{}')",
            status.as_str()
        )
    };
    format!(
        "SELECT f.id, f.name, g.code, r.role, m.id, m.title, m.starts_at, \
           {yes}, {maybe}, {no}, {accepted}, {proposed}, \
           (SELECT COUNT(*) FROM papers p WHERE p.meeting_id = m.id OR p.agenda_item_id IN \
             (SELECT a.id FROM agenda_items a WHERE a.meeting_id = m.id)), \
           (SELECT COUNT(*) FROM matters_arising x WHERE x.meeting_id = m.id \
             AND x.dropped_at IS NULL) \
         FROM forum_roles r JOIN forums f ON f.id = r.forum_id \
         JOIN regions g ON g.id = f.region_id \
         LEFT JOIN meetings m ON m.forum_id = f.id AND m.status = '{scheduled}' \
           AND m.starts_at >= $2 AND NOT EXISTS (SELECT 1 FROM meetings n \
             WHERE n.forum_id = f.id AND n.status = '{scheduled}' AND n.starts_at >= $2 \
             AND (n.starts_at < m.starts_at OR (n.starts_at = m.starts_at AND n.id < m.id))) \
         WHERE r.user_id = $1 AND r.role IN ('{secretary}', '{chair}') \
         ORDER BY f.name, f.id, r.role",
        yes = count_rsvps(RsvpResponse::Yes),
        maybe = count_rsvps(RsvpResponse::Maybe),
        no = count_rsvps(RsvpResponse::No),
        accepted = count_items(AgendaItemStatus::Accepted),
        proposed = count_items(AgendaItemStatus::Proposed),
        secretary = ForumRole::Secretary.as_str(),
        chair = ForumRole::Chair.as_str(),
    )
}

/// `$1` the caller: the applications awaiting a decision, oldest first.
fn applications_sql() -> String {
    format!(
        "SELECT m.forum_id, m.id, o.name, m.created_at FROM forum_memberships m \
         JOIN organisations o ON o.id = m.organisation_id \
         WHERE m.status = '{applied}' AND m.forum_id IN ({officer}) \
         ORDER BY m.created_at, m.id LIMIT {LISTED}",
        applied = MembershipStatus::Applied.as_str(),
        officer = officer_forums(),
    )
}

/// `$1` the caller, `$2` the last day that counts as due soon: the actions
/// still to do that are overdue or due by then.
fn actions_sql() -> String {
    let still_to_do: Vec<String> = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Blocked,
    ]
    .iter()
    .map(|s| format!("'{}'", s.as_str()))
    .collect();
    format!(
        "SELECT a.forum_id, a.id, a.title, o.name, a.due_on FROM action_items a \
         LEFT JOIN organisations o ON o.id = a.owner_organisation_id \
         WHERE a.forum_id IN ({officer}) AND a.status IN ({still}) \
           AND a.due_on IS NOT NULL AND a.due_on <= $2 \
         ORDER BY a.due_on, a.id LIMIT {LISTED}",
        officer = officer_forums(),
        still = still_to_do.join(", "),
    )
}

/// `$1` the caller, `$2` now: the issues not yet answered, the
/// consultations not yet submitted (nor withdrawn) and the polls open,
/// each list in the order it is shown.
fn underway_sql() -> String {
    format!(
        "SELECT * FROM (SELECT 'issue', i.forum_id, i.id, i.title, i.status, \
           i.response_due_on, CAST(NULL AS TIMESTAMPTZ) FROM raised_issues i \
           WHERE i.forum_id IN ({officer}) AND i.status IN ('{open}', '{acknowledged}') \
           ORDER BY i.response_due_on, i.id LIMIT {LISTED}) x \
         UNION ALL SELECT * FROM (SELECT 'consultation', c.forum_id, c.id, c.title, \
           c.status, c.closes_on, CAST(NULL AS TIMESTAMPTZ) FROM consultations c \
           WHERE c.forum_id IN ({officer}) \
             AND c.status IN ('{c_open}', '{drafting}', '{agreed}') \
           ORDER BY c.closes_on, c.id LIMIT {LISTED}) y \
         UNION ALL SELECT * FROM (SELECT 'poll', p.forum_id, p.id, p.question, \
           CAST(NULL AS TEXT), CAST(NULL AS DATE), p.closes_at FROM polls p \
           WHERE p.forum_id IN ({officer}) AND p.cancelled_at IS NULL \
             AND p.opens_at <= $2 AND p.closes_at > $2 \
           ORDER BY p.closes_at, p.id LIMIT {LISTED}) z",
        officer = officer_forums(),
        open = IssueStatus::Open.as_str(),
        acknowledged = IssueStatus::Acknowledged.as_str(),
        c_open = ConsultationStatus::Open.as_str(),
        drafting = ConsultationStatus::Drafting.as_str(),
        agreed = ConsultationStatus::Agreed.as_str(),
    )
}

fn index_of(forums: &[ForumAtAGlance], id: Uuid) -> Option<usize> {
    forums.iter().position(|f| f.id == id)
}

async fn rows(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    conn.query_all_raw(statement(conn.get_database_backend(), sql, values))
        .await
}

/// The caller's dashboard: an empty one for someone who is no forum's
/// secretary or chair (nothing of any forum is read for them).
pub async fn dashboard(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Dashboard, DbErr> {
    let me: Value = caller.id().into();
    let mut forums: Vec<ForumAtAGlance> = Vec::new();
    for row in rows(conn, &forums_sql(), vec![me.clone(), now.into()]).await? {
        let id: Uuid = get(&row, 0)?;
        // Someone both secretary and chair of a forum sees it once.
        if forums.iter().any(|f| f.id == id) {
            continue;
        }
        let meeting: Option<Uuid> = get(&row, 4)?;
        let next_meeting = match meeting {
            Some(meeting) => Some(NextMeeting {
                id: meeting,
                title: get(&row, 5)?,
                starts_at: get(&row, 6)?,
                yes: get(&row, 7)?,
                maybe: get(&row, 8)?,
                no: get(&row, 9)?,
                items_accepted: get(&row, 10)?,
                items_proposed: get(&row, 11)?,
                papers: get(&row, 12)?,
                matters_arising: get(&row, 13)?,
            }),
            None => None,
        };
        forums.push(ForumAtAGlance {
            id,
            name: get(&row, 1)?,
            region_code: get(&row, 2)?,
            role: get(&row, 3)?,
            next_meeting,
            applications: Vec::new(),
            actions: Vec::new(),
            issues: Vec::new(),
            consultations: Vec::new(),
            polls: Vec::new(),
        });
    }
    if forums.is_empty() {
        return Ok(Dashboard { forums });
    }

    let mut applications = Vec::new();
    for row in rows(conn, &applications_sql(), vec![me.clone()]).await? {
        applications.push((
            get::<Uuid>(&row, 0)?,
            Application {
                membership_id: get(&row, 1)?,
                organisation: get(&row, 2)?,
                applied_at: get(&row, 3)?,
            },
        ));
    }
    let due_by = now.date_naive() + Duration::days(DUE_SOON_DAYS);
    let mut actions = Vec::new();
    for row in rows(conn, &actions_sql(), vec![me.clone(), due_by.into()]).await? {
        actions.push((
            get::<Uuid>(&row, 0)?,
            ActionDue {
                id: get(&row, 1)?,
                title: get(&row, 2)?,
                owner: get(&row, 3)?,
                due_on: get(&row, 4)?,
            },
        ));
    }
    let underway = rows(conn, &underway_sql(), vec![me, now.into()]).await?;

    for (id, application) in applications {
        if let Some(i) = index_of(&forums, id) {
            forums[i].applications.push(application);
        }
    }
    for (id, action) in actions {
        if let Some(i) = index_of(&forums, id) {
            forums[i].actions.push(action);
        }
    }
    for row in underway {
        let kind: String = get(&row, 0)?;
        let Some(i) = index_of(&forums, get(&row, 1)?) else {
            continue;
        };
        let (id, title): (Uuid, String) = (get(&row, 2)?, get(&row, 3)?);
        let into = &mut forums[i];
        match kind.as_str() {
            "issue" => into.issues.push(IssueAwaiting {
                id,
                title,
                status: get(&row, 4)?,
                due_on: get(&row, 5)?,
            }),
            "consultation" => into.consultations.push(ConsultationUnderway {
                id,
                title,
                status: get(&row, 4)?,
                closes_on: get(&row, 5)?,
            }),
            _ => into.polls.push(PollOpen {
                id,
                question: title,
                closes_at: get(&row, 6)?,
            }),
        }
    }
    Ok(Dashboard { forums })
}
