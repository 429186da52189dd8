//! Regions (seeded), organisations, users, sign-in sessions, the login
//! lock-out ledger, settings and the audit trail.

use sea_orm_migration::{prelude::*, schema::*};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The 12 probation regions of England and Wales, with their stable codes.
pub const REGIONS: [(&str, &str, &str); 12] = [
    ("north-east", "North East", "england"),
    ("north-west", "North West", "england"),
    ("greater-manchester", "Greater Manchester", "england"),
    ("yorkshire-humber", "Yorkshire and the Humber", "england"),
    ("east-midlands", "East Midlands", "england"),
    ("west-midlands", "West Midlands", "england"),
    ("east-of-england", "East of England", "england"),
    ("london", "London", "england"),
    ("kent-surrey-sussex", "Kent, Surrey and Sussex", "england"),
    ("south-central", "South Central", "england"),
    ("south-west", "South West", "england"),
    ("wales", "Wales", "wales"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_regions(manager).await?;
        create_organisations(manager).await?;
        create_users_and_sessions(manager).await?;
        create_audit_and_settings(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Alias::new("settings"),
            Alias::new("audit_events"),
            Alias::new("login_failures"),
            Alias::new("refresh_tokens"),
            Alias::new("sessions"),
            Alias::new("users"),
            Alias::new("organisation_themes"),
            Alias::new("organisation_led_by"),
            Alias::new("organisation_regions"),
            Alias::new("organisations"),
            Alias::new("regions"),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    manager.create_index(stmt.to_owned()).await
}

async fn create_regions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Regions::Table)
                .col(pk_uuid(Regions::Id))
                .col(string_uniq(Regions::Code))
                .col(string(Regions::Name))
                .col(string(Regions::Nation))
                .to_owned(),
        )
        .await?;
    let mut insert = Query::insert();
    insert.into_table(Regions::Table).columns([
        Regions::Id,
        Regions::Code,
        Regions::Name,
        Regions::Nation,
    ]);
    for (code, name, nation) in REGIONS {
        insert
            .values([
                Uuid::now_v7().into(),
                code.into(),
                name.into(),
                nation.into(),
            ])
            .map_err(|e| DbErr::Migration(e.to_string()))?;
    }
    manager.exec_stmt(insert.to_owned()).await
}

async fn create_organisations(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Organisations::Table)
                .col(pk_uuid(Organisations::Id))
                .col(string(Organisations::Name))
                .col(string_null(Organisations::CharityNumber).unique_key())
                .col(string_null(Organisations::Website))
                .col(text(Organisations::Description))
                .col(string(Organisations::SizeBand))
                .col(boolean(Organisations::InSupplyChain))
                .col(timestamp_with_time_zone(Organisations::CreatedAt))
                .col(timestamp_with_time_zone(Organisations::UpdatedAt))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_organisations_name",
        Organisations::Table,
        &["name"],
    )
    .await?;

    // Regions served, led-by-and-for categories and themes are rows, not
    // arrays, so reports can count them in SQL on both databases.
    let children: [(&str, &str, Option<Regions>); 3] = [
        ("organisation_regions", "region_id", Some(Regions::Table)),
        ("organisation_led_by", "category", None),
        ("organisation_themes", "theme", None),
    ];
    for (table, col, references) in children {
        let mut value = if references.is_some() {
            uuid(Alias::new(col))
        } else {
            string(Alias::new(col))
        };
        let mut create = Table::create();
        create
            .table(Alias::new(table))
            .col(uuid(Alias::new("organisation_id")))
            .col(&mut value)
            .primary_key(
                Index::create()
                    .col(Alias::new("organisation_id"))
                    .col(Alias::new(col)),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Alias::new(table), Alias::new("organisation_id"))
                    .to(Organisations::Table, Organisations::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            );
        if let Some(target) = references {
            create.foreign_key(
                ForeignKey::create()
                    .from(Alias::new(table), Alias::new(col))
                    .to(target, Regions::Id),
            );
        }
        manager.create_table(create.to_owned()).await?;
        index(
            manager,
            &format!("idx_{table}_{col}"),
            Alias::new(table),
            &[col],
        )
        .await?;
    }
    Ok(())
}

async fn create_users_and_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_uuid(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::DisplayName))
                .col(string(Users::PasswordHash))
                .col(uuid_null(Users::OrganisationId))
                .col(boolean(Users::IsAdmin).default(false))
                .col(boolean(Users::Disabled).default(false))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::OrganisationId)
                        .to(Organisations::Table, Organisations::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_users_organisation_id",
        Users::Table,
        &["organisation_id"],
    )
    .await?;

    manager
        .create_table(
            Table::create()
                .table(Sessions::Table)
                .col(pk_uuid(Sessions::Id))
                .col(uuid(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                .col(string_null(Sessions::RevokedReason))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_sessions_user_id",
        Sessions::Table,
        &["user_id"],
    )
    .await?;

    manager
        .create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(pk_uuid(RefreshTokens::Id))
                .col(uuid(RefreshTokens::SessionId))
                .col(string_uniq(RefreshTokens::TokenHash))
                .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RefreshTokens::Table, RefreshTokens::SessionId)
                        .to(Sessions::Table, Sessions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_refresh_tokens_session_id",
        RefreshTokens::Table,
        &["session_id"],
    )
    .await?;

    manager
        .create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(pk_uuid(LoginFailures::Id))
                .col(string(LoginFailures::Email))
                .col(timestamp_with_time_zone(LoginFailures::AttemptedAt))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_login_failures_email_attempted_at",
        LoginFailures::Table,
        &["email", "attempted_at"],
    )
    .await
}

async fn create_audit_and_settings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(pk_uuid(AuditEvents::Id))
                .col(uuid_null(AuditEvents::ActorId))
                .col(string(AuditEvents::Action))
                .col(string(AuditEvents::Entity))
                .col(uuid(AuditEvents::EntityId))
                // No foreign key: forums arrive in a later migration and the
                // trail must outlive whatever it describes.
                .col(uuid_null(AuditEvents::ForumId))
                .col(json_binary(AuditEvents::Changes))
                .col(timestamp_with_time_zone(AuditEvents::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(AuditEvents::Table, AuditEvents::ActorId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "idx_audit_events_forum_id",
        AuditEvents::Table,
        &["forum_id", "id"],
    )
    .await?;
    index(
        manager,
        "idx_audit_events_entity",
        AuditEvents::Table,
        &["entity", "entity_id"],
    )
    .await?;
    index(
        manager,
        "idx_audit_events_actor_id",
        AuditEvents::Table,
        &["actor_id", "id"],
    )
    .await?;

    manager
        .create_table(
            Table::create()
                .table(Settings::Table)
                .col(string(Settings::Key).primary_key())
                .col(text(Settings::Value))
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden, Clone, Copy)]
enum Regions {
    Table,
    Id,
    Code,
    Name,
    Nation,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    Name,
    CharityNumber,
    Website,
    Description,
    SizeBand,
    InSupplyChain,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    DisplayName,
    PasswordHash,
    OrganisationId,
    IsAdmin,
    Disabled,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    ActorId,
    Action,
    Entity,
    EntityId,
    ForumId,
    Changes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}
