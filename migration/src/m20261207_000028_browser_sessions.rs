//! Sessions signed in from a browser: the same rows as the API's, so that
//! one sign-out, password change or disabled account ends both. A browser's
//! session is found by its cookie, of which only the SHA-256 is kept
//! (`cookie_hash`, unique: one cookie names one session); `user_agent`
//! lets a person tell their sessions apart on their account page.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in [
            string_null(col("cookie_hash")).to_owned(),
            string_null(col("user_agent")).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("sessions"))
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        unique(
            manager,
            "ux_sessions_cookie_hash",
            "sessions",
            &["cookie_hash"],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_sessions_cookie_hash")
                    .table(col("sessions"))
                    .to_owned(),
            )
            .await?;
        for column in ["user_agent", "cookie_hash"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("sessions"))
                        .drop_column(col(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
