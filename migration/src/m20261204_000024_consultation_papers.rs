//! Papers may belong to a consultation (the consultation document, a
//! briefing on it): a fourth holder, still exactly one per paper.
//!
//! PostgreSQL changes the check in place. SQLite cannot change a check, so
//! there the table is rebuilt, in one transaction: `paper_versions` (which
//! refers to `papers`, and would lose its rows to the cascade if `papers`
//! were dropped under it) is set aside and rebuilt too.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Exactly one holder; an agenda item only with its meeting.
const ONE_HOLDER: &str = "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) \
     + (CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END) \
     + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) \
     + (CASE WHEN consultation_id IS NULL THEN 0 ELSE 1 END) = 1 \
     AND (agenda_item_id IS NULL OR meeting_id IS NOT NULL)";

const THREE_HOLDERS: &str = "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) \
     + (CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END) \
     + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) = 1 \
     AND (agenda_item_id IS NULL OR meeting_id IS NOT NULL)";

/// The columns of `papers` before this migration, in order.
const PAPER_COLUMNS: &str = "id, forum_id, meeting_id, agenda_item_id, issue_id, plan_id, title, \
     description, visibility, visibility_reason, current_version, content_id, file_name, \
     content_type, size, sha256, version, uploaded_by, created_at, updated_at";

const VERSION_COLUMNS: &str = "id, paper_id, number, content_id, file_name, content_type, size, \
     sha256, reason, uploaded_by, uploaded_at";

fn papers_table(name: &str, with_consultation: bool) -> TableCreateStatement {
    use ForeignKeyAction::{Cascade, Restrict, SetNull};
    let mut table = Table::create();
    table
        .table(col(name))
        .col(pk_uuid(col("id")))
        .col(uuid_null(col("forum_id")))
        .col(uuid_null(col("meeting_id")))
        .col(uuid_null(col("agenda_item_id")))
        .col(uuid_null(col("issue_id")))
        .col(uuid_null(col("plan_id")))
        .col(string(col("title")))
        .col(text(col("description")))
        .col(string_null(col("visibility")))
        .col(text_null(col("visibility_reason")))
        .col(integer(col("current_version")))
        .col(uuid(col("content_id")))
        .col(string(col("file_name")))
        .col(string(col("content_type")))
        .col(big_integer(col("size")))
        .col(string(col("sha256")))
        .col(integer(col("version")))
        .col(uuid_null(col("uploaded_by")))
        .col(timestamp_with_time_zone(col("created_at")))
        .col(timestamp_with_time_zone(col("updated_at")))
        .foreign_key(&mut fk(name, "forum_id", "forums", Cascade))
        .foreign_key(&mut fk(name, "meeting_id", "meetings", Cascade))
        .foreign_key(&mut fk(name, "agenda_item_id", "agenda_items", Cascade))
        .foreign_key(&mut fk(name, "issue_id", "raised_issues", Cascade))
        .foreign_key(&mut fk(name, "plan_id", "regional_plans", Cascade))
        .foreign_key(&mut fk(name, "content_id", "paper_contents", Restrict))
        .foreign_key(&mut fk(name, "uploaded_by", "users", SetNull));
    if with_consultation {
        table
            .col(uuid_null(col("consultation_id")))
            .foreign_key(&mut fk(name, "consultation_id", "consultations", Cascade))
            .check(Expr::cust(ONE_HOLDER));
    } else {
        table.check(Expr::cust(THREE_HOLDERS));
    }
    table.to_owned()
}

fn versions_table() -> TableCreateStatement {
    use ForeignKeyAction::{Cascade, Restrict, SetNull};
    Table::create()
        .table(col("paper_versions"))
        .col(pk_uuid(col("id")))
        .col(uuid(col("paper_id")))
        .col(integer(col("number")))
        .col(uuid(col("content_id")))
        .col(string(col("file_name")))
        .col(string(col("content_type")))
        .col(big_integer(col("size")))
        .col(string(col("sha256")))
        .col(text_null(col("reason")))
        .col(uuid_null(col("uploaded_by")))
        .col(timestamp_with_time_zone(col("uploaded_at")))
        .foreign_key(&mut fk("paper_versions", "paper_id", "papers", Cascade))
        .foreign_key(&mut fk(
            "paper_versions",
            "content_id",
            "paper_contents",
            Restrict,
        ))
        .foreign_key(&mut fk("paper_versions", "uploaded_by", "users", SetNull))
        .to_owned()
}

async fn paper_indexes(manager: &SchemaManager<'_>, with_consultation: bool) -> Result<(), DbErr> {
    index(manager, "papers", &["meeting_id", "id"]).await?;
    index(manager, "papers", &["agenda_item_id", "id"]).await?;
    index(manager, "papers", &["issue_id", "id"]).await?;
    index(manager, "papers", &["plan_id", "id"]).await?;
    index(manager, "papers", &["forum_id"]).await?;
    index(manager, "papers", &["content_id"]).await?;
    index(manager, "papers", &["uploaded_by"]).await?;
    if with_consultation {
        index(manager, "papers", &["consultation_id", "id"]).await?;
    }
    Ok(())
}

async fn version_indexes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name("uq_paper_versions_paper_number")
                .table(col("paper_versions"))
                .col(col("paper_id"))
                .col(col("number"))
                .unique()
                .to_owned(),
        )
        .await?;
    index(manager, "paper_versions", &["content_id"]).await?;
    index(manager, "paper_versions", &["uploaded_by"]).await
}

/// SQLite: rebuilds `papers` as `build` makes it, keeping every row of it
/// and of `paper_versions`.
async fn rebuild_on_sqlite(
    manager: &SchemaManager<'_>,
    with_consultation: bool,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "CREATE TEMPORARY TABLE paper_versions_kept AS SELECT {VERSION_COLUMNS} FROM paper_versions"
    ))
    .await?;
    manager
        .drop_table(Table::drop().table(col("paper_versions")).to_owned())
        .await?;
    manager
        .create_table(papers_table("papers_rebuilt", with_consultation))
        .await?;
    db.execute_unprepared(&format!(
        "INSERT INTO papers_rebuilt ({PAPER_COLUMNS}) SELECT {PAPER_COLUMNS} FROM papers"
    ))
    .await?;
    manager
        .drop_table(Table::drop().table(col("papers")).to_owned())
        .await?;
    manager
        .rename_table(
            Table::rename()
                .table(col("papers_rebuilt"), col("papers"))
                .to_owned(),
        )
        .await?;
    paper_indexes(manager, with_consultation).await?;
    manager.create_table(versions_table()).await?;
    db.execute_unprepared(&format!(
        "INSERT INTO paper_versions ({VERSION_COLUMNS}) SELECT {VERSION_COLUMNS} FROM paper_versions_kept"
    ))
    .await?;
    db.execute_unprepared("DROP TABLE paper_versions_kept")
        .await?;
    version_indexes(manager).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// On SQLite too: the rebuild is all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            return rebuild_on_sqlite(manager, true).await;
        }
        let db = manager.get_connection();
        manager
            .alter_table(
                Table::alter()
                    .table(col("papers"))
                    .add_column(uuid_null(col("consultation_id")))
                    .add_foreign_key(
                        TableForeignKey::new()
                            .name("fk_papers_consultation_id")
                            .from_tbl(col("papers"))
                            .from_col(col("consultation_id"))
                            .to_tbl(col("consultations"))
                            .to_col(col("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(&format!(
            "ALTER TABLE papers DROP CONSTRAINT papers_check, \
             ADD CONSTRAINT papers_check CHECK ({ONE_HOLDER})"
        ))
        .await?;
        index(manager, "papers", &["consultation_id", "id"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DELETE FROM papers WHERE consultation_id IS NOT NULL")
            .await?;
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
            return rebuild_on_sqlite(manager, false).await;
        }
        db.execute_unprepared(&format!(
            "ALTER TABLE papers DROP CONSTRAINT papers_check, \
             ADD CONSTRAINT papers_check CHECK ({THREE_HOLDERS})"
        ))
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("papers"))
                    .drop_column(col("consultation_id"))
                    .to_owned(),
            )
            .await
    }
}
