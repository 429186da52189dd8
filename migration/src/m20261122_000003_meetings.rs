//! Meetings, RSVPs, attendance, agendas, minutes with their revisions, and
//! personal calendar-feed tokens.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(col("meetings"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(string(col("title")))
                    .col(text(col("description")))
                    .col(timestamp_with_time_zone(col("starts_at")))
                    .col(timestamp_with_time_zone(col("ends_at")))
                    .col(string_null(col("location")))
                    .col(string_null(col("online_link")))
                    .col(string(col("status")))
                    .col(text_null(col("cancel_reason")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("meetings", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("meetings", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "meetings", &["forum_id", "starts_at", "id"]).await?;
        index(manager, "meetings", &["forum_id", "status", "starts_at"]).await?;
        index(manager, "meetings", &["created_by"]).await?;

        for (table, value) in [
            ("meeting_rsvps", "response"),
            ("meeting_attendance", "attendance"),
        ] {
            let mut create = Table::create();
            create
                .table(col(table))
                .col(uuid(col("meeting_id")))
                .col(uuid(col("user_id")))
                .col(string(col(value)))
                .primary_key(Index::create().col(col("meeting_id")).col(col("user_id")))
                .foreign_key(&mut fk(table, "meeting_id", "meetings", Cascade))
                .foreign_key(&mut fk(table, "user_id", "users", Cascade));
            if table == "meeting_rsvps" {
                create.col(timestamp_with_time_zone(col("updated_at")));
            } else {
                create
                    .col(uuid_null(col("organisation_id")))
                    .col(uuid_null(col("recorded_by")))
                    .col(timestamp_with_time_zone(col("recorded_at")))
                    .foreign_key(&mut fk(table, "organisation_id", "organisations", SetNull))
                    .foreign_key(&mut fk(table, "recorded_by", "users", SetNull));
            }
            manager.create_table(create.to_owned()).await?;
            index(manager, table, &["user_id"]).await?;
        }
        index(manager, "meeting_attendance", &["organisation_id"]).await?;
        index(manager, "meeting_attendance", &["recorded_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("agenda_items"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("meeting_id")))
                    .col(integer_null(col("position")))
                    .col(string(col("title")))
                    .col(text(col("description")))
                    .col(string_null(col("presenter")))
                    .col(integer_null(col("minutes_allotted")))
                    .col(string(col("status")))
                    .col(uuid_null(col("proposed_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("agenda_items", "meeting_id", "meetings", Cascade))
                    .foreign_key(&mut fk("agenda_items", "proposed_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "agenda_items", &["meeting_id", "position"]).await?;
        index(manager, "agenda_items", &["proposed_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("minutes"))
                    .col(pk_uuid(col("id")))
                    .col(uuid_uniq(col("meeting_id")))
                    .col(text(col("body")))
                    .col(string(col("status")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("approved_by")))
                    .col(timestamp_with_time_zone_null(col("approved_at")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("minutes", "meeting_id", "meetings", Cascade))
                    .foreign_key(&mut fk("minutes", "approved_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "minutes", &["approved_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("minutes_revisions"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("minutes_id")))
                    .col(integer(col("version")))
                    .col(text(col("body")))
                    .col(uuid_null(col("edited_by")))
                    .col(timestamp_with_time_zone(col("edited_at")))
                    .foreign_key(&mut fk(
                        "minutes_revisions",
                        "minutes_id",
                        "minutes",
                        Cascade,
                    ))
                    .foreign_key(&mut fk("minutes_revisions", "edited_by", "users", SetNull))
                    .index(
                        Index::create()
                            .name("uq_minutes_revisions_version")
                            .col(col("minutes_id"))
                            .col(col("version"))
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "minutes_revisions", &["edited_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("calendar_feeds"))
                    .col(uuid(col("user_id")).primary_key())
                    .col(string_uniq(col("token")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk("calendar_feeds", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "calendar_feeds",
            "minutes_revisions",
            "minutes",
            "agenda_items",
            "meeting_attendance",
            "meeting_rsvps",
            "meetings",
        ] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
