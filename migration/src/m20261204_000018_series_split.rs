//! A series split "from this meeting on" is continued by a new series that
//! knows the one it came from.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(col("meeting_series"))
                    .add_column(uuid_null(col("split_from")))
                    .to_owned(),
            )
            .await?;
        index(manager, "meeting_series", &["split_from"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_meeting_series_split_from")
                    .table(col("meeting_series"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("meeting_series"))
                    .drop_column(col("split_from"))
                    .to_owned(),
            )
            .await
    }
}
