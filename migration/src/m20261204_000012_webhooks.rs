//! Webhooks: a forum's integrations, told of its events over HTTPS, signed
//! as the Standard Webhooks specification says, with a log of every
//! delivery and its attempts.

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
                    .table(col("webhooks"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("forum_id")))
                    .col(string(col("url")))
                    .col(string(col("description")))
                    // The kinds of event it is sent, as a JSON array.
                    .col(json(col("events")))
                    // `whsec_…`: kept to sign with (it cannot be a hash).
                    .col(string(col("secret")))
                    // After a rotation, the old secret also signs for a while,
                    // so the receiver can switch without missing a message.
                    .col(string_null(col("previous_secret")))
                    .col(timestamp_with_time_zone_null(col("previous_secret_until")))
                    .col(boolean(col("active")))
                    // Failed attempts in a row; a success sets it back to 0.
                    .col(integer(col("failure_streak")))
                    .col(text_null(col("disabled_reason")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("webhooks", "forum_id", "forums", Cascade))
                    .foreign_key(&mut fk("webhooks", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        index(manager, "webhooks", &["forum_id", "id"]).await?;
        index(manager, "webhooks", &["created_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("webhook_deliveries"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("webhook_id")))
                    .col(uuid(col("event_id")))
                    .col(string(col("kind")))
                    // The body as sent, fixed when queued: a resend is the
                    // same message (same `webhook-id`).
                    .col(text(col("body")))
                    .col(string(col("status")))
                    .col(integer(col("attempts")))
                    .col(timestamp_with_time_zone(col("next_attempt_at")))
                    .col(timestamp_with_time_zone_null(col("lease_until")))
                    .col(integer_null(col("response_status")))
                    .col(text_null(col("last_error")))
                    .col(timestamp_with_time_zone_null(col("sent_at")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk(
                        "webhook_deliveries",
                        "webhook_id",
                        "webhooks",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "webhook_deliveries",
                        "event_id",
                        "outbox_events",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // One delivery per webhook and event, however often it is dispatched.
        manager
            .create_index(
                Index::create()
                    .name("uq_webhook_deliveries_webhook_event")
                    .table(col("webhook_deliveries"))
                    .col(col("webhook_id"))
                    .col(col("event_id"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The worker's claim, and a webhook's log newest first.
        index(
            manager,
            "webhook_deliveries",
            &["status", "next_attempt_at"],
        )
        .await?;
        index(manager, "webhook_deliveries", &["webhook_id", "id"]).await?;
        index(
            manager,
            "webhook_deliveries",
            &["webhook_id", "status", "id"],
        )
        .await?;
        index(manager, "webhook_deliveries", &["event_id"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["webhook_deliveries", "webhooks"] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
