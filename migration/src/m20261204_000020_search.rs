//! Full-text search of the lists people search in — actions, issues,
//! commitments, meetings and the sections of minutes — with each
//! database's own engine, kept in step with every write by the database
//! itself, in the writing transaction:
//!
//! - PostgreSQL: each table's English `tsvector`, kept in a generated
//!   column (`search_document`; ranking reads it rather than parsing every
//!   match's text again) with a GIN index.
//! - SQLite: an FTS5 table per table (English stemming), holding no copy
//!   of the text (`content=` the table), kept by triggers on the table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each searched table and its searched columns (`NOT NULL` ones first;
/// keep in step with the application's `search` module).
const SEARCHED: [(&str, &[&str]); 5] = [
    ("action_items", &["title", "description"]),
    ("raised_issues", &["title", "body"]),
    ("commitments", &["reference", "text", "target"]),
    ("meetings", &["title", "description", "location"]),
    ("minutes_sections", &["heading", "body"]),
];

/// The text PostgreSQL indexes: the columns, nulls as empty, spaced.
fn document(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!("coalesce({c}, '')"))
        .collect::<Vec<_>>()
        .join(" || ' ' || ")
}

fn sqlite_statements(table: &str, columns: &[&str]) -> Vec<String> {
    let fts = format!("{table}_search");
    let list = columns.join(", ");
    let new = columns
        .iter()
        .map(|c| format!("new.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let old = columns
        .iter()
        .map(|c| format!("old.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        format!(
            "CREATE VIRTUAL TABLE {fts} USING fts5({list}, content='{table}', \
             tokenize='porter unicode61 remove_diacritics 2')"
        ),
        format!(
            "CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN \
             INSERT INTO {fts}(rowid, {list}) VALUES (new.rowid, {new}); END"
        ),
        format!(
            "CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN \
             INSERT INTO {fts}({fts}, rowid, {list}) VALUES ('delete', old.rowid, {old}); END"
        ),
        format!(
            "CREATE TRIGGER {fts}_update AFTER UPDATE OF {list} ON {table} BEGIN \
             INSERT INTO {fts}({fts}, rowid, {list}) VALUES ('delete', old.rowid, {old}); \
             INSERT INTO {fts}(rowid, {list}) VALUES (new.rowid, {new}); END"
        ),
        // What the table already holds.
        format!("INSERT INTO {fts}({fts}) VALUES ('rebuild')"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, columns) in SEARCHED {
            match db.get_database_backend() {
                DbBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE {table} ADD COLUMN search_document tsvector \
                         GENERATED ALWAYS AS (to_tsvector('english', {})) STORED",
                        document(columns)
                    ))
                    .await?;
                    db.execute_unprepared(&format!(
                        "CREATE INDEX idx_{table}_search ON {table} USING GIN (search_document)"
                    ))
                    .await?;
                }
                _ => {
                    for statement in sqlite_statements(table, columns) {
                        db.execute_unprepared(&statement).await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, _) in SEARCHED {
            match db.get_database_backend() {
                DbBackend::Postgres => {
                    db.execute_unprepared(&format!("DROP INDEX idx_{table}_search"))
                        .await?;
                    db.execute_unprepared(&format!(
                        "ALTER TABLE {table} DROP COLUMN search_document"
                    ))
                    .await?;
                }
                _ => {
                    for trigger in ["insert", "delete", "update"] {
                        db.execute_unprepared(&format!("DROP TRIGGER {table}_search_{trigger}"))
                            .await?;
                    }
                    db.execute_unprepared(&format!("DROP TABLE {table}_search"))
                        .await?;
                }
            }
        }
        Ok(())
    }
}
