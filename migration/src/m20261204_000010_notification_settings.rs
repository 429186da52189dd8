//! Each person's choice, per kind of notification, where it differs from
//! the default (a missing row is the default).

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(col("notification_settings"))
                    .col(uuid(col("user_id")))
                    .col(string(col("kind")))
                    .col(string(col("mode")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    // Also the worker's lookup: this person, this kind.
                    .primary_key(Index::create().col(col("user_id")).col(col("kind")))
                    .foreign_key(&mut fk(
                        "notification_settings",
                        "user_id",
                        "users",
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(col("notification_settings")).to_owned())
            .await
    }
}
