//! Query plans of page queries, and the rule they must keep: the page is read
//! from an index in the page's order, never gathered whole and sorted.
//!
//! SQLite plans with `EXPLAIN QUERY PLAN`. PostgreSQL plans with `EXPLAIN`,
//! with sequential scans, sorts and bitmap scans turned off for the one
//! statement: on a test's handful of rows its planner would rightly prefer
//! to read the table and sort it, which says nothing about a forum of a
//! million. Turned off, those paths are still taken when nothing else can
//! answer the query, so a Sort or Seq Scan left in the plan means no index
//! can give the page in order — which is what this checks, on both databases.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

/// How the page's rows must be reached.
#[derive(Clone, Copy, Debug)]
pub enum Via {
    /// Read in order from this index.
    Index(&'static str),
    /// Read in order from either index: both serve the filter, and which is
    /// cheaper on a test's handful of rows is a coin toss.
    Either(&'static str, &'static str),
    /// Read in order from the table's primary key.
    PrimaryKey,
    /// Read in order from a unique constraint (SQLite names its index after
    /// the table).
    Unique {
        name: &'static str,
        sqlite: &'static str,
    },
    /// A commitment's few linked rows, found through the link table's index
    /// and then sorted: bounded by the commitment, not by the forum.
    Links {
        table: &'static str,
        index: &'static str,
    },
}

/// The columns a list is ordered by.
pub type SortKey = &'static [&'static str];

#[derive(Clone, Copy, Debug)]
pub struct Expect {
    /// The table the page's rows come from.
    pub table: &'static str,
    pub via: Via,
    /// The columns of the sort key: a later page must seek to the cursor by
    /// them, not read the earlier pages again.
    pub sort_key: SortKey,
}

impl Expect {
    pub fn index(table: &'static str, name: &'static str, sort_key: SortKey) -> Self {
        Expect {
            table,
            via: Via::Index(name),
            sort_key,
        }
    }

    pub fn primary_key(table: &'static str, sort_key: SortKey) -> Self {
        Expect {
            table,
            via: Via::PrimaryKey,
            sort_key,
        }
    }

    pub fn unique(
        table: &'static str,
        name: &'static str,
        sqlite: &'static str,
        sort_key: SortKey,
    ) -> Self {
        Expect {
            table,
            via: Via::Unique { name, sqlite },
            sort_key,
        }
    }

    pub fn through_links(table: &'static str, links: &'static str, sort_key: SortKey) -> Self {
        let index = match links {
            "action_commitments" => "idx_action_commitments_commitment_id",
            _ => "idx_raised_issue_commitments_commitment_id",
        };
        Expect {
            table,
            via: Via::Links {
                table: links,
                index,
            },
            sort_key,
        }
    }
}

impl Via {
    fn names(self, table: &str) -> Vec<String> {
        match self {
            Via::Index(name) | Via::Links { index: name, .. } => vec![name.into()],
            Via::Either(one, other) => vec![one.into(), other.into()],
            Via::PrimaryKey => vec![
                format!("sqlite_autoindex_{table}_1"),
                format!("{table}_pkey"),
            ],
            Via::Unique { name, sqlite } => vec![name.into(), sqlite.into()],
        }
    }
}

/// The plan of a statement, one line per node; with `without` dropped for
/// the while (in a transaction that is rolled back, on both databases).
pub async fn explain(
    db: &DatabaseConnection,
    page: &Statement,
    without: Option<&str>,
) -> Vec<String> {
    let backend = db.get_database_backend();
    let explained = |prefix: &str| Statement {
        sql: format!("{prefix} {}", page.sql),
        values: page.values.clone(),
        db_backend: backend,
    };
    let txn = db.begin().await.expect("begin");
    if let Some(index) = without {
        txn.execute_unprepared(&format!("DROP INDEX {index}"))
            .await
            .expect("drop the index for the while");
    }
    let lines = if backend == DbBackend::Postgres {
        for path in [
            "enable_seqscan",
            "enable_sort",
            "enable_incremental_sort",
            "enable_bitmapscan",
        ] {
            txn.execute_unprepared(&format!("SET LOCAL {path} = off"))
                .await
                .expect("planner setting");
        }
        let rows = txn
            .query_all_raw(explained("EXPLAIN"))
            .await
            .expect("EXPLAIN");
        rows.iter()
            .map(|r| r.try_get::<String>("", "QUERY PLAN").expect("plan line"))
            .collect()
    } else {
        let rows = txn
            .query_all_raw(explained("EXPLAIN QUERY PLAN"))
            .await
            .expect("EXPLAIN QUERY PLAN");
        let mut depth = std::collections::HashMap::new();
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("", "id").expect("node id");
                let parent: i64 = r.try_get("", "parent").expect("parent id");
                let detail: String = r.try_get("", "detail").expect("detail");
                let d = depth.get(&parent).map_or(0, |d| d + 1);
                depth.insert(id, d);
                format!("{}{detail}", "  ".repeat(d))
            })
            .collect()
    };
    txn.rollback().await.expect("rollback");
    lines
}

/// `Ok` when the plan reads the page as `expect` says; otherwise why not,
/// with the plan.
pub fn check(
    plan: &[String],
    backend: DbBackend,
    expect: Expect,
    after_cursor: bool,
) -> Result<(), String> {
    let checked = if backend == DbBackend::Postgres {
        check_postgres(plan, expect, after_cursor)
    } else {
        check_sqlite(plan, expect, after_cursor)
    };
    checked.map_err(|why| format!("{why}; the plan:\n{}", plan.join("\n")))
}

fn check_sqlite(plan: &[String], expect: Expect, after_cursor: bool) -> Result<(), String> {
    let lines: Vec<&str> = plan.iter().map(|l| l.trim()).collect();
    // A scan through an index is a walk in order only for the listed table;
    // any other table scanned (say, in a subquery per row) is read whole.
    let listed = format!("SCAN {} ", expect.table);
    if let Some(scan) = lines
        .iter()
        .find(|l| l.starts_with("SCAN ") && (!l.contains(" USING ") || !l.starts_with(&listed)))
    {
        return Err(format!("reads a whole table ({scan})"));
    }
    let sorts = lines.iter().any(|l| l.starts_with("USE TEMP B-TREE"));
    let names = expect.via.names(expect.table);
    if let Via::Links { table, index } = expect.via {
        let first = lines
            .iter()
            .find(|l| l.starts_with("SEARCH ") || l.starts_with("SCAN "));
        return match first {
            Some(l) if l.starts_with(&format!("SEARCH {table} ")) && uses(l, index) => Ok(()),
            _ => Err(format!("does not start from the links, through {index}")),
        };
    }
    if sorts {
        return Err("sorts the rows instead of reading them in order".into());
    }
    let read = lines
        .iter()
        .find(|l| {
            (l.starts_with(&format!("SEARCH {} ", expect.table))
                || l.starts_with(&format!("SCAN {} ", expect.table)))
                && names.iter().any(|n| uses(l, n))
        })
        .ok_or_else(|| format!("does not read {} through {names:?}", expect.table))?;
    let key = match expect.sort_key {
        [column] => column.to_string(),
        columns => format!("({})", columns.join(",")),
    };
    let seeks = [" ", "("].iter().any(|before| {
        [">", "<"]
            .iter()
            .any(|op| read.contains(&format!("{before}{key}{op}")))
    });
    if after_cursor && !seeks {
        return Err(format!("does not seek to the cursor by {key}"));
    }
    Ok(())
}

fn uses(line: &str, index: &str) -> bool {
    let tail = format!("INDEX {index}");
    line.contains(&format!("{tail} ")) || line.ends_with(&tail)
}

fn check_postgres(plan: &[String], expect: Expect, after_cursor: bool) -> Result<(), String> {
    if let Some(scan) = plan.iter().find(|l| l.contains("Seq Scan")) {
        return Err(format!("reads a whole table ({})", scan.trim()));
    }
    // An index walked without a condition is read whole: allowed only for
    // the listed table, whose index order is the page's.
    for (at, line) in plan.iter().enumerate() {
        let other_table =
            line.contains(" Scan using ") && !line.contains(&format!(" on {} ", expect.table));
        let searched = below(plan, at)
            .take_while(|l| !l.contains("->"))
            .any(|l| l.contains("Index Cond:"));
        if other_table && !searched {
            return Err(format!("reads a whole index ({})", line.trim()));
        }
    }
    for (at, line) in plan.iter().enumerate() {
        let node = line.trim_start().trim_start_matches("->").trim_start();
        if !(node.starts_with("Sort") || node.starts_with("Incremental Sort")) {
            continue;
        }
        let over_links = match expect.via {
            Via::Links { index, .. } => {
                below(plan, at).any(|l| l.contains(&format!("using {index} ")))
            }
            _ => false,
        };
        if !over_links {
            return Err("sorts the rows instead of reading them in order".into());
        }
    }
    if let Via::Links { .. } = expect.via {
        return Ok(());
    }
    let names = expect.via.names(expect.table);
    let at = plan
        .iter()
        .position(|l| {
            names
                .iter()
                .any(|n| l.contains(&format!("using {n} on {} ", expect.table)))
        })
        .ok_or_else(|| format!("does not read {} through {names:?}", expect.table))?;
    let comparisons = match expect.sort_key {
        [column] => vec![format!("({column} >"), format!("({column} <")],
        columns => vec![format!("ROW({}) >", columns.join(", "))],
    };
    // Text columns are shown cast, `(name)::text`.
    let uncast = |line: &str| {
        expect
            .sort_key
            .iter()
            .fold(line.to_string(), |line, column| {
                line.replace(&format!("({column})::text"), column)
            })
    };
    let seeks = below(plan, at)
        .take_while(|l| !l.contains("->"))
        .map(|l| uncast(l))
        .any(|l| l.contains("Index Cond:") && comparisons.iter().any(|c| l.contains(c)));
    if after_cursor && !seeks {
        return Err(format!(
            "does not seek to the cursor by {}",
            expect.sort_key.join(", ")
        ));
    }
    Ok(())
}

/// The lines of the nodes under the node at `at` (more deeply indented).
fn below(plan: &[String], at: usize) -> impl Iterator<Item = &String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let own = indent(&plan[at]);
    plan[at + 1..].iter().take_while(move |l| indent(l) > own)
}
