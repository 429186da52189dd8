//! Meeting series: a forum's meetings made from a recurrence rule. Each
//! occurrence is an ordinary meeting that knows its series and the start
//! the rule gave it (so the rule's later runs add only what is missing,
//! and an occurrence moved by hand stays an exception).

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
                    .table(col("meeting_series"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(string(col("title")))
                    .col(text(col("description")))
                    .col(string_null(col("location")))
                    .col(string_null(col("online_link")))
                    // The RRULE value, and its first start on London's clock.
                    .col(string(col("rule")))
                    .col(date_time(col("starts_local")))
                    .col(integer(col("duration_minutes")))
                    // `active` or `cancelled`.
                    .col(string(col("status")))
                    // Occurrences exist up to here; the daily job moves it on.
                    .col(timestamp_with_time_zone(col("materialised_until")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("meeting_series", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("meeting_series", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "meeting_series", &["forum_id", "id"]).await?;
        index(manager, "meeting_series", &["status", "materialised_until"]).await?;
        index(manager, "meeting_series", &["created_by"]).await?;

        // A series is never deleted (only cancelled), so its meetings keep
        // a plain reference to it; SQLite cannot add a constrained column.
        for column in [
            uuid_null(col("series_id")),
            timestamp_with_time_zone_null(col("occurrence_start")),
            boolean(col("is_exception")).default(false).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(col("meetings"))
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // One meeting per occurrence, however often the rule is run.
        manager
            .create_index(
                Index::create()
                    .name("uq_meetings_series_occurrence")
                    .table(col("meetings"))
                    .col(col("series_id"))
                    .col(col("occurrence_start"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_meetings_series_occurrence")
                    .table(col("meetings"))
                    .to_owned(),
            )
            .await?;
        for column in ["is_exception", "occurrence_start", "series_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("meetings"))
                        .drop_column(col(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(col("meeting_series")).to_owned())
            .await
    }
}
