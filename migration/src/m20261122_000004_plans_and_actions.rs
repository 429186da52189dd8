//! Regional plans and their commitments (with a history of status changes),
//! action items with their progress log, and the links that tie actions and
//! agenda items to commitments.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(col("regional_plans"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("region_id")))
                    .col(string(col("title")))
                    .col(string(col("period")))
                    .col(date_null(col("published_on")))
                    .col(string_null(col("source_url")))
                    .col(string(col("status")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("regional_plans", "region_id", "regions", Restrict))
                    .to_owned(),
            )
            .await?;
        index(manager, "regional_plans", &["region_id", "status"]).await?;
        // One current plan per region, even under concurrent publishing.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_regional_plans_current ON regional_plans (region_id) \
                 WHERE status = 'current'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("commitments"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("plan_id")))
                    .col(string(col("reference")))
                    .col(string(col("theme")))
                    .col(text(col("text")))
                    .col(string(col("firmness")))
                    .col(text_null(col("target")))
                    .col(date_null(col("due_on")))
                    .col(string(col("status")))
                    .col(integer(col("version")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("commitments", "plan_id", "regional_plans", Cascade))
                    .index(
                        Index::create()
                            .name("uq_commitments_plan_reference")
                            .col(col("plan_id"))
                            .col(col("reference"))
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "commitments", &["plan_id", "theme"]).await?;
        index(manager, "commitments", &["plan_id", "status"]).await?;
        index(manager, "commitments", &["theme"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("commitment_status_changes"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("commitment_id")))
                    .col(string_null(col("from_status")))
                    .col(string(col("to_status")))
                    .col(text(col("note")))
                    .col(uuid_null(col("changed_by")))
                    .col(timestamp_with_time_zone(col("changed_at")))
                    .foreign_key(&mut fk(
                        "commitment_status_changes",
                        "commitment_id",
                        "commitments",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "commitment_status_changes",
                        "changed_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "commitment_status_changes",
            &["commitment_id", "changed_at"],
        )
        .await?;
        index(manager, "commitment_status_changes", &["changed_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("action_items"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(uuid_null(col("meeting_id")))
                    .col(string(col("title")))
                    .col(text(col("description")))
                    .col(uuid_null(col("owner_organisation_id")))
                    .col(uuid_null(col("owner_user_id")))
                    .col(date_null(col("due_on")))
                    .col(string(col("status")))
                    .col(timestamp_with_time_zone_null(col("completed_at")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("action_items", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("action_items", "meeting_id", "meetings", SetNull))
                    .foreign_key(&mut fk(
                        "action_items",
                        "owner_organisation_id",
                        "organisations",
                        SetNull,
                    ))
                    .foreign_key(&mut fk("action_items", "owner_user_id", "users", SetNull))
                    .foreign_key(&mut fk("action_items", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "action_items", &["forum_id", "due_on", "id"]).await?;
        index(manager, "action_items", &["forum_id", "status", "due_on"]).await?;
        index(manager, "action_items", &["meeting_id"]).await?;
        index(manager, "action_items", &["owner_organisation_id"]).await?;
        index(manager, "action_items", &["owner_user_id"]).await?;
        index(manager, "action_items", &["created_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("action_updates"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("action_id")))
                    .col(text(col("body")))
                    .col(string_null(col("status_from")))
                    .col(string_null(col("status_to")))
                    .col(uuid_null(col("author_id")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk(
                        "action_updates",
                        "action_id",
                        "action_items",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("action_updates", "author_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "action_updates", &["action_id", "id"]).await?;
        index(manager, "action_updates", &["author_id"]).await?;

        for (table, owner_col, owner_table) in [
            ("action_commitments", "action_id", "action_items"),
            ("agenda_item_commitments", "agenda_item_id", "agenda_items"),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(col(table))
                        .col(uuid(col(owner_col)))
                        .col(uuid(col("commitment_id")))
                        .col(timestamp_with_time_zone(col("created_at")))
                        .primary_key(
                            Index::create()
                                .col(col(owner_col))
                                .col(col("commitment_id")),
                        )
                        .foreign_key(&mut fk(table, owner_col, owner_table, Cascade))
                        .foreign_key(&mut fk(table, "commitment_id", "commitments", Cascade))
                        .to_owned(),
                )
                .await?;
            index(manager, table, &["commitment_id"]).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "agenda_item_commitments",
            "action_commitments",
            "action_updates",
            "action_items",
            "commitment_status_changes",
            "commitments",
            "regional_plans",
        ] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
