//! A forum as its public page reads it, in four statements: the forum; its
//! active members' public profiles (name, size band, led by and for,
//! themes — as `GET /forums/{id}/memberships` shows them to anyone) and the
//! make-up they add up to (size bands, supply chain, led by and for); its
//! meetings to come with their agreed agendas (a withheld item by its
//! reason only); a page of its approved minutes, newest first, with its
//! submitted consultation responses.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    AgendaItemStatus, ConsultationStatus, MeetingStatus, MembershipStatus, MinutesStatus,
    Visibility,
};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, TryGetable, Value};
use uuid::Uuid;

use crate::counters::statement;
use crate::kernel::access::may_read;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::meetings::withheld_title;

/// Meetings to come and submitted responses a page lists.
const LISTED: u64 = 20;

#[derive(Debug)]
pub struct ForumRecord {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub terms_of_reference: String,
    /// The active member organisations, by name.
    pub members: Vec<MemberProfile>,
    /// How many active members are of each size band, led by and for each
    /// group, and inside or outside the supply chain (`in`, `outside`),
    /// by their kebab-case names.
    pub size_bands: BTreeMap<String, u64>,
    pub led_by_and_for: BTreeMap<String, u64>,
    pub supply_chain: BTreeMap<String, u64>,
    pub meetings: Vec<MeetingToCome>,
    pub minutes: Page<ApprovedMinutes>,
    pub responses: Vec<SubmittedResponse>,
}

/// An active member organisation's public profile; the kebab-case names
/// of its size band, the groups it is led by and for, and its themes.
#[derive(Debug)]
pub struct MemberProfile {
    pub id: Uuid,
    pub name: String,
    pub size_band: String,
    pub led_by_and_for: Vec<String>,
    pub themes: Vec<String>,
}

#[derive(Debug)]
pub struct MeetingToCome {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Its agreed agenda's titles in order, "Withheld: reason" for what
    /// the public may not read.
    pub agenda: Vec<String>,
}

#[derive(Debug)]
pub struct ApprovedMinutes {
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub starts_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct SubmittedResponse {
    pub id: Uuid,
    pub title: String,
    pub consulting_body: String,
    pub closes_on: NaiveDate,
    pub submitted_on: Option<NaiveDate>,
    pub reference: Option<String>,
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

/// `$1` the forum: a row per active member (its id, name, size band and
/// whether it holds probation contracts), then one per group it is led by
/// and for and per theme it works on.
fn members_sql() -> String {
    let active = format!(
        "JOIN forum_memberships m ON m.organisation_id = {{}} \
         WHERE m.forum_id = $1 AND m.status = '{}'",
        MembershipStatus::Active.as_str()
    );
    let of = |column: &str| active.replace("{}", column);
    format!(
        "SELECT 'member', o.id, o.name, o.size_band, \
           CASE WHEN o.in_supply_chain THEN 'in' ELSE 'outside' END \
           FROM organisations o {} \
         UNION ALL SELECT 'led-by', l.organisation_id, l.category, \
           CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM organisation_led_by l {} \
         UNION ALL SELECT 'theme', t.organisation_id, t.theme, \
           CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM organisation_themes t {}",
        of("o.id"),
        of("l.organisation_id"),
        of("t.organisation_id"),
    )
}

/// `$1` the forum, `$2` now.
fn meetings_sql() -> String {
    format!(
        "SELECT m.id, m.title, m.starts_at, a.title, a.visibility, a.visibility_reason \
         FROM meetings m LEFT JOIN agenda_items a \
           ON a.meeting_id = m.id AND a.status = '{accepted}' \
         WHERE m.id IN (SELECT n.id FROM meetings n WHERE n.forum_id = $1 \
           AND n.status = '{scheduled}' AND n.starts_at >= $2 \
           ORDER BY n.starts_at, n.id LIMIT {LISTED}) \
         ORDER BY m.starts_at, m.id, a.position, a.id",
        accepted = AgendaItemStatus::Accepted.as_str(),
        scheduled = MeetingStatus::Scheduled.as_str(),
    )
}

/// A page of approved minutes after the cursor, newest approval first, and
/// the newest submitted responses: `$1` the forum, `$2`/`$3` the cursor.
fn record_sql(fetch: u64, after: bool) -> String {
    let cursor = if after {
        " AND (mi.approved_at, mi.id) < ($2, $3)"
    } else {
        ""
    };
    format!(
        "SELECT * FROM (SELECT 'minutes', mt.id, mt.title, CAST(NULL AS TEXT), mt.starts_at, \
           mi.approved_at, mi.id, CAST(NULL AS DATE), CAST(NULL AS DATE), CAST(NULL AS TEXT) \
           FROM minutes mi JOIN meetings mt ON mt.id = mi.meeting_id \
           WHERE mt.forum_id = $1 AND mi.status = '{approved}'{cursor} \
           ORDER BY mi.approved_at DESC, mi.id DESC LIMIT {fetch}) x \
         UNION ALL SELECT * FROM (SELECT 'response', c.id, c.title, c.consulting_body, \
           CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS UUID), \
           c.closes_on, c.submitted_on, c.submission_reference \
           FROM consultations c WHERE c.forum_id = $1 AND c.status = '{submitted}' \
           ORDER BY c.id DESC LIMIT {LISTED}) y",
        approved = MinutesStatus::Approved.as_str(),
        submitted = ConsultationStatus::Submitted.as_str(),
    )
}

/// A forum's page of the public record (anyone; 404 for no such forum):
/// `minutes_cursor` continues its list of approved minutes.
pub async fn forum_record(
    conn: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
    minutes_limit: u64,
    minutes_cursor: Option<&str>,
) -> ApiResult<ForumRecord> {
    let page = PageRequest::<(DateTime<Utc>, Uuid)>::new(Some(minutes_limit), minutes_cursor)?;
    let forum = rows(
        conn,
        "SELECT f.name, f.description, f.terms_of_reference FROM forums f WHERE f.id = $1",
        vec![id.into()],
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(|| ApiError::not_found("forum"))?;
    let mut record = ForumRecord {
        id,
        name: get(&forum, 0)?,
        description: get(&forum, 1)?,
        terms_of_reference: get(&forum, 2)?,
        members: Vec::new(),
        size_bands: BTreeMap::new(),
        led_by_and_for: BTreeMap::new(),
        supply_chain: BTreeMap::new(),
        meetings: Vec::new(),
        minutes: Page {
            items: Vec::new(),
            next_cursor: None,
        },
        responses: Vec::new(),
    };
    let mut led_by: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    let mut themes: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    for row in rows(conn, &members_sql(), vec![id.into()]).await? {
        let kind: String = get(&row, 0)?;
        let organisation: Uuid = get(&row, 1)?;
        let value: String = get(&row, 2)?;
        match kind.as_str() {
            "member" => {
                *record.size_bands.entry(get(&row, 3)?).or_default() += 1;
                *record.supply_chain.entry(get(&row, 4)?).or_default() += 1;
                record.members.push(MemberProfile {
                    id: organisation,
                    name: value,
                    size_band: get(&row, 3)?,
                    led_by_and_for: Vec::new(),
                    themes: Vec::new(),
                });
            }
            "led-by" => {
                *record.led_by_and_for.entry(value.clone()).or_default() += 1;
                led_by.entry(organisation).or_default().push(value);
            }
            _ => themes.entry(organisation).or_default().push(value),
        }
    }
    for member in &mut record.members {
        member.led_by_and_for = led_by.remove(&member.id).unwrap_or_default();
        member.led_by_and_for.sort();
        member.themes = themes.remove(&member.id).unwrap_or_default();
        member.themes.sort();
    }
    record
        .members
        .sort_by_key(|member| (member.name.to_lowercase(), member.id));

    for row in rows(conn, &meetings_sql(), vec![id.into(), now.into()]).await? {
        let meeting: Uuid = get(&row, 0)?;
        if record.meetings.last().is_none_or(|m| m.id != meeting) {
            record.meetings.push(MeetingToCome {
                id: meeting,
                title: get(&row, 1)?,
                starts_at: get(&row, 2)?,
                agenda: Vec::new(),
            });
        }
        let item: Option<String> = get(&row, 3)?;
        let visibility: Option<Visibility> = get(&row, 4)?;
        if let (Some(title), Some(visibility), Some(last)) =
            (item, visibility, record.meetings.last_mut())
        {
            // The public reads only public business; the rest is withheld.
            last.agenda.push(if may_read(visibility, false, false) {
                title
            } else {
                withheld_title(get::<Option<String>>(&row, 5)?.as_deref())
            });
        }
    }

    let mut values = vec![id.into()];
    if let Some((at, last)) = page.after {
        values.extend([at.into(), last.into()]);
    }
    let mut minutes = Vec::new();
    for row in rows(
        conn,
        &record_sql(page.fetch(), page.after.is_some()),
        values,
    )
    .await?
    {
        let kind: String = get(&row, 0)?;
        if kind == "minutes" {
            minutes.push((
                ApprovedMinutes {
                    meeting_id: get(&row, 1)?,
                    meeting_title: get(&row, 2)?,
                    starts_at: get(&row, 4)?,
                },
                get::<Option<DateTime<Utc>>>(&row, 5)?,
                get::<Uuid>(&row, 6)?,
            ));
        } else {
            record.responses.push(SubmittedResponse {
                id: get(&row, 1)?,
                title: get(&row, 2)?,
                consulting_body: get(&row, 3)?,
                closes_on: get(&row, 7)?,
                submitted_on: get(&row, 8)?,
                reference: get(&row, 9)?,
            });
        }
    }
    record.minutes = page.finish(
        minutes,
        |(m, approved_at, id)| (approved_at.unwrap_or(m.starts_at), *id),
        |(m, _, _)| m,
    );
    Ok(record)
}
