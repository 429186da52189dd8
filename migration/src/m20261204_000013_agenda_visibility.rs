//! Confidential business: each agenda item says who may read it —
//! `public`, `participants` or `officers` — and, when it is not public,
//! why (what others are shown in its place).

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
                    .add_column(string(col("visibility")).default("public"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("agenda_items"))
                    .add_column(string_null(col("visibility_reason")))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["visibility_reason", "visibility"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("agenda_items"))
                        .drop_column(col(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
