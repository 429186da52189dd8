//! Forums (one per region), organisations' memberships of them, and people's
//! roles in them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Forums::Table)
                    .col(pk_uuid(Forums::Id))
                    .col(uuid_uniq(Forums::RegionId))
                    .col(string(Forums::Name))
                    .col(text(Forums::Description))
                    .col(text(Forums::TermsOfReference))
                    .col(integer(Forums::IssueResponseDays).default(28))
                    .col(timestamp_with_time_zone(Forums::CreatedAt))
                    .col(timestamp_with_time_zone(Forums::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Forums::Table, Forums::RegionId)
                            .to(Regions::Table, Regions::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ForumMemberships::Table)
                    .col(pk_uuid(ForumMemberships::Id))
                    .col(uuid(ForumMemberships::ForumId))
                    .col(uuid(ForumMemberships::OrganisationId))
                    .col(string(ForumMemberships::Status))
                    .col(text(ForumMemberships::Statement))
                    .col(text_null(ForumMemberships::StatusReason))
                    .col(uuid_null(ForumMemberships::AppliedBy))
                    .col(timestamp_with_time_zone(ForumMemberships::CreatedAt))
                    .col(timestamp_with_time_zone(ForumMemberships::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumMemberships::Table, ForumMemberships::ForumId)
                            .to(Forums::Table, Forums::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumMemberships::Table, ForumMemberships::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumMemberships::Table, ForumMemberships::AppliedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_forum_memberships_forum_status",
                vec!["forum_id", "status", "id"],
            ),
            (
                "idx_forum_memberships_organisation",
                vec!["organisation_id"],
            ),
            ("idx_forum_memberships_applied_by", vec!["applied_by"]),
        ] {
            let mut index = Index::create();
            index.name(name).table(ForumMemberships::Table);
            for col in cols {
                index.col(Alias::new(col));
            }
            manager.create_index(index.to_owned()).await?;
        }
        // At most one open (applied, active or suspended) membership per
        // organisation and forum, even under concurrent applications. Partial
        // unique indexes read the same on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_forum_memberships_open ON forum_memberships \
                 (forum_id, organisation_id) WHERE status IN ('applied', 'active', 'suspended')",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ForumRoles::Table)
                    .col(uuid(ForumRoles::ForumId))
                    .col(uuid(ForumRoles::UserId))
                    .col(string(ForumRoles::Role))
                    .col(uuid_null(ForumRoles::AssignedBy))
                    .col(timestamp_with_time_zone(ForumRoles::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ForumRoles::ForumId)
                            .col(ForumRoles::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumRoles::Table, ForumRoles::ForumId)
                            .to(Forums::Table, Forums::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumRoles::Table, ForumRoles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumRoles::Table, ForumRoles::AssignedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_forum_roles_user_id", ForumRoles::UserId),
            ("idx_forum_roles_assigned_by", ForumRoles::AssignedBy),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ForumRoles::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["forum_roles", "forum_memberships", "forums"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Forums {
    Table,
    Id,
    RegionId,
    Name,
    Description,
    TermsOfReference,
    IssueResponseDays,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ForumMemberships {
    Table,
    Id,
    ForumId,
    OrganisationId,
    Status,
    Statement,
    StatusReason,
    AppliedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ForumRoles {
    Table,
    ForumId,
    UserId,
    Role,
    AssignedBy,
    CreatedAt,
}
