//! The `convene` command line: serve (the default), migrate, create-admin,
//! openapi, seed-demo, purge, worker, rebuild-report.

use std::io::BufRead;

use clap::{Parser, Subcommand};
use entity::user;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::net::TcpListener;

use crate::auth::accounts::{self, NewAccount};
use crate::auth::types::RegisterIn;
use crate::http::listener::ProblemListener;
use crate::jobs::housekeeping;
use crate::jobs::notify::worker::Worker;
use crate::kernel::clock::Clock;
use crate::kernel::config::Config;
use crate::kernel::credentials::passwords::Passwords;
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;

#[derive(Parser, Debug)]
#[command(
    name = "convene",
    version,
    about = "The API of the probation regions' voluntary sector forums"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Create a platform admin; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Print the OpenAPI document (YAML).
    Openapi,
    /// Load a demo dataset for all 12 regions (does nothing if already loaded).
    SeedDemo,
    /// Delete ended sessions, old refresh tokens and stale login failures
    /// now (`serve` also does this every `--purge-interval-secs`).
    Purge,
    /// Deliver notifications and nothing else (`serve` also does, every
    /// `--delivery-interval-secs`, unless that is 0).
    Worker,
    /// Recompute the accountability report's counters from the data, in one
    /// transaction (after data was changed outside the API, or to repair them).
    RebuildReport,
}

pub type CliResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub async fn run(cli: Cli) -> CliResult {
    cli.config.check()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.config).await,
        Command::Migrate => {
            connect_and_migrate(&cli.config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::CreateAdmin { email, name } => create_admin(&cli.config, &email, &name).await,
        Command::SeedDemo => seed_demo(&cli.config).await,
        Command::Purge => purge(&cli.config).await,
        Command::RebuildReport => rebuild_report(&cli.config).await,
        Command::Worker => worker(&cli.config).await,
        Command::Openapi => {
            print!(
                "{}",
                crate::api::openapi::to_yaml(&crate::api::openapi::document())
            );
            Ok(())
        }
    }
}

pub async fn connect_and_migrate(config: &Config) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let db = crate::kernel::db::connect(&config.database_url, config.db_max_connections).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

async fn serve(config: &Config) -> CliResult {
    let db = connect_and_migrate(config).await?;
    let state = AppState::new(db, config).await?;
    let housekeeping = housekeeping::spawn(&state, config.purge_interval());
    let delivery = if config.delivery_interval().is_zero() {
        None
    } else {
        let worker = Worker::from_config(
            config,
            state.db.clone(),
            state.clock.clone(),
            state.tokens.clone(),
        )?;
        Some(worker.spawn(config.delivery_interval()))
    };
    let listener = TcpListener::bind(config.bind).await?;
    tracing::info!(address = %listener.local_addr()?, "Convene is listening");
    axum::serve(ProblemListener(listener), crate::app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    for task in [housekeeping, delivery].into_iter().flatten() {
        task.abort();
    }
    tracing::info!("stopped");
    Ok(())
}

/// The delivery worker alone, until SIGINT or SIGTERM.
async fn worker(config: &Config) -> CliResult {
    let db = connect_and_migrate(config).await?;
    let every = Ord::max(
        config.delivery_interval(),
        std::time::Duration::from_secs(1),
    );
    // The same keys as the API's, so that unsubscribe links work there.
    let state = AppState::new(db, config).await?;
    let task = Worker::from_config(config, state.db, state.clock, state.tokens)?.spawn(every);
    tracing::info!("delivering notifications");
    shutdown_signal().await;
    task.abort();
    Ok(())
}

/// Resolves on SIGINT or SIGTERM; in-flight requests are then allowed to finish.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for SIGINT");
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => tracing::error!(error = %err, "cannot listen for SIGTERM"),
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn purge(config: &Config) -> CliResult {
    let db = connect_and_migrate(config).await?;
    let purged = housekeeping::purge_all(&db, Clock::default().now()).await?;
    let files = config.paper_store()?.sweep(&db).await?;
    println!("purged {purged}, {files} orphaned paper files");
    Ok(())
}

async fn rebuild_report(config: &Config) -> CliResult {
    let db = connect_and_migrate(config).await?;
    let txn = crate::kernel::db::begin_write(&db).await?;
    crate::counters::rebuild(&txn).await?;
    txn.commit().await?;
    println!("rebuilt the accountability report's counters");
    Ok(())
}

async fn create_admin(config: &Config, email: &str, name: &str) -> CliResult {
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let input = RegisterIn {
        email: email.to_string(),
        display_name: name.to_string(),
        password,
    };
    let email = input.validate().map_err(|err| match err {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    })?;
    let db = connect_and_migrate(config).await?;
    let password_hash = Passwords::new(config.hash_cost())
        .hash(input.password)
        .await?;
    let now = chrono::Utc::now();
    let txn = crate::kernel::db::begin_write(&db).await?;
    let account = NewAccount {
        email: email.clone(),
        display_name: input.display_name,
        password_hash,
        is_admin: true,
    };
    let Some(admin) = accounts::create(&txn, account, now).await? else {
        // Run again (a set-up script, a walk-through followed twice): an
        // admin of that address is what was asked for, so nothing to do.
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?;
        return match existing {
            Some(admin) if admin.is_admin => {
                println!(
                    "{email} is already an admin ({}); nothing changed",
                    admin.id
                );
                Ok(())
            }
            _ => Err(format!(
                "an account with email {email} already exists and is not an admin; \
                 an admin can make it one (PATCH {}/users/{{id}})",
                crate::kernel::links::API_PREFIX
            )
            .into()),
        };
    };
    txn.commit().await?;
    println!("created admin {email} ({})", admin.id);
    Ok(())
}

async fn seed_demo(config: &Config) -> CliResult {
    let db = connect_and_migrate(config).await?;
    let Some(s) = crate::demo::seed(&db, chrono::Utc::now()).await? else {
        let at = crate::demo::loaded_at(&db).await?.unwrap_or_default();
        println!("the demo data was already loaded ({at}); nothing to do");
        return Ok(());
    };
    println!(
        "loaded {} forums, {} organisations, {} people, {} plans, {} commitments, {} actions, {} meetings, {} raised issues",
        s.forums, s.organisations, s.users, s.plans, s.commitments, s.actions, s.meetings, s.issues
    );
    if !s.skipped_regions.is_empty() {
        let skipped: Vec<String> = s.skipped_regions.iter().map(ToString::to_string).collect();
        println!(
            "left {} region(s) alone, as they already hold real data: {}",
            skipped.len(),
            skipped.join(", ")
        );
    }
    println!(
        "every demo account's password: {}",
        crate::demo::DEMO_PASSWORD
    );
    println!("  admin@demo.convene.example (platform admin)");
    println!(
        "  secretary.<region>@demo.convene.example, chair.<region>@…, rpd.<region>@…, observer.<region>@…,"
    );
    println!(
        "  member1.<region>@… to member4.<region>@… (member4's organisation has only applied)"
    );
    println!("  e.g. rpd.kent-surrey-sussex@demo.convene.example");
    Ok(())
}
