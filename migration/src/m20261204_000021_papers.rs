//! Papers: files attached to a meeting (or one of its agenda items), a
//! raised issue or a regional plan, each version kept, their bytes in the
//! database in chunks (written in the transaction that records the paper,
//! so backups and several nodes need nothing more).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        // The bytes of one file, as uploaded: never changed once written.
        manager
            .create_table(
                Table::create()
                    .table(col("paper_contents"))
                    .col(pk_uuid(col("id")))
                    .col(big_integer(col("size")))
                    .col(string(col("sha256")))
                    .col(integer(col("chunk_size")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(col("paper_chunks"))
                    .col(uuid(col("content_id")))
                    .col(integer(col("seq")))
                    .col(blob(col("data")))
                    .primary_key(Index::create().col(col("content_id")).col(col("seq")))
                    .foreign_key(&mut fk(
                        "paper_chunks",
                        "content_id",
                        "paper_contents",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(col("papers"))
                    .col(pk_uuid(col("id")))
                    // The forum it is of (none for a region's plan).
                    .col(uuid_null(col("forum_id")))
                    // What it is attached to: a meeting (and maybe one of its
                    // items), an issue, or a plan — exactly one.
                    .col(uuid_null(col("meeting_id")))
                    .col(uuid_null(col("agenda_item_id")))
                    .col(uuid_null(col("issue_id")))
                    .col(uuid_null(col("plan_id")))
                    .col(string(col("title")))
                    .col(text(col("description")))
                    // Narrower than what it is attached to, if officers say so.
                    .col(string_null(col("visibility")))
                    .col(text_null(col("visibility_reason")))
                    // Its current version.
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
                    .foreign_key(&mut fk("papers", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("papers", "meeting_id", "meetings", Cascade))
                    .foreign_key(&mut fk("papers", "agenda_item_id", "agenda_items", Cascade))
                    .foreign_key(&mut fk("papers", "issue_id", "raised_issues", Cascade))
                    .foreign_key(&mut fk("papers", "plan_id", "regional_plans", Cascade))
                    .check(Expr::cust(
                        "(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) \
                         + (CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END) \
                         + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END) = 1 \
                         AND (agenda_item_id IS NULL OR meeting_id IS NOT NULL)",
                    ))
                    .foreign_key(&mut fk("papers", "content_id", "paper_contents", Restrict))
                    .foreign_key(&mut fk("papers", "uploaded_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "papers", &["meeting_id", "id"]).await?;
        index(manager, "papers", &["agenda_item_id", "id"]).await?;
        index(manager, "papers", &["issue_id", "id"]).await?;
        index(manager, "papers", &["plan_id", "id"]).await?;
        index(manager, "papers", &["forum_id"]).await?;
        index(manager, "papers", &["content_id"]).await?;
        index(manager, "papers", &["uploaded_by"]).await?;
        manager
            .create_table(
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
                    // Why it replaced the one before (required once the meeting is held).
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
                    .to_owned(),
            )
            .await?;
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
        index(manager, "paper_versions", &["uploaded_by"]).await?;
        // What a forum's papers take, every version counted: a counter that
        // uploads add to only while it stays within the forum's limit.
        manager
            .create_table(
                Table::create()
                    .table(col("forum_paper_storage"))
                    .col(pk_uuid(col("forum_id")))
                    .col(big_integer(col("used_bytes")))
                    .foreign_key(&mut fk(
                        "forum_paper_storage",
                        "forum_id",
                        "forums",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "forum_paper_storage",
            "paper_versions",
            "papers",
            "paper_chunks",
            "paper_contents",
        ] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
