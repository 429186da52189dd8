//! The accountability report's counters: kept by every write that changes a
//! counted fact, in that write's transaction (this module), and read by the
//! report instead of aggregating every action on each request
//! (`accountability::counted`).
//!
//! Every change is an `INSERT … ON CONFLICT … DO UPDATE SET n = n + delta`:
//! the database adds, so two concurrent writes never lose one another's
//! change (a read-modify-write in Rust would, under READ COMMITTED). The
//! tables are made by migration `m20261123_000008_report_counters`, whose
//! doc says what each one counts; rows counting zero are left in place.

mod rebuild;
mod writes;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};
use uuid::Uuid;

pub use rebuild::{TABLES, rebuild, snapshot};
pub use writes::{
    ActionFacts, action_changed, actions_linked, commitment_added, commitment_changed,
    commitments_imported, issue_changed, issue_raised,
};

/// A counter table and its key columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Counter {
    ActionStatuses,
    OpenActionMonths,
    OpenActionDays,
    ThemeCommitments,
    ThemeActions,
    CommitmentIssues,
    IssueTotals,
    ResponseDays,
    UnansweredIssues,
}

impl Counter {
    fn table(self) -> &'static str {
        match self {
            Self::ActionStatuses => "report_action_statuses",
            Self::OpenActionMonths => "report_open_action_months",
            Self::OpenActionDays => "report_open_action_days",
            Self::ThemeCommitments => "report_theme_commitments",
            Self::ThemeActions => "report_theme_actions",
            Self::CommitmentIssues => "report_commitment_issues",
            Self::IssueTotals => "report_issue_totals",
            Self::ResponseDays => "report_response_days",
            Self::UnansweredIssues => "report_unanswered_issues",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Self::ActionStatuses => &["commitment_id", "status"],
            Self::OpenActionMonths => &["commitment_id", "month"],
            Self::OpenActionDays => &["commitment_id", "due_on"],
            Self::ThemeCommitments => &["plan_id", "theme", "firmness"],
            Self::ThemeActions => &["plan_id", "theme"],
            Self::CommitmentIssues => &["commitment_id"],
            Self::IssueTotals => &["forum_id", "figure"],
            Self::ResponseDays => &["forum_id", "days"],
            Self::UnansweredIssues => &["forum_id", "due_on"],
        }
    }
}

/// One part of a counter's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Part {
    Id(Uuid),
    Text(&'static str),
    Date(NaiveDate),
    Int(i32),
}

impl From<Part> for Value {
    fn from(part: Part) -> Self {
        match part {
            Part::Id(id) => id.into(),
            Part::Text(text) => text.into(),
            Part::Date(date) => date.into(),
            Part::Int(n) => n.into(),
        }
    }
}

/// The first day of a date's month: the key of the month counters.
pub(crate) fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// A statement written with PostgreSQL's `$n` placeholders, for either
/// database (SQLite's `?n` means the same).
pub(crate) fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => sql.to_string(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn upsert_sql(counter: Counter) -> String {
    let keys = counter.keys();
    let table = counter.table();
    let placeholders: Vec<String> = (1..=keys.len() + 1).map(|i| format!("${i}")).collect();
    format!(
        "INSERT INTO {table} ({keys}, n) VALUES ({values}) \
         ON CONFLICT ({keys}) DO UPDATE SET n = {table}.n + excluded.n",
        keys = keys.join(", "),
        values = placeholders.join(", "),
    )
}

/// Changes to counters, merged by key, written in key order: changes that
/// cancel out are not written, and two transactions touching the same rows
/// lock them in the same order.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    changes: BTreeMap<(Counter, Vec<Part>), i64>,
}

impl Tally {
    pub fn add(&mut self, counter: Counter, key: Vec<Part>, n: i64) {
        *self.changes.entry((counter, key)).or_default() += n;
    }

    pub async fn write(self, conn: &impl ConnectionTrait) -> Result<(), DbErr> {
        let backend = conn.get_database_backend();
        for ((counter, key), n) in self.changes {
            if n == 0 {
                continue;
            }
            let mut values: Vec<Value> = key.into_iter().map(Value::from).collect();
            values.push(n.into());
            conn.execute_raw(statement(backend, &upsert_sql(counter), values))
                .await?;
        }
        Ok(())
    }
}
