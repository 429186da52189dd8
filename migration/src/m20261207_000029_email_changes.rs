//! Changing an account's address: the code that proves the new address is
//! an account token like the others (`purpose` `email-change`, `email` the
//! new address), so the one column added is the rate limit on sending it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::col;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The last time a change of address was asked for: a conditional
        // update on it is the rate limit, as for the other account emails.
        manager
            .alter_table(
                Table::alter()
                    .table(col("users"))
                    .add_column(timestamp_with_time_zone_null(col("email_change_sent_at")))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(col("users"))
                    .drop_column(col("email_change_sent_at"))
                    .to_owned(),
            )
            .await
    }
}
