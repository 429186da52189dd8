//! Papers' bytes may be kept as files in a directory instead of in the
//! database: each content says where its bytes are, so contents kept before
//! a change of configuration stay readable where they are.

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
                    .table(col("paper_contents"))
                    .add_column(string(col("stored_in")).default("database"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(col("paper_contents"))
                    .drop_column(col("stored_in"))
                    .to_owned(),
            )
            .await
    }
}
