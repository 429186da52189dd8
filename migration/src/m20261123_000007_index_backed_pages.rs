//! Every list reads its page from an index whose order is the page's order,
//! so a page costs the same in a forum of ten records or of a million.
//!
//! Each list is `WHERE <scope> [AND <filter>] AND (<sort key>) > (<cursor>)
//! ORDER BY <sort key> LIMIT n`. An index serves it in order when it holds
//! the scope's and the filter's equality columns first and then the sort key,
//! whole: SQLite's indexes end with its hidden rowid, not with our `id`, so an
//! index that stops before `id` still leaves ties to be sorted. An index
//! that a wider one now covers is replaced by it rather than kept beside it
//! (the wider one still serves the foreign key or report that used it), and
//! every index here is needed by some list: the EXPLAIN test in the API
//! suite names which.
//!
//! Actions sort by due date with undated ones last, a key that `ORDER BY
//! COALESCE(due_on, ?)` computes too late for any index to help. It is now a
//! column the database computes from `due_on` (`due_sort`), so no write can
//! leave it behind: SQLite computes it on read and keeps it in the indexes (a
//! virtual column; `ALTER TABLE` cannot add a stored one), PostgreSQL stores
//! it in the row (rewriting the table once, here).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::helpers::col;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An index a list reads its pages from, and the one it replaces, if any.
struct PageIndex {
    table: &'static str,
    name: &'static str,
    columns: &'static [&'static str],
    /// The replaced index's name and columns (to put it back on the way down).
    replaces: Option<(&'static str, &'static [&'static str])>,
}

const PAGE_INDEXES: &[PageIndex] = &[
    // A forum's actions by due date; also the index of the forum foreign key
    // and of `due_before` (a range on the sort key).
    PageIndex {
        table: "action_items",
        name: "idx_action_items_forum_id_due_sort_id",
        columns: &["forum_id", "due_sort", "id"],
        replaces: Some((
            "idx_action_items_forum_id_due_on_id",
            &["forum_id", "due_on", "id"],
        )),
    },
    // `?status=`: a rare status (blocked, cancelled) would otherwise mean
    // walking the whole forum to fill a page.
    PageIndex {
        table: "action_items",
        name: "idx_action_items_forum_id_status_due_sort_id",
        columns: &["forum_id", "status", "due_sort", "id"],
        replaces: Some((
            "idx_action_items_forum_id_status_due_on",
            &["forum_id", "status", "due_on"],
        )),
    },
    // `?owner_organisation_id=`: one organisation's share of a forum is
    // small. Leading with the owner keeps this the foreign key's index too.
    PageIndex {
        table: "action_items",
        name: "idx_action_items_owner_organisation_id_forum_id_due_sort_id",
        columns: &["owner_organisation_id", "forum_id", "due_sort", "id"],
        replaces: Some((
            "idx_action_items_owner_organisation_id",
            &["owner_organisation_id"],
        )),
    },
    PageIndex {
        table: "raised_issues",
        name: "idx_raised_issues_forum_id_status_response_due_on_id",
        columns: &["forum_id", "status", "response_due_on", "id"],
        replaces: Some(("idx_raised_issues_forum_id_status", &["forum_id", "status"])),
    },
    // `?priority=urgent` is the triage view, and urgent issues are few.
    PageIndex {
        table: "raised_issues",
        name: "idx_raised_issues_forum_id_priority_response_due_on_id",
        columns: &["forum_id", "priority", "response_due_on", "id"],
        replaces: None,
    },
    PageIndex {
        table: "raised_issues",
        name: "idx_raised_issues_organisation_forum_due",
        columns: &[
            "raised_for_organisation_id",
            "forum_id",
            "response_due_on",
            "id",
        ],
        replaces: Some((
            "idx_raised_issues_raised_for_organisation_id",
            &["raised_for_organisation_id"],
        )),
    },
    PageIndex {
        table: "meetings",
        name: "idx_meetings_forum_id_status_starts_at_id",
        columns: &["forum_id", "status", "starts_at", "id"],
        replaces: Some((
            "idx_meetings_forum_id_status_starts_at",
            &["forum_id", "status", "starts_at"],
        )),
    },
    // A plan's commitments are listed by reference (unique within the plan,
    // so it orders them alone); the theme and status filters keep the order.
    // The report's per-plan counts read the same leading columns as before.
    PageIndex {
        table: "commitments",
        name: "idx_commitments_plan_id_theme_reference",
        columns: &["plan_id", "theme", "reference"],
        replaces: Some(("idx_commitments_plan_id_theme", &["plan_id", "theme"])),
    },
    PageIndex {
        table: "commitments",
        name: "idx_commitments_plan_id_status_reference",
        columns: &["plan_id", "status", "reference"],
        replaces: Some(("idx_commitments_plan_id_status", &["plan_id", "status"])),
    },
    PageIndex {
        table: "commitment_status_changes",
        name: "idx_commitment_status_changes_commitment_id_id",
        columns: &["commitment_id", "id"],
        replaces: Some((
            "idx_commitment_status_changes_commitment_id_changed_at",
            &["commitment_id", "changed_at"],
        )),
    },
    PageIndex {
        table: "regional_plans",
        name: "idx_regional_plans_region_id_id",
        columns: &["region_id", "id"],
        replaces: Some((
            "idx_regional_plans_region_id_status",
            &["region_id", "status"],
        )),
    },
    // All of a forum's memberships by id; the existing (forum_id, status, id)
    // serves `?status=` (pending applications are few among the members).
    PageIndex {
        table: "forum_memberships",
        name: "idx_forum_memberships_forum_id_id",
        columns: &["forum_id", "id"],
        replaces: None,
    },
    PageIndex {
        table: "organisations",
        name: "idx_organisations_name_id",
        columns: &["name", "id"],
        replaces: Some(("idx_organisations_name", &["name"])),
    },
    // Twelve rows at most (one forum per region), and hardly ever written:
    // the index costs nothing and keeps the rule without exceptions.
    PageIndex {
        table: "forums",
        name: "idx_forums_name_id",
        columns: &["name", "id"],
        replaces: None,
    },
    PageIndex {
        table: "users",
        name: "idx_users_organisation_id_id",
        columns: &["organisation_id", "id"],
        replaces: Some(("idx_users_organisation_id", &["organisation_id"])),
    },
    // `?disabled=true` is the admins' view of the few closed accounts; without
    // this SQLite would read every account and sort them for either value.
    PageIndex {
        table: "users",
        name: "idx_users_disabled_id",
        columns: &["disabled", "id"],
        replaces: None,
    },
    // The audit trail is the largest table. `?entity=` alone (every action
    // event, say) needs (entity, id); `?entity_id=` (one record's history,
    // with or without `entity`) needs (entity_id, id).
    PageIndex {
        table: "audit_events",
        name: "idx_audit_events_by_entity",
        columns: &["entity", "id"],
        replaces: Some(("idx_audit_events_entity", &["entity", "entity_id"])),
    },
    PageIndex {
        table: "audit_events",
        name: "idx_audit_events_by_record",
        columns: &["entity_id", "id"],
        replaces: None,
    },
];

/// Partial indexes for the "overdue" filters, whose rows are the few still
/// open among the many that are done: a forum's old actions are nearly all
/// done, so walking its whole due-date order to find the open ones would
/// read its history. The lists' queries carry these predicates written
/// exactly so (as literals, not bound values), or neither database would
/// know the index applies.
const PARTIAL_INDEXES: &[(&str, &str, &str)] = &[
    (
        "action_items",
        "idx_action_items_open_due",
        "CREATE INDEX idx_action_items_open_due ON action_items (forum_id, due_sort, id) \
         WHERE status NOT IN ('done', 'cancelled')",
    ),
    (
        "raised_issues",
        "idx_raised_issues_unanswered_due",
        "CREATE INDEX idx_raised_issues_unanswered_due ON raised_issues \
         (forum_id, response_due_on, id) \
         WHERE first_response_at IS NULL AND status <> 'closed'",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let add_due_sort = match manager.get_database_backend() {
            DbBackend::Sqlite => {
                "ALTER TABLE action_items ADD COLUMN due_sort date_text NOT NULL \
                 GENERATED ALWAYS AS (COALESCE(due_on, '9999-12-31')) VIRTUAL"
            }
            _ => {
                "ALTER TABLE action_items ADD COLUMN due_sort date NOT NULL \
                 GENERATED ALWAYS AS (COALESCE(due_on, DATE '9999-12-31')) STORED"
            }
        };
        conn.execute_unprepared(add_due_sort).await?;
        for index in PAGE_INDEXES {
            if let Some((old, _)) = index.replaces {
                drop_index(manager, index.table, old).await?;
            }
            create_index(manager, index.table, index.name, index.columns).await?;
        }
        for (_, _, create) in PARTIAL_INDEXES {
            conn.execute_unprepared(create).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let added = PAGE_INDEXES.iter().map(|i| (i.table, i.name)).chain(
            PARTIAL_INDEXES
                .iter()
                .map(|(table, name, _)| (*table, *name)),
        );
        for (table, name) in added {
            drop_index(manager, table, name).await?;
        }
        for index in PAGE_INDEXES {
            if let Some((old, columns)) = index.replaces {
                create_index(manager, index.table, old, columns).await?;
            }
        }
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE action_items DROP COLUMN due_sort")
            .await?;
        Ok(())
    }
}

async fn create_index(
    manager: &SchemaManager<'_>,
    table: &str,
    name: &str,
    columns: &[&str],
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(col(table));
    for c in columns {
        stmt.col(col(c));
    }
    manager.create_index(stmt.to_owned()).await
}

async fn drop_index(manager: &SchemaManager<'_>, table: &str, name: &str) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).table(col(table)).to_owned())
        .await
}
