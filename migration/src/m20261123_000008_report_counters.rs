//! Counters for the accountability report, kept by every write that changes
//! a counted fact, so that reading the report costs the same whatever the
//! number of actions and issues behind it.
//!
//! Overdue-ness changes with the date, not with a write: open actions are
//! counted per commitment by due month and by due day, and the report sums
//! the months before this one and the days of this month before today — a
//! few dozen rows per commitment at most, whatever the history.
//!
//! The counters are filled from the data already there, so an existing
//! database upgrades to a correct report.

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A counter table: its key columns (the primary key) and what they refer to.
struct Counter {
    table: &'static str,
    keys: &'static [(&'static str, Key)],
}

#[derive(Clone, Copy)]
enum Key {
    /// A foreign key to `table.id`, deleted with it.
    Ref(&'static str),
    Text,
    Date,
    Int,
}

const COUNTERS: &[Counter] = &[
    // Linked actions per commitment by status.
    Counter {
        table: "report_action_statuses",
        keys: &[
            ("commitment_id", Key::Ref("commitments")),
            ("status", Key::Text),
        ],
    },
    // Linked open (open, in-progress, blocked) dated actions per commitment
    // by the first day of their due month, and by their due day.
    Counter {
        table: "report_open_action_months",
        keys: &[
            ("commitment_id", Key::Ref("commitments")),
            ("month", Key::Date),
        ],
    },
    Counter {
        table: "report_open_action_days",
        keys: &[
            ("commitment_id", Key::Ref("commitments")),
            ("due_on", Key::Date),
        ],
    },
    // A plan's commitments per theme and firmness.
    Counter {
        table: "report_theme_commitments",
        keys: &[
            ("plan_id", Key::Ref("regional_plans")),
            ("theme", Key::Text),
            ("firmness", Key::Text),
        ],
    },
    // How many of an action's links reach a theme of a plan: a theme counts
    // an action once however many of its commitments the action serves.
    Counter {
        table: "report_action_themes",
        keys: &[
            ("action_id", Key::Ref("action_items")),
            ("plan_id", Key::Ref("regional_plans")),
            ("theme", Key::Text),
        ],
    },
    // Distinct actions per theme of a plan.
    Counter {
        table: "report_theme_actions",
        keys: &[
            ("plan_id", Key::Ref("regional_plans")),
            ("theme", Key::Text),
        ],
    },
    // Issues not closed, per linked commitment.
    Counter {
        table: "report_commitment_issues",
        keys: &[("commitment_id", Key::Ref("commitments"))],
    },
    // A forum's issues raised, and answered within their due date.
    Counter {
        table: "report_issue_totals",
        keys: &[("forum_id", Key::Ref("forums")), ("figure", Key::Text)],
    },
    // A forum's answered issues by whole days to the first response.
    Counter {
        table: "report_response_days",
        keys: &[("forum_id", Key::Ref("forums")), ("days", Key::Int)],
    },
    // A forum's unanswered, unclosed issues by response due date.
    Counter {
        table: "report_unanswered_issues",
        keys: &[("forum_id", Key::Ref("forums")), ("due_on", Key::Date)],
    },
];

/// Recomputes every counter from the data (as `convene rebuild-report` does).
fn backfill(backend: DbBackend) -> Vec<String> {
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for counter in COUNTERS {
            let mut table = Table::create();
            table.table(col(counter.table));
            let mut primary = Index::create();
            for (name, key) in counter.keys {
                match key {
                    Key::Ref(to) => {
                        table.col(uuid(col(name))).foreign_key(&mut fk(
                            counter.table,
                            name,
                            to,
                            ForeignKeyAction::Cascade,
                        ));
                    }
                    Key::Text => {
                        table.col(string(col(name)));
                    }
                    Key::Date => {
                        table.col(date(col(name)));
                    }
                    Key::Int => {
                        table.col(integer(col(name)));
                    }
                }
                primary.col(col(name));
            }
            table
                .col(big_integer(col("n")).default(0))
                .primary_key(&mut primary);
            manager.create_table(table.to_owned()).await?;
        }
        // The second foreign key of the multiplicities (the first leads
        // their primary key); the report itself reads no index but the
        // primary keys.
        index(manager, "report_action_themes", &["plan_id"]).await?;
        let db = manager.get_connection();
        for statement in backfill(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for counter in COUNTERS.iter().rev() {
            manager
                .drop_table(Table::drop().table(col(counter.table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
