//! The commissioning pipeline: funding opportunities a region's RPD staff
//! publish, the member organisations that register interest in them, and
//! the awards made. An opportunity's localities are a JSON array of text:
//! they are read only with it, never filtered on. Its themes, the
//! communities it is aimed at and the commitments it delivers are tables,
//! as lists filter on them. An award keeps the awarded organisation's size
//! band, supply-chain standing and led-by-and-for categories as they were
//! at the award, so later changes to the organisation do not rewrite who
//! was funded.

use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::{col, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A child table keyed by its parent and one text value.
fn pair_table(table: &str, parent: &str, parent_table: &str, value: &str) -> TableCreateStatement {
    Table::create()
        .table(col(table))
        .col(uuid(col(parent)))
        .col(string(col(value)))
        .primary_key(Index::create().col(col(parent)).col(col(value)))
        .foreign_key(&mut fk(
            table,
            parent,
            parent_table,
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table(col("opportunities"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("region_id")))
                    .col(string(col("title")))
                    .col(text(col("description")))
                    // grant, contract, co-commission or dynamic-framework.
                    .col(string(col("mechanism")))
                    // probation, pcc, welsh-government or other.
                    .col(string(col("commissioner")))
                    .col(string_null(col("commissioner_name")))
                    .col(string_null(col("value_band")))
                    .col(big_integer_null(col("amount_pence")))
                    .col(date(col("opens_on")))
                    .col(date(col("closes_on")))
                    .col(json(col("localities")))
                    // published, awarded (once it has an award) or withdrawn.
                    .col(string(col("status")))
                    .col(text_null(col("withdrawn_reason")))
                    .col(integer(col("version")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .col(timestamp_with_time_zone(col("updated_at")))
                    .foreign_key(&mut fk("opportunities", "region_id", "regions", Restrict))
                    .foreign_key(&mut fk("opportunities", "created_by", "users", SetNull))
                    .check(Expr::cust(
                        "closes_on >= opens_on \
                         AND (value_band IS NOT NULL OR amount_pence IS NOT NULL) \
                         AND (amount_pence IS NULL OR amount_pence > 0) \
                         AND (status = 'withdrawn') = (withdrawn_reason IS NOT NULL)",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "opportunities", &["region_id", "id"]).await?;
        index(manager, "opportunities", &["region_id", "status", "id"]).await?;
        index(manager, "opportunities", &["region_id", "mechanism", "id"]).await?;
        index(manager, "opportunities", &["created_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("opportunity_commitments"))
                    .col(uuid(col("opportunity_id")))
                    .col(uuid(col("commitment_id")))
                    .primary_key(
                        Index::create()
                            .col(col("opportunity_id"))
                            .col(col("commitment_id")),
                    )
                    .foreign_key(&mut fk(
                        "opportunity_commitments",
                        "opportunity_id",
                        "opportunities",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "opportunity_commitments",
                        "commitment_id",
                        "commitments",
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "opportunity_commitments", &["commitment_id"]).await?;

        manager
            .create_table(pair_table(
                "opportunity_themes",
                "opportunity_id",
                "opportunities",
                "theme",
            ))
            .await?;
        index(manager, "opportunity_themes", &["theme", "opportunity_id"]).await?;
        manager
            .create_table(pair_table(
                "opportunity_groups",
                "opportunity_id",
                "opportunities",
                "category",
            ))
            .await?;
        index(
            manager,
            "opportunity_groups",
            &["category", "opportunity_id"],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(col("opportunity_interests"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("opportunity_id")))
                    .col(uuid(col("organisation_id")))
                    .col(uuid_null(col("registered_by")))
                    .col(text_null(col("note")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk(
                        "opportunity_interests",
                        "opportunity_id",
                        "opportunities",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "opportunity_interests",
                        "organisation_id",
                        "organisations",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "opportunity_interests",
                        "registered_by",
                        "users",
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        // One per organisation per opportunity: the database decides.
        unique(
            manager,
            "uq_opportunity_interests_organisation",
            "opportunity_interests",
            &["opportunity_id", "organisation_id"],
        )
        .await?;
        index(manager, "opportunity_interests", &["opportunity_id", "id"]).await?;
        index(manager, "opportunity_interests", &["organisation_id"]).await?;
        index(manager, "opportunity_interests", &["registered_by"]).await?;

        manager
            .create_table(
                Table::create()
                    .table(col("awards"))
                    .col(pk_uuid(col("id")))
                    .col(uuid(col("opportunity_id")))
                    .col(uuid_null(col("organisation_id")))
                    .col(string_null(col("recipient_name")))
                    .col(big_integer(col("amount_pence")))
                    .col(date_null(col("starts_on")))
                    .col(date_null(col("ends_on")))
                    // The organisation's, as they stood at the award.
                    .col(string_null(col("size_band")))
                    .col(boolean_null(col("in_supply_chain")))
                    .col(uuid_null(col("created_by")))
                    .col(timestamp_with_time_zone(col("created_at")))
                    .foreign_key(&mut fk(
                        "awards",
                        "opportunity_id",
                        "opportunities",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "awards",
                        "organisation_id",
                        "organisations",
                        Restrict,
                    ))
                    .foreign_key(&mut fk("awards", "created_by", "users", SetNull))
                    .check(Expr::cust(
                        "(organisation_id IS NULL) <> (recipient_name IS NULL) \
                         AND amount_pence > 0 \
                         AND (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on) \
                         AND (organisation_id IS NULL \
                              OR (size_band IS NOT NULL AND in_supply_chain IS NOT NULL))",
                    ))
                    .to_owned(),
            )
            .await?;
        index(manager, "awards", &["opportunity_id", "id"]).await?;
        index(manager, "awards", &["organisation_id"]).await?;
        index(manager, "awards", &["created_by"]).await?;

        manager
            .create_table(pair_table("award_groups", "award_id", "awards", "category"))
            .await?;
        index(manager, "award_groups", &["category", "award_id"]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "award_groups",
            "awards",
            "opportunity_interests",
            "opportunity_groups",
            "opportunity_themes",
            "opportunity_commitments",
            "opportunities",
        ] {
            manager
                .drop_table(Table::drop().table(col(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
