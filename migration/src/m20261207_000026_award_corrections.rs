//! Awards can be corrected (an amount typed as £1,000,000 instead of
//! £10,000 must not stand in a region's funding shares forever) or
//! withdrawn, by the region's RPD staff with a reason. An award becomes a
//! versioned record (`version`, `updated_at`, `status`, `withdrawn_reason`)
//! and keeps every state it has had in `award_revisions`: the first is the
//! award as made (existing awards get theirs here, under the award's own id),
//! each later one the award after a correction or its withdrawal, with why.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// What the added columns are, one `ALTER TABLE` each (SQLite adds one
/// column at a time).
fn added_columns() -> Vec<ColumnDef> {
    vec![
        string(col("status")).default("awarded").to_owned(),
        string_null(col("withdrawn_reason")).to_owned(),
        integer(col("version")).default(1).to_owned(),
        // Set to `created_at` below; the default only lets existing rows in.
        timestamp_with_time_zone(col("updated_at"))
            .default("1970-01-01 00:00:00+00:00")
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in added_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("awards"))
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared("UPDATE awards SET updated_at = created_at")
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("award_revisions"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("award_id")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("organisation_id")))
                    .col(string_null(col("recipient_name")))
                    .col(big_integer(col("amount_pence")))
                    .col(date_null(col("starts_on")))
                    .col(date_null(col("ends_on")))
                    .col(string_null(col("size_band")))
                    .col(boolean_null(col("in_supply_chain")))
                    .col(string(col("status")))
                    // Why it changed; none for the award as made.
                    .col(string_null(col("reason")))
                    .col(uuid_null(col("changed_by")))
                    .col(timestamp_with_time_zone(col("changed_at")))
                    .foreign_key(&mut fk(
                        "award_revisions",
                        "award_id",
                        "awards",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "award_revisions",
                        "changed_by",
                        "users",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // One revision per version: the key pages the history in order.
        unique(
            manager,
            "ux_award_revisions_award_version",
            "award_revisions",
            &["award_id", "version"],
        )
        .await?;
        crate::helpers::index(manager, "award_revisions", &["changed_by"]).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO award_revisions (id, award_id, version, organisation_id, \
                 recipient_name, amount_pence, starts_on, ends_on, size_band, \
                 in_supply_chain, status, reason, changed_by, changed_at) \
                 SELECT id, id, 1, organisation_id, recipient_name, amount_pence, starts_on, \
                 ends_on, size_band, in_supply_chain, 'awarded', NULL, created_by, created_at \
                 FROM awards",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(col("award_revisions")).to_owned())
            .await?;
        for column in ["updated_at", "version", "withdrawn_reason", "status"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(col("awards"))
                        .drop_column(col(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
