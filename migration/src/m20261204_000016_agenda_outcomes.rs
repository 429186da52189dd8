//! Outcomes: once a meeting is held, what it decided or noted on each item
//! of its agenda, and how the member organisations present voted.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::col;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            text_null(col("outcome")),
            integer_null(col("votes_for")),
            integer_null(col("votes_against")),
            integer_null(col("votes_abstain")),
            timestamp_with_time_zone_null(col("outcome_at")),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(col("agenda_items"))
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            "outcome_at",
            "votes_abstain",
            "votes_against",
            "votes_for",
            "outcome",
        ] {
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
