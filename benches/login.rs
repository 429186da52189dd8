//! Sign-in latency: `cargo bench --bench login`.
//!
//! Drives the real application in-process on a fresh SQLite file (or on
//! `TEST_DATABASE_URL`'s PostgreSQL server if it is set, in a new database)
//! and prints the median and 95th percentile of sequential logins, then the
//! wall time of a burst of concurrent logins (bounded by the hashing semaphore).
//! The server's resident memory around such a burst is measured on the real
//! binary by `benches/login-rss.sh`.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use convene::AppState;
use convene::kernel::config::Config;
use sea_orm::{ConnectionTrait, Database};
use tower::ServiceExt;

const SEQUENTIAL: usize = 50;
const BURST: usize = 32;
const BODY: &str = r#"{"email":"bench@example.org","password":"a long enough passphrase"}"#;

fn post(path: &str, body: &str) -> Request<Body> {
    Request::builder()
        .method("POST")
        .uri(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = match std::env::var("TEST_DATABASE_URL") {
        Ok(pg) if pg.starts_with("postgres") => {
            let admin = Database::connect(&pg).await?;
            admin
                .execute_unprepared("DROP DATABASE IF EXISTS convene_bench_login")
                .await?;
            admin
                .execute_unprepared("CREATE DATABASE convene_bench_login")
                .await?;
            format!(
                "{}/convene_bench_login",
                pg.rsplit_once('/').map_or(pg.as_str(), |(h, _)| h)
            )
        }
        _ => format!("sqlite://{}", dir.path().join("bench.db").display()),
    };
    let config = Config::for_database(&url);
    let db = convene::cli::connect_and_migrate(&config).await?;
    let state = AppState::new(db, &config).await?;
    let app = convene::app(state);
    let registered = app
        .clone()
        .oneshot(post(
            "/api/v1/auth/register",
            r#"{"email":"bench@example.org","display_name":"Bench","password":"a long enough passphrase"}"#,
        ))
        .await?;
    assert_eq!(registered.status(), StatusCode::CREATED);

    let mut timings = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(post("/api/v1/auth/login", BODY))
            .await?;
        timings.push(started.elapsed());
        assert_eq!(response.status(), StatusCode::OK);
    }
    timings.sort();
    println!(
        "login, sequential ({SEQUENTIAL}): median {:.1} ms, p95 {:.1} ms",
        percentile(&timings, 0.5).as_secs_f64() * 1e3,
        percentile(&timings, 0.95).as_secs_f64() * 1e3
    );

    let started = Instant::now();
    let burst: Vec<_> = (0..BURST)
        .map(|_| tokio::spawn(app.clone().oneshot(post("/api/v1/auth/login", BODY))))
        .collect();
    for handle in burst {
        let response = handle.await??;
        assert_eq!(response.status(), StatusCode::OK);
    }
    println!(
        "login, burst of {BURST} at once: {:.1} ms in all ({} hashes at a time)",
        started.elapsed().as_secs_f64() * 1e3,
        std::thread::available_parallelism().map_or(2, |n| n.get())
    );
    if let Ok(pg) = std::env::var("TEST_DATABASE_URL")
        && pg.starts_with("postgres")
    {
        Database::connect(&pg)
            .await?
            .execute_unprepared("DROP DATABASE IF EXISTS convene_bench_login WITH (FORCE)")
            .await?;
    }
    Ok(())
}
