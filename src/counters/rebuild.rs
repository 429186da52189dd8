//! Recomputing every counter from the data, with the aggregate queries the
//! report ran before it had counters: `convene rebuild-report`, the
//! benchmark's bulk load, and the tests that hold the counters to them.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// Every counter table, in the order they are rebuilt.
pub const TABLES: &[&str] = &[
    "report_action_statuses",
    "report_open_action_months",
    "report_open_action_days",
    "report_theme_commitments",
    "report_action_themes",
    "report_theme_actions",
    "report_commitment_issues",
    "report_issue_totals",
    "report_response_days",
    "report_unanswered_issues",
];

fn aggregates(backend: DbBackend) -> Vec<String> {
    let month = match backend {
        DbBackend::Postgres => "CAST(date_trunc('month', a.due_on) AS date)",
        _ => "date(a.due_on, 'start of month')",
    };
    let open = "a.status IN ('open', 'in-progress', 'blocked') AND a.due_on IS NOT NULL";
    vec![
        "INSERT INTO report_action_statuses (commitment_id, status, n) \
         SELECT l.commitment_id, a.status, COUNT(*) FROM action_commitments l \
         JOIN action_items a ON a.id = l.action_id GROUP BY l.commitment_id, a.status"
            .into(),
        format!(
            "INSERT INTO report_open_action_months (commitment_id, month, n) \
             SELECT l.commitment_id, {month}, COUNT(*) FROM action_commitments l \
             JOIN action_items a ON a.id = l.action_id WHERE {open} GROUP BY 1, 2"
        ),
        format!(
            "INSERT INTO report_open_action_days (commitment_id, due_on, n) \
             SELECT l.commitment_id, a.due_on, COUNT(*) FROM action_commitments l \
             JOIN action_items a ON a.id = l.action_id WHERE {open} GROUP BY 1, 2"
        ),
        "INSERT INTO report_theme_commitments (plan_id, theme, firmness, n) \
         SELECT plan_id, theme, firmness, COUNT(*) FROM commitments GROUP BY 1, 2, 3"
            .into(),
        "INSERT INTO report_action_themes (action_id, plan_id, theme, n) \
         SELECT l.action_id, c.plan_id, c.theme, COUNT(*) FROM action_commitments l \
         JOIN commitments c ON c.id = l.commitment_id GROUP BY 1, 2, 3"
            .into(),
        "INSERT INTO report_theme_actions (plan_id, theme, n) \
         SELECT plan_id, theme, COUNT(*) FROM report_action_themes GROUP BY 1, 2"
            .into(),
        "INSERT INTO report_commitment_issues (commitment_id, n) \
         SELECT l.commitment_id, COUNT(*) FROM raised_issue_commitments l \
         JOIN raised_issues i ON i.id = l.issue_id WHERE i.status <> 'closed' GROUP BY 1"
            .into(),
        "INSERT INTO report_issue_totals (forum_id, figure, n) \
         SELECT forum_id, 'raised', COUNT(*) FROM raised_issues GROUP BY 1"
            .into(),
        "INSERT INTO report_issue_totals (forum_id, figure, n) \
         SELECT forum_id, 'answered-within-due-date', COUNT(*) FROM raised_issues \
         WHERE answered_within_due_date GROUP BY 1"
            .into(),
        "INSERT INTO report_response_days (forum_id, days, n) \
         SELECT forum_id, days_to_first_response, COUNT(*) FROM raised_issues \
         WHERE days_to_first_response IS NOT NULL GROUP BY 1, 2"
            .into(),
        "INSERT INTO report_unanswered_issues (forum_id, due_on, n) \
         SELECT forum_id, response_due_on, COUNT(*) FROM raised_issues \
         WHERE first_response_at IS NULL AND status <> 'closed' GROUP BY 1, 2"
            .into(),
    ]
}

/// Empties and refills every counter. Run it in a write transaction, so
/// that the report never sees the counters half-built and no write lands
/// between the emptying and the refilling.
pub async fn rebuild(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    for table in TABLES {
        conn.execute_unprepared(&format!("DELETE FROM {table}"))
            .await?;
    }
    let backend = conn.get_database_backend();
    for sql in aggregates(backend) {
        conn.execute_raw(Statement::from_string(backend, sql))
            .await?;
    }
    Ok(())
}

/// Every non-zero counter row as text, table by table, sorted: what the
/// tests compare before and after a rebuild.
pub async fn snapshot(conn: &impl ConnectionTrait) -> Result<Vec<(String, Vec<String>)>, DbErr> {
    let backend = conn.get_database_backend();
    let mut tables = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        // Every column, keys and count, as one text per row.
        let sql = match backend {
            DbBackend::Postgres => format!("SELECT CAST(t AS text) FROM {table} t WHERE n <> 0"),
            _ => {
                let columns = column_names(conn, table).await?;
                let quoted: Vec<String> = columns.iter().map(|c| format!("quote({c})")).collect();
                format!(
                    "SELECT {} FROM {table} WHERE n <> 0",
                    quoted.join(" || '|' || ")
                )
            }
        };
        let mut rows: Vec<String> = conn
            .query_all_raw(Statement::from_string(backend, sql))
            .await?
            .iter()
            .map(|r| r.try_get_by_index::<String>(0))
            .collect::<Result<_, _>>()?;
        rows.sort();
        tables.push(((*table).to_string(), rows));
    }
    Ok(tables)
}

async fn column_names(conn: &impl ConnectionTrait, table: &str) -> Result<Vec<String>, DbErr> {
    conn.query_all_raw(Statement::from_string(
        DbBackend::Sqlite,
        format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
    ))
    .await?
    .iter()
    .map(|r| r.try_get_by_index::<String>(0))
    .collect()
}
