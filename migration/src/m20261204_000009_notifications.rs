//! The notification outbox: an event per write that people must hear about,
//! recorded in that write's own transaction, and the messages the delivery
//! worker makes of it, one per recipient and channel, with their attempts.

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
                    .table(col("outbox_events"))
                    .col(pk_uuid(col("id")))
                    .col(string(col("kind")))
                    .col(uuid_null(col("forum_id")))
                    .col(string(col("entity")))
                    .col(uuid(col("entity_id")))
                    .col(uuid_null(col("actor_id")))
                    .col(json(col("payload")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    // Set once the event's messages are queued.
                    .col(timestamp_with_time_zone_null(col("dispatched_at")))
                    .foreign_key(&mut fk("outbox_events", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("outbox_events", "actor_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        // The worker's scan: events not yet dispatched, oldest first.
        index(manager, "outbox_events", &["dispatched_at", "id"]).await?;
        index(manager, "outbox_events", &["forum_id"]).await?;
        index(manager, "outbox_events", &["actor_id"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("deliveries"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("event_id")))
                    .col(string(col("channel")))
                    .col(uuid(col("recipient_id")))
                    .col(string(col("address")))
                    .col(string(col("subject")))
                    // The whole message as sent, fixed when queued, so that a
                    // resend after a crash is the same message (same Message-ID).
                    .col(text(col("message")))
                    .col(string(col("status")))
                    .col(integer(col("attempts")))
                    .col(timestamp_with_time_zone(col("next_attempt_at")))
                    // A worker's claim: until then no other worker takes it.
                    .col(timestamp_with_time_zone_null(col("lease_until")))
                    .col(text_null(col("last_error")))
                    .col(timestamp_with_time_zone_null(col("sent_at")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("deliveries", "event_id", "outbox_events", Cascade))
                    .foreign_key(&mut fk("deliveries", "recipient_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        // One message per event, recipient and channel, however many
        // workers dispatch the event or however often.
        manager
            .create_index(
                Index::create()
                    .name("uq_deliveries_event_recipient_channel")
                    .table(col("deliveries"))
                    .col(col("event_id"))
                    .col(col("recipient_id"))
                    .col(col("channel"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The worker's claim (due messages) and the admins' list by status.
        index(manager, "deliveries", &["status", "next_attempt_at"]).await?;
        index(manager, "deliveries", &["status", "id"]).await?;
        index(manager, "deliveries", &["recipient_id"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["deliveries", "outbox_events"] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
