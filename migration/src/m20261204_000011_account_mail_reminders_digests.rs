//! What the rest of the notifications need: verified addresses and one-time
//! account links (password reset, email verification), events that must be
//! recorded once however often they are found (reminders, digests), and the
//! entries that wait for a person's daily digest.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Columns added to `users`, each in its own statement (SQLite adds one at a time).
const USER_COLUMNS: [&str; 3] = [
    // Mail is sent only to verified addresses (role invitations excepted).
    "email_verified_at",
    // The last verification link sent, and the last password-reset link:
    // a conditional update on each is the rate limit.
    "verification_sent_at",
    "password_reset_sent_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        for column in USER_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("users"))
                        .add_column(timestamp_with_time_zone_null(col(column)))
                        .to_owned(),
                )
                .await?;
        }
        // Accounts made before addresses were verified keep receiving mail.
        manager
            .get_connection()
            .execute_unprepared("UPDATE users SET email_verified_at = created_at")
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("account_tokens"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("user_id")))
                    // `password-reset` or `email-verification`.
                    .col(string(col("purpose")))
                    // SHA-256 of the token: the token itself is only in the email.
                    .col(string_uniq(col("token_hash")))
                    // The address it was sent to: verifying proves that one.
                    .col(string(col("email")))
                    .col(timestamp_with_time_zone(col("expires_at")))
                    .col(timestamp_with_time_zone_null(col("used_at")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk("account_tokens", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        index(manager, "account_tokens", &["user_id", "purpose"]).await?;
        index(manager, "account_tokens", &["expires_at"]).await?;

        // A reminder or a digest is recorded once per item, threshold and
        // day, however many nodes find it or how often.
        manager
            .alter_table(
                Table::alter()
                    .table(col("outbox_events"))
                    .add_column(string_null(col("once_key")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_outbox_events_once_key")
                    .table(col("outbox_events"))
                    .col(col("once_key"))
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("digest_entries"))
                    .col(uuid(col("user_id")))
                    .col(uuid(col("event_id")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    // The digest that told it; empty while it waits.
                    .col(uuid_null(col("digest_event_id")))
                    .primary_key(Index::create().col(col("user_id")).col(col("event_id")))
                    .foreign_key(&mut fk("digest_entries", "user_id", "users", Cascade))
                    .foreign_key(&mut fk(
                        "digest_entries",
                        "event_id",
                        "outbox_events",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "digest_entries",
                        "digest_event_id",
                        "outbox_events",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // The daily job: who has entries waiting; a digest's own entries.
        index(manager, "digest_entries", &["digest_event_id", "user_id"]).await?;
        index(manager, "digest_entries", &["event_id"]).await?;

        // The daily reminder scans cross every forum by date.
        index(manager, "action_items", &["due_on"]).await?;
        index(manager, "raised_issues", &["response_due_on"]).await?;
        index(manager, "meetings", &["starts_at"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in [
            ("action_items", "due_on"),
            ("raised_issues", "response_due_on"),
            ("meetings", "starts_at"),
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{columns}"))
                        .table(col(table))
                        .to_owned(),
                )
                .await?;
        }
        for table in ["digest_entries", "account_tokens"] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("uq_outbox_events_once_key")
                    .table(col("outbox_events"))
                    .to_owned(),
            )
            .await?;
        let mut columns: Vec<(&str, &str)> = vec![("outbox_events", "once_key")];
        columns.extend(USER_COLUMNS.iter().map(|c| ("users", *c)));
        for (table, column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(col(table))
                        .drop_column(col(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
