//! Issues a forum raises with the RPD's team, their links to commitments, the
//! response thread and every change of status.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(col("raised_issues"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(string(col("title")))
                    .col(text(col("body")))
                    .col(string(col("priority")))
                    .col(uuid_null(col("raised_by")))
                    .col(uuid_null(col("raised_for_organisation_id")))
                    .col(uuid_null(col("meeting_id")))
                    .col(string(col("status")))
                    .col(date(col("response_due_on")))
                    .col(timestamp_with_time_zone_null(col("first_response_at")))
                    // Whole days from raising to the first response, fixed when it
                    // happens, so the report's median needs no date arithmetic in SQL.
                    .col(integer_null(col("days_to_first_response")))
                    .col(boolean_null(col("answered_within_due_date")))
                    .col(timestamp_with_time_zone_null(col("closed_at")))
                    .col(integer(col("version")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("raised_issues", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("raised_issues", "raised_by", "users", SetNull))
                    .foreign_key(&mut fk(
                        "raised_issues",
                        "raised_for_organisation_id",
                        "organisations",
                        SetNull,
                    ))
                    .foreign_key(&mut fk("raised_issues", "meeting_id", "meetings", SetNull))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "raised_issues",
            &["forum_id", "response_due_on", "id"],
        )
        .await?;
        index(manager, "raised_issues", &["forum_id", "status"]).await?;
        index(manager, "raised_issues", &["raised_by"]).await?;
        index(manager, "raised_issues", &["raised_for_organisation_id"]).await?;
        index(manager, "raised_issues", &["meeting_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("raised_issue_commitments"))
                    .col(uuid(col("issue_id")))
                    .col(uuid(col("commitment_id")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .primary_key(
                        Index::create()
                            .col(col("issue_id"))
                            .col(col("commitment_id")),
                    )
                    .foreign_key(&mut fk(
                        "raised_issue_commitments",
                        "issue_id",
                        "raised_issues",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "raised_issue_commitments",
                        "commitment_id",
                        "commitments",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "raised_issue_commitments", &["commitment_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("issue_responses"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("issue_id")))
                    .col(uuid_null(col("author_id")))
                    .col(text(col("body")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk(
                        "issue_responses",
                        "issue_id",
                        "raised_issues",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("issue_responses", "author_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "issue_responses", &["issue_id", "id"]).await?;
        index(manager, "issue_responses", &["author_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("issue_status_changes"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("issue_id")))
                    .col(string_null(col("from_status")))
                    .col(string(col("to_status")))
                    .col(text_null(col("reason")))
                    .col(uuid_null(col("changed_by")))
                    .col(timestamp_with_time_zone(col("changed_at")))
                    .foreign_key(&mut fk(
                        "issue_status_changes",
                        "issue_id",
                        "raised_issues",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "issue_status_changes",
                        "changed_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "issue_status_changes", &["issue_id", "id"]).await?;
        index(manager, "issue_status_changes", &["changed_by"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "issue_status_changes",
            "issue_responses",
            "raised_issue_commitments",
            "raised_issues",
        ] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
