//! The API under load: `cargo bench --bench api`.
//!
//! Builds a dataset at a region's real scale — the demo's 12 regions with
//! their forums, people and plans, then 5,000 more actions (owners, due dates,
//! some undated, every status, commitment links, progress notes), 120 meetings
//! and 600 raised issues in the Kent, Surrey and Sussex forum, while the
//! other forums keep the demo's handful — and serves it with the production
//! settings (`convene`'s defaults and `CONVENE_*` variables) over loopback
//! HTTP in this process, first on a SQLite file, then on a new PostgreSQL
//! database (dropped afterwards; skipped, with the reason, when the server
//! cannot be reached).
//!
//! On each database, 64 clients on keep-alive connections send requests back
//! to back: a warm-up, then the mix (lists, a search of the big forum's
//! actions that every one of them matches, detail reads, the region's
//! accountability report, the themes matrix, and 10% writes: PATCHes with
//! `If-Match` that race on a few actions, some losing with 412, and progress
//! notes; a PATCH is preceded by a GET of its action, counted with the detail
//! reads), then the actions page of the big forum alone, of a small forum
//! alone, and of the big forum cut to the small one's page size. It prints,
//! per endpoint, requests, req/s, p50 and p99, the answers by status, and the
//! big forum's rate over the small one's, next to the targets (≥ 0.8×; a
//! list's p99 ≤ 50 ms), and the same ratio for pages of the same size: what
//! is left of the gap there is the cost of the forum's history, not of a
//! longer page. In the mix, an endpoint's req/s
//! follows its share of the mix; compare pages by the runs of one page alone.
//! The clients share the machine with the server: on a small machine they
//! take part of its CPU, as any load generator on the same host does.
//!
//! It exits non-zero if the API gives a 5xx, drops a connection or answers
//! with a status the request cannot rightly get; targets are only reported.
//! Server errors are logged on standard error (`RUST_LOG` sets the level).
//!
//! Settings (environment): `BENCH_SECS` (the mix, default 20), `BENCH_LIST_SECS`
//! (each page alone, default 5), `BENCH_WARMUP_SECS` (default 3),
//! `BENCH_CONNECTIONS` (default 64), `BENCH_ACTIONS` (added to the big forum,
//! default 5000), `BENCH_ONLY` (`sqlite` or `postgres`), and the PostgreSQL
//! server in `BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`, else
//! `postgres://postgres@127.0.0.1:5432/postgres`.

#[path = "api/actions.rs"]
mod actions;
#[path = "api/database.rs"]
mod database;
#[path = "api/dataset.rs"]
mod dataset;
#[path = "api/endpoints.rs"]
mod endpoints;
#[path = "api/history.rs"]
mod history;
#[path = "api/issues.rs"]
mod issues;
#[path = "api/load.rs"]
mod load;
#[path = "api/report.rs"]
mod report;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use convene::AppState;
use convene::cli::Cli;
use endpoints::Endpoint;
use load::Mix;
use sea_orm::ConnectionTrait;
use tokio::net::TcpListener;

struct Settings {
    mix: Duration,
    list: Duration,
    warm_up: Duration,
    connections: usize,
    actions: usize,
    only: Option<String>,
}

fn number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("{name} must be a whole number, not {v:?}"))
        })
        .unwrap_or(default)
}

impl Settings {
    fn from_env() -> Self {
        Self {
            mix: Duration::from_secs(number("BENCH_SECS", 20)),
            list: Duration::from_secs(number("BENCH_LIST_SECS", 5)),
            warm_up: Duration::from_secs(number("BENCH_WARMUP_SECS", 3)),
            connections: number("BENCH_CONNECTIONS", 64).max(1) as usize,
            actions: number("BENCH_ACTIONS", 5000).max(1) as usize,
            only: std::env::var("BENCH_ONLY").ok(),
        }
    }

    fn runs(&self, database: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == database)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let settings = Settings::from_env();
    let mut failures = Vec::new();
    let mut targets = Vec::new();
    if settings.runs("sqlite") {
        targets.push(Ok(database::sqlite()));
    }
    if settings.runs("postgres") {
        targets.push(database::postgres().await);
    }
    for target in targets {
        match target {
            Ok(target) => {
                let label = target.label();
                let url = target.url();
                let result = bench(label, &url, &settings).await;
                target.remove().await;
                match result {
                    Ok(found) => failures.extend(found),
                    Err(err) => failures.push(format!("{label}: {err}")),
                }
            }
            Err(why) => println!("\nPostgreSQL skipped: {why}"),
        }
    }
    if failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!("\nFAILED:");
    for failure in &failures {
        eprintln!("  {failure}");
    }
    ExitCode::FAILURE
}

/// Builds, serves and drives one database; returns what went wrong under load.
async fn bench(
    label: &str,
    url: &str,
    settings: &Settings,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    // The server's own defaults, and whatever CONVENE_* the environment sets.
    let mut config = Cli::try_parse_from(["convene"])?.config;
    config.database_url = url.to_string();
    if config.jwt_secret.is_none() {
        // As production sets one (CONVENE_JWT_SECRET).
        let secret: [u8; 32] = rand::random();
        config.jwt_secret = Some(secret.iter().map(|b| format!("{b:02x}")).collect());
    }
    let db = convene::cli::connect_and_migrate(&config).await?;
    let now = chrono::Utc::now();
    let data = dataset::build(&db, settings.actions, now).await?;
    if label == "PostgreSQL" {
        // Fresh statistics, as autovacuum gives a database that has been running.
        db.execute_unprepared("ANALYZE").await?;
    }
    let c = &data.counts;
    println!(
        "\n== {label} ==\ndataset: {} forums, {} people, {} commitments, {} actions ({} links, {} progress notes); \
         big forum: {} actions, {} meetings, {} issues; small forum: {} actions; built in {:.1} s",
        c.forums,
        c.users,
        c.commitments,
        c.all_actions,
        c.action_links,
        c.action_updates,
        c.big_actions,
        c.big_meetings,
        c.big_issues,
        c.small_actions,
        c.seconds
    );
    let (big_actions, small_actions) = (c.big_actions, c.small_actions);
    let state = AppState::new(db.clone(), &config).await?;
    let tokens = dataset::tokens(&state, &data, settings.connections).await?;
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let base = format!("http://{}/api/v1", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, convene::app(state))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(settings.connections)
        .tcp_nodelay(true)
        .build()?;
    let target = Arc::new(load::Target {
        http,
        base,
        data,
        tokens,
    });
    let big_items = load::page_size(&target, target.data.big_forum, &target.tokens[0].0).await?;
    let small_items =
        load::page_size(&target, target.data.small_forum, &target.tokens[0].1).await?;

    let n = settings.connections;
    let mut failures = Vec::new();
    let (warm, _) = load::run(&target, Mix::Weighted, n, settings.warm_up).await;
    failures.extend(report::failures(&format!("{label} warm-up"), &warm));
    let (mix, elapsed) = load::run(&target, Mix::Weighted, n, settings.mix).await;
    report::print_table(
        &format!("{label}: the mix at {n} connections"),
        &mix,
        elapsed,
    );
    failures.extend(report::failures(&format!("{label} mix"), &mix));
    let mut lists = Vec::new();
    for (endpoint, forum, actions, items) in [
        (Endpoint::BigActions, "big forum", big_actions, big_items),
        (
            Endpoint::SmallActions,
            "small forum",
            small_actions,
            small_items,
        ),
        (
            Endpoint::BigActionsShort,
            "big forum, short page",
            big_actions,
            small_items.clamp(1, 50),
        ),
    ] {
        let (recorded, elapsed) = load::run(&target, Mix::Only(endpoint), n, settings.list).await;
        failures.extend(report::failures(
            &format!("{label} {forum} alone"),
            &recorded,
        ));
        let samples = recorded.get(&endpoint).ok_or("no requests were recorded")?;
        lists.push(report::ListRun {
            forum,
            actions,
            items,
            figures: report::figures(samples, elapsed),
        });
    }
    report::print_lists(label, &lists[0], &lists[1], &lists[2]);

    drop(target);
    let _ = stop.send(());
    match tokio::time::timeout(Duration::from_secs(10), server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(err))) => failures.push(format!("{label}: the server stopped with {err}")),
        Ok(Err(err)) => failures.push(format!("{label}: the server task failed: {err}")),
        Err(_) => eprintln!("{label}: the server did not stop within 10 s; leaving it"),
    }
    db.close().await?;
    Ok(failures)
}
