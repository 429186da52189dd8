//! An action agreed on an agenda item knows the item it came from.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Agenda items are never deleted once their meeting is held (the
        // only time actions are made from them), so a plain reference.
        manager
            .alter_table(
                Table::alter()
                    .table(col("action_items"))
                    .add_column(uuid_null(col("agenda_item_id")))
                    .to_owned(),
            )
            .await?;
        index(manager, "action_items", &["agenda_item_id"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_action_items_agenda_item_id")
                    .table(col("action_items"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("action_items"))
                    .drop_column(col("agenda_item_id"))
                    .to_owned(),
            )
            .await
    }
}
