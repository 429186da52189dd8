//! Minutes become sections, each tied to an agenda item or free, each with
//! who may read it (as agenda items have). The text of minutes written
//! before becomes their one public section, and each version kept records
//! its sections.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(col("minutes_sections"))
                    .col(uuid(col("minutes_id")))
                    // Its place in the minutes, from 0.
                    .col(integer(col("position")))
                    .col(uuid_null(col("agenda_item_id")))
                    .col(string(col("heading")))
                    .col(text(col("body")))
                    .col(string(col("visibility")))
                    .col(text_null(col("visibility_reason")))
                    .primary_key(Index::create().col(col("minutes_id")).col(col("position")))
                    .foreign_key(
                        ForeignKey::create()
                            .from(col("minutes_sections"), col("minutes_id"))
                            .to(col("minutes"), col("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "minutes_sections", &["agenda_item_id"]).await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "INSERT INTO minutes_sections \
             (minutes_id, position, agenda_item_id, heading, body, visibility, visibility_reason) \
             SELECT id, 0, NULL, '', body, 'public', NULL FROM minutes",
        )
        .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("minutes_revisions"))
                    .add_column(text_null(col("sections")))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("minutes"))
                    .drop_column(col("body"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(col("minutes"))
                    .add_column(text(col("body")).default(""))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE minutes SET body = COALESCE((SELECT s.body FROM minutes_sections s \
                 WHERE s.minutes_id = minutes.id AND s.position = 0), '')",
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(col("minutes_revisions"))
                    .drop_column(col("sections"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(col("minutes_sections")).to_owned())
            .await
    }
}
