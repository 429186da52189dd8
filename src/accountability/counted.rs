//! The report's figures read from the counters: each a handful of rows per
//! commitment or per theme, whatever the number of actions and issues. They
//! answer exactly what the aggregates in `oracle` answer.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{ActionStatus, Firmness, PlanStatus, Theme};
use sea_orm::{ConnectionTrait, DbErr, QueryResult, TryGetable, Value};
use uuid::Uuid;

use super::types::ActionCounts;
use crate::counters::{month_of, statement};
use crate::issues::Responsiveness;

async fn rows(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    conn.query_all_raw(statement(conn.get_database_backend(), sql, values))
        .await
}

fn get<T: TryGetable>(row: &QueryResult, index: usize) -> Result<T, DbErr> {
    row.try_get_by_index(index)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Linked actions per commitment of a plan, by status and overdue as of `today`.
pub async fn action_counts(
    conn: &impl ConnectionTrait,
    plan_id: Uuid,
    today: NaiveDate,
) -> Result<HashMap<Uuid, ActionCounts>, DbErr> {
    let mut counts: HashMap<Uuid, ActionCounts> = HashMap::new();
    let by_status = rows(
        conn,
        "SELECT s.commitment_id, s.status, s.n FROM report_action_statuses s \
         JOIN commitments c ON c.id = s.commitment_id WHERE c.plan_id = $1 AND s.n <> 0",
        vec![plan_id.into()],
    )
    .await?;
    for row in by_status {
        let c = counts.entry(get(&row, 0)?).or_default();
        let n = count(get(&row, 2)?);
        match get::<ActionStatus>(&row, 1)? {
            ActionStatus::Open => c.open += n,
            ActionStatus::InProgress => c.in_progress += n,
            ActionStatus::Blocked => c.blocked += n,
            ActionStatus::Done => c.done += n,
            ActionStatus::Cancelled => c.cancelled += n,
        }
        c.total += n;
    }
    // Overdue: open actions due in the months before this one, and in this
    // month before today.
    let overdue = rows(
        conn,
        "SELECT o.commitment_id, CAST(SUM(o.n) AS BIGINT) FROM ( \
           SELECT m.commitment_id, m.n FROM report_open_action_months m \
           JOIN commitments c ON c.id = m.commitment_id \
           WHERE c.plan_id = $1 AND m.month < $2 \
           UNION ALL \
           SELECT d.commitment_id, d.n FROM report_open_action_days d \
           JOIN commitments c ON c.id = d.commitment_id \
           WHERE c.plan_id = $1 AND d.due_on >= $2 AND d.due_on < $3 \
         ) o GROUP BY o.commitment_id",
        vec![plan_id.into(), month_of(today).into(), today.into()],
    )
    .await?;
    for row in overdue {
        let n = count(get(&row, 1)?);
        if n > 0 {
            counts.entry(get(&row, 0)?).or_default().overdue = n;
        }
    }
    Ok(counts)
}

/// Distinct actions linked to each theme's commitments, for one plan or for
/// every current plan (keyed by region).
pub async fn actions_per_theme(
    conn: &impl ConnectionTrait,
    plan_id: Option<Uuid>,
) -> Result<HashMap<(Uuid, Theme), u64>, DbErr> {
    let select = "SELECT p.region_id, t.theme, t.n FROM report_theme_actions t \
                  JOIN regional_plans p ON p.id = t.plan_id WHERE t.n <> 0 AND";
    let found = match plan_id {
        Some(plan_id) => {
            rows(
                conn,
                &format!("{select} t.plan_id = $1"),
                vec![plan_id.into()],
            )
            .await?
        }
        None => {
            rows(
                conn,
                &format!("{select} p.status = $1"),
                vec![PlanStatus::Current.as_str().into()],
            )
            .await?
        }
    };
    found
        .iter()
        .map(|row| Ok(((get(row, 0)?, get(row, 1)?), count(get(row, 2)?))))
        .collect()
}

/// Commitments of every current plan, per region, theme and firmness.
pub async fn commitments_per_theme(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Uuid, Theme, Firmness, u64)>, DbErr> {
    rows(
        conn,
        "SELECT p.region_id, p.id, t.theme, t.firmness, t.n FROM report_theme_commitments t \
         JOIN regional_plans p ON p.id = t.plan_id WHERE p.status = $1 AND t.n <> 0",
        vec![PlanStatus::Current.as_str().into()],
    )
    .await?
    .iter()
    .map(|row| {
        Ok((
            get(row, 0)?,
            get(row, 1)?,
            get(row, 2)?,
            get(row, 3)?,
            count(get(row, 4)?),
        ))
    })
    .collect()
}

/// Issues not yet closed, per commitment of a plan.
pub async fn open_issues(
    conn: &impl ConnectionTrait,
    plan_id: Uuid,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    rows(
        conn,
        "SELECT i.commitment_id, i.n FROM report_commitment_issues i \
         JOIN commitments c ON c.id = i.commitment_id WHERE c.plan_id = $1 AND i.n <> 0",
        vec![plan_id.into()],
    )
    .await?
    .iter()
    .map(|row| Ok((get(row, 0)?, count(get(row, 1)?))))
    .collect()
}

/// The forum's responsiveness figures; the median from the counts per
/// number of days, taken as the oracle takes it from the ordered values.
pub async fn responsiveness(
    conn: &impl ConnectionTrait,
    forum_id: Uuid,
    today: NaiveDate,
) -> Result<Responsiveness, DbErr> {
    let mut figures = Responsiveness::default();
    for row in rows(
        conn,
        "SELECT figure, n FROM report_issue_totals WHERE forum_id = $1",
        vec![forum_id.into()],
    )
    .await?
    {
        let n = count(get(&row, 1)?);
        match get::<String>(&row, 0)?.as_str() {
            "raised" => figures.issues_raised = n,
            "answered-within-due-date" => figures.answered_within_due_date = n,
            _ => {}
        }
    }
    let past_due = rows(
        conn,
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM report_unanswered_issues \
         WHERE forum_id = $1 AND due_on < $2",
        vec![forum_id.into(), today.into()],
    )
    .await?;
    if let Some(row) = past_due.first() {
        figures.open_past_due = count(get(row, 0)?);
    }
    let days: Vec<(i32, u64)> = rows(
        conn,
        "SELECT days, n FROM report_response_days WHERE forum_id = $1 AND n > 0 ORDER BY days",
        vec![forum_id.into()],
    )
    .await?
    .iter()
    .map(|row| Ok((get(row, 0)?, count(get(row, 1)?))))
    .collect::<Result<_, DbErr>>()?;
    figures.median_days_to_first_response = median(&days);
    Ok(figures)
}

/// The middle value (or the mean of the middle two) of values given as
/// (value, how many) in ascending order.
pub(crate) fn median(histogram: &[(i32, u64)]) -> Option<f64> {
    let n: u64 = histogram.iter().map(|(_, k)| k).sum();
    if n == 0 {
        return None;
    }
    let first = (n - 1) / 2;
    let positions = if n.is_multiple_of(2) {
        vec![first, first + 1]
    } else {
        vec![first]
    };
    let mut values = Vec::with_capacity(2);
    for position in positions {
        let mut seen = 0;
        for (value, k) in histogram {
            seen += k;
            if position < seen {
                values.push(f64::from(*value));
                break;
            }
        }
    }
    Some(values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_counted_values_is_the_median_of_the_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(4, 1)]), Some(4.0));
        assert_eq!(median(&[(1, 1), (3, 1)]), Some(2.0));
        assert_eq!(median(&[(1, 2), (9, 1)]), Some(1.0));
        assert_eq!(median(&[(1, 2), (5, 1), (9, 1)]), Some(3.0));
        assert_eq!(median(&[(2, 3), (7, 3)]), Some(4.5));
    }
}
