//! Agenda items become versioned records: officers edit, accept, decline and
//! reorder them at the same time, so each carries a `version` (its ETag)
//! like the other records several people edit. Existing items start at 1.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::col;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(col("agenda_items"))
                    .add_column(integer(col("version")).default(1))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(col("agenda_items"))
                    .drop_column(col("version"))
                    .to_owned(),
            )
            .await
    }
}
