//! Matters arising: what a meeting must come back to — actions still open
//! from earlier meetings, issues the RPD's team answered since the last
//! meeting held, and items the last meeting carried over. Each is an entry
//! of the meeting's agenda, recorded once, that officers may drop with a
//! reason.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        // An item a held meeting did not reach, for the next one.
        manager
            .alter_table(
                Table::alter()
                    .table(col("agenda_items"))
                    .add_column(boolean(col("carried_over")).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(col("matters_arising"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("meeting_id")))
                    // `action`, `issue` or `agenda-item`, and which one.
                    .col(string(col("kind")))
                    .col(uuid(col("source_id")))
                    .col(text_null(col("dropped_reason")))
                    .col(uuid_null(col("dropped_by")))
                    .col(timestamp_with_time_zone_null(col("dropped_at")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk(
                        "matters_arising",
                        "meeting_id",
                        "meetings",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("matters_arising", "dropped_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        // Each matter once per meeting, however often the list is refreshed.
        manager
            .create_index(
                Index::create()
                    .name("uq_matters_arising_meeting_kind_source")
                    .table(col("matters_arising"))
                    .col(col("meeting_id"))
                    .col(col("kind"))
                    .col(col("source_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(manager, "matters_arising", &["dropped_by"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(col("matters_arising")).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("agenda_items"))
                    .drop_column(col("carried_over"))
                    .to_owned(),
            )
            .await
    }
}
