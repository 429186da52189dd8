//! "Your organisation's work": for a person of a member organisation, in
//! each forum they hold a role in and their organisation is an active
//! member of — the actions the organisation owns, grouped by the
//! commitment they serve; the issues it raised and how far they are
//! answered; the next meetings with the person's own answer; the
//! consultations taking contributions; the polls open; and the
//! opportunities open in the forum's region. Three statements whatever
//! the number of forums or actions; none for someone of no organisation.

mod sql;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use entity::{ActionStatus, ForumRole, IssueStatus, RsvpResponse};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, TryGetable, Value};
use uuid::Uuid;

use crate::counters::statement;
use crate::kernel::access::AuthUser;

pub use sql::{ACTIONS_SHOWN, LISTED, MEETINGS_SHOWN};

#[derive(Debug, Default)]
pub struct Work {
    /// The caller's organisation, when they have one.
    pub organisation: Option<Uuid>,
    /// The forums, by name.
    pub forums: Vec<ForumWork>,
}

#[derive(Debug)]
pub struct ForumWork {
    pub id: Uuid,
    pub name: String,
    pub region_code: String,
    /// The caller's role in it.
    pub role: ForumRole,
    /// Soonest first.
    pub meetings: Vec<MeetingToCome>,
    /// By commitment reference, the actions serving none last.
    pub action_groups: Vec<ActionGroup>,
    /// Answer due soonest first.
    pub issues: Vec<IssueRaised>,
    /// Contributions closing soonest first.
    pub consultations: Vec<ConsultationOpen>,
    /// Closing soonest first.
    pub polls: Vec<PollOpen>,
    /// Closing soonest first.
    pub opportunities: Vec<OpportunityOpen>,
}

#[derive(Debug)]
pub struct MeetingToCome {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// The caller's own answer, if they gave one.
    pub answer: Option<RsvpResponse>,
}

#[derive(Debug)]
pub struct ActionGroup {
    /// The commitment served: id, reference and text (none for actions
    /// linked to no commitment).
    pub commitment: Option<(Uuid, String, String)>,
    /// How many actions the group has in all.
    pub total: i64,
    /// The most pressing of them (at most [`ACTIONS_SHOWN`]).
    pub actions: Vec<ActionOwned>,
}

#[derive(Debug)]
pub struct ActionOwned {
    pub id: Uuid,
    pub title: String,
    pub status: ActionStatus,
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug)]
pub struct IssueRaised {
    pub id: Uuid,
    pub title: String,
    pub status: IssueStatus,
    pub response_due_on: NaiveDate,
    pub responses: i64,
}

#[derive(Debug)]
pub struct ConsultationOpen {
    pub id: Uuid,
    pub title: String,
    /// The forum's own deadline for contributions.
    pub contributions_close_on: NaiveDate,
    /// How many contributions the organisation has made.
    pub contributions: i64,
}

#[derive(Debug)]
pub struct PollOpen {
    pub id: Uuid,
    pub question: String,
    pub closes_at: DateTime<Utc>,
    pub voted: bool,
}

#[derive(Debug)]
pub struct OpportunityOpen {
    pub id: Uuid,
    pub title: String,
    pub closes_on: NaiveDate,
    pub interested: bool,
}

fn get<T: TryGetable>(row: &QueryResult, index: usize) -> Result<T, DbErr> {
    row.try_get_by_index(index)
}

async fn rows(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    conn.query_all_raw(statement(conn.get_database_backend(), sql, values))
        .await
}

fn forum_at(forums: &mut [ForumWork], id: Uuid) -> Option<&mut ForumWork> {
    forums.iter_mut().find(|f| f.id == id)
}

/// The forums with their meetings to come (one row per meeting, or one
/// for a forum with none).
async fn read_forums(
    conn: &impl ConnectionTrait,
    me: &Value,
    organisation: &Value,
    now: DateTime<Utc>,
) -> Result<Vec<ForumWork>, DbErr> {
    let mut forums: Vec<ForumWork> = Vec::new();
    let values = vec![me.clone(), organisation.clone(), now.into()];
    for row in rows(conn, &sql::forums(), values).await? {
        let id: Uuid = get(&row, 0)?;
        let meeting = match get::<Option<Uuid>>(&row, 4)? {
            Some(meeting) => Some(MeetingToCome {
                id: meeting,
                title: get(&row, 5)?,
                starts_at: get(&row, 6)?,
                answer: get(&row, 7)?,
            }),
            None => None,
        };
        if !forums.iter().any(|f| f.id == id) {
            forums.push(ForumWork {
                id,
                name: get(&row, 1)?,
                role: get(&row, 2)?,
                region_code: get(&row, 3)?,
                meetings: Vec::new(),
                action_groups: Vec::new(),
                issues: Vec::new(),
                consultations: Vec::new(),
                polls: Vec::new(),
                opportunities: Vec::new(),
            });
        }
        let Some(forum) = forum_at(&mut forums, id) else {
            continue;
        };
        forum.meetings.extend(meeting);
    }
    Ok(forums)
}

async fn read_actions(
    conn: &impl ConnectionTrait,
    values: Vec<Value>,
    forums: &mut [ForumWork],
) -> Result<(), DbErr> {
    for row in rows(conn, &sql::actions(), values).await? {
        let Some(forum) = forum_at(forums, get(&row, 0)?) else {
            continue;
        };
        let commitment = match get::<Option<Uuid>>(&row, 5)? {
            Some(id) => Some((id, get(&row, 6)?, get(&row, 7)?)),
            None => None,
        };
        let action = ActionOwned {
            id: get(&row, 1)?,
            title: get(&row, 2)?,
            status: get(&row, 3)?,
            due_on: get(&row, 4)?,
        };
        let same = forum
            .action_groups
            .last_mut()
            .filter(|g| g.commitment.as_ref().map(|c| c.0) == commitment.as_ref().map(|c| c.0));
        match same {
            Some(group) => group.actions.push(action),
            None => forum.action_groups.push(ActionGroup {
                commitment,
                total: get(&row, 8)?,
                actions: vec![action],
            }),
        }
    }
    Ok(())
}

async fn read_underway(
    conn: &impl ConnectionTrait,
    values: Vec<Value>,
    forums: &mut [ForumWork],
) -> Result<(), DbErr> {
    for row in rows(conn, &sql::underway(), values).await? {
        let kind: String = get(&row, 0)?;
        let Some(into) = forum_at(forums, get(&row, 1)?) else {
            continue;
        };
        let (id, title): (Uuid, String) = (get(&row, 2)?, get(&row, 3)?);
        let count: i64 = get(&row, 7)?;
        match kind.as_str() {
            "issue" => into.issues.push(IssueRaised {
                id,
                title,
                status: get(&row, 4)?,
                response_due_on: get(&row, 5)?,
                responses: count,
            }),
            "consultation" => into.consultations.push(ConsultationOpen {
                id,
                title,
                contributions_close_on: get(&row, 5)?,
                contributions: count,
            }),
            "poll" => into.polls.push(PollOpen {
                id,
                question: title,
                closes_at: get(&row, 6)?,
                voted: count > 0,
            }),
            _ => into.opportunities.push(OpportunityOpen {
                id,
                title,
                closes_on: get(&row, 5)?,
                interested: count > 0,
            }),
        }
    }
    Ok(())
}

/// The caller's organisation's work as of `now`: empty for someone of no
/// organisation, or whose organisation is no member of a forum they hold a
/// role in (nothing of any forum is read for them).
pub async fn work(
    conn: &impl ConnectionTrait,
    caller: &AuthUser,
    now: DateTime<Utc>,
) -> Result<Work, DbErr> {
    let Some(organisation_id) = caller.user.organisation_id else {
        return Ok(Work::default());
    };
    let me: Value = caller.id().into();
    let organisation: Value = organisation_id.into();
    let mut forums = read_forums(conn, &me, &organisation, now).await?;
    if !forums.is_empty() {
        let values = vec![me.clone(), organisation.clone()];
        read_actions(conn, values, &mut forums).await?;
        let today = now.with_timezone(&London).date_naive();
        let values = vec![me, organisation, now.into(), today.into()];
        read_underway(conn, values, &mut forums).await?;
    }
    Ok(Work {
        organisation: Some(organisation_id),
        forums,
    })
}
