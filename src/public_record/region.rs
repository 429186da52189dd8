//! A region as its public page reads it: its forum and current plan, the
//! plan's commitments with the work behind them, the forum's answers and
//! voice, and where the money went — the accountability report's figures
//! from the same counters, in three statements whatever the region's size
//! (the report itself reads them in about twenty): the region's row with
//! its scalar figures, the commitments' rows, and the grouped rows of the
//! distributions. The tests hold the two to the same answers.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveTime};
use entity::{FundingMechanism, LedByAndFor, Theme};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, TryGetable, Value};
use uuid::Uuid;

use super::region_sql::{commitments_sql, distributions_sql, head_sql};
use crate::accountability::{
    self, ActionCounts, CommitmentLine, ForumVoice, Funding, FundingParts, ThemeLine, Themes,
    voice_window,
};
use crate::counters::statement;
use crate::issues::Responsiveness;
use crate::kernel::error::{ApiError, ApiResult};

/// A region's public record.
#[derive(Debug)]
pub struct RegionRecord {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub forum: Option<(Uuid, String)>,
    pub plan: Option<PlanHead>,
    /// The current plan's commitments by reference, as the report lists them.
    pub commitments: Vec<CommitmentLine>,
    /// Every theme, as the report counts them.
    pub themes: Vec<ThemeLine>,
    pub responsiveness: Responsiveness,
    /// Answered issues by whole days to their first response, ascending.
    pub response_days: Vec<(i32, u64)>,
    pub voice: ForumVoice,
    pub funding: Funding,
}

/// The current plan, as a page names it.
#[derive(Debug, Clone)]
pub struct PlanHead {
    pub id: Uuid,
    pub title: String,
    pub period: String,
}

fn get<T: TryGetable>(row: &QueryResult, index: usize) -> Result<T, DbErr> {
    row.try_get_by_index(index)
}

fn count(row: &QueryResult, index: usize) -> Result<u64, DbErr> {
    Ok(u64::try_from(get::<i64>(row, index)?).unwrap_or(0))
}

async fn rows(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    conn.query_all_raw(statement(conn.get_database_backend(), sql, values))
        .await
}

/// The region's row, or 404 for an unknown code.
async fn head(
    conn: &impl ConnectionTrait,
    code: &str,
    today: NaiveDate,
    figures: bool,
) -> ApiResult<QueryResult> {
    // The report's own window: the twelve months to `today`.
    let since = voice_window(today).0.and_time(NaiveTime::MIN).and_utc();
    let values = if figures {
        vec![code.into(), today.into(), since.into()]
    } else {
        vec![code.into()]
    };
    rows(conn, &head_sql(figures), values)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::NotFound(format!("there is no region with code `{code}`")))
}

fn record_of(head: &QueryResult) -> Result<RegionRecord, DbErr> {
    let forum: Option<Uuid> = get(head, 3)?;
    let plan: Option<Uuid> = get(head, 5)?;
    Ok(RegionRecord {
        id: get(head, 0)?,
        code: get(head, 1)?,
        name: get(head, 2)?,
        forum: match forum {
            Some(id) => Some((id, get(head, 4)?)),
            None => None,
        },
        plan: match plan {
            Some(id) => Some(PlanHead {
                id,
                title: get(head, 6)?,
                period: get(head, 7)?,
            }),
            None => None,
        },
        commitments: Vec::new(),
        themes: Vec::new(),
        responsiveness: Responsiveness::default(),
        response_days: Vec::new(),
        voice: ForumVoice::default(),
        funding: Funding::default(),
    })
}

async fn commitments(
    conn: &impl ConnectionTrait,
    plan: Uuid,
    today: NaiveDate,
) -> Result<Vec<CommitmentLine>, DbErr> {
    let month = crate::counters::month_of(today);
    rows(
        conn,
        &commitments_sql(),
        vec![plan.into(), month.into(), today.into()],
    )
    .await?
    .iter()
    .map(|row| {
        let (open, in_progress, blocked, done, cancelled) = (
            count(row, 7)?,
            count(row, 8)?,
            count(row, 9)?,
            count(row, 10)?,
            count(row, 11)?,
        );
        Ok(CommitmentLine {
            id: get(row, 0)?,
            reference: get(row, 1)?,
            theme: get(row, 2)?,
            firmness: get(row, 3)?,
            status: get(row, 4)?,
            due_on: get(row, 5)?,
            text: get(row, 6)?,
            actions: ActionCounts {
                open,
                in_progress,
                blocked,
                done,
                cancelled,
                total: open + in_progress + blocked + done + cancelled,
                overdue: count(row, 12)?,
            },
            open_issues: count(row, 13)?,
        })
    })
    .collect()
}

/// A region's page of the public record (anyone; 404 for an unknown code),
/// as of `today`: three statements.
pub async fn region_record(
    conn: &impl ConnectionTrait,
    code: &str,
    today: NaiveDate,
) -> ApiResult<RegionRecord> {
    let head = head(conn, code, today, true).await?;
    let mut record = record_of(&head)?;
    if let Some(plan) = &record.plan {
        record.commitments = commitments(conn, plan.id, today).await?;
    }
    let members = count(&head, 14)?;
    let taking_part = count(&head, 15)?;
    record.responsiveness = Responsiveness {
        issues_raised: count(&head, 8)?,
        answered_within_due_date: count(&head, 9)?,
        open_past_due: count(&head, 10)?,
        median_days_to_first_response: None,
    };
    record.voice = ForumVoice {
        consultations_registered: count(&head, 11)?,
        consultations_responded: count(&head, 12)?,
        consultations_responded_before_closing: count(&head, 13)?,
        member_organisations: members,
        organisations_taking_part: taking_part,
        participation_share: (members > 0).then(|| taking_part as f64 / members as f64),
        ..ForumVoice::empty(today)
    };
    let all_commitments = count(&head, 16)?;
    let with_funding = count(&head, 17)?;

    let mut parts = FundingParts {
        awards: 0,
        value: 0,
        small: 0,
        outside: 0,
        by_mechanism: HashMap::new(),
        by_group: HashMap::new(),
        with_funding,
        without_funding: all_commitments.saturating_sub(with_funding),
    };
    let mut theme_actions: HashMap<Theme, u64> = HashMap::new();
    let values = vec![
        record.id.into(),
        record.forum.as_ref().map(|f| f.0).into(),
        record.plan.as_ref().map(|p| p.id).into(),
        false.into(),
    ];
    for row in rows(conn, &distributions_sql(), values).await? {
        let kind: String = get(&row, 0)?;
        let n: i64 = get(&row, 2)?;
        let value = accountability::pence(get(&row, 3)?);
        match kind.as_str() {
            "mechanism" => {
                let mechanism: FundingMechanism = get(&row, 1)?;
                parts.by_mechanism.insert(mechanism, (n, value));
                parts.awards += n;
                parts.value += value;
            }
            "group" => {
                let group: LedByAndFor = get(&row, 1)?;
                parts.by_group.insert(group, (n, value));
            }
            "small" => parts.small = value,
            "outside" => parts.outside = value,
            "response-days" => {
                let days: String = get(&row, 1)?;
                if let Ok(days) = days.parse() {
                    record
                        .response_days
                        .push((days, u64::try_from(n).unwrap_or(0)));
                }
            }
            "theme-actions" => {
                let theme: Theme = get(&row, 1)?;
                theme_actions.insert(theme, u64::try_from(n).unwrap_or(0));
            }
            _ => {}
        }
    }
    record.response_days.sort_unstable();
    record.responsiveness.median_days_to_first_response =
        accountability::median(&record.response_days);
    record.funding = accountability::assemble_funding(parts);
    record.themes = Themes::of(&record.commitments, |theme| {
        theme_actions.get(&theme).copied().unwrap_or(0)
    })
    .lines;
    Ok(record)
}

/// A region and its current plan's commitments (anyone; 404 for an
/// unknown code): two statements.
pub async fn region_plan(
    conn: &impl ConnectionTrait,
    code: &str,
    today: NaiveDate,
) -> ApiResult<RegionRecord> {
    let head = head(conn, code, today, false).await?;
    let mut record = record_of(&head)?;
    if let Some(plan) = &record.plan {
        record.commitments = commitments(conn, plan.id, today).await?;
    }
    Ok(record)
}
