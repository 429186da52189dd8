//! Accountability report latency on a large generated dataset:
//! `cargo bench --bench accountability` (SQLite), or with
//! `TEST_DATABASE_URL=postgres://…` on PostgreSQL.
//!
//! 12 regions, each with a forum and a current plan of 300 commitments, and
//! 100,000 actions across the forums, each linked to one or two of its
//! region's commitments. Prints the median and p95 of the region report and
//! of the themes matrix, served in-process through the router.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use convene::AppState;
use convene::config::Config;
use entity::{
    ActionStatus, CommitmentStatus, Firmness, PlanStatus, Theme, action_commitment, action_item,
    commitment, forum, regional_plan,
};
use sea_orm::{ConnectionTrait, Database, EntityTrait, Iterable, Set};
use tower::ServiceExt;
use uuid::Uuid;

const COMMITMENTS_PER_PLAN: usize = 300;
const ACTIONS: usize = 100_000;
const BATCH: usize = 1_000;
const RUNS: usize = 20;

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
                .execute_unprepared("DROP DATABASE IF EXISTS convene_bench_report")
                .await?;
            admin
                .execute_unprepared("CREATE DATABASE convene_bench_report")
                .await?;
            format!(
                "{}/convene_bench_report",
                pg.rsplit_once('/').map_or(pg.as_str(), |(h, _)| h)
            )
        }
        _ => format!("sqlite://{}", dir.path().join("bench.db").display()),
    };
    let config = Config::for_database(&url);
    let db = convene::cli::connect_and_migrate(&config).await?;
    let now = Utc::now();
    let started = Instant::now();

    let regions = convene::regions::all(&db).await?;
    let themes: Vec<Theme> = Theme::iter().collect();
    let statuses = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Blocked,
        ActionStatus::Done,
        ActionStatus::Cancelled,
    ];
    let txn = convene::db::begin_write(&db).await?;
    let mut forums = Vec::new();
    let mut commitments_by_region: Vec<Vec<Uuid>> = Vec::new();
    for (r, region) in regions.iter().enumerate() {
        let forum_id = Uuid::now_v7();
        forum::Entity::insert(forum::ActiveModel {
            id: Set(forum_id),
            region_id: Set(region.id),
            name: Set(format!("{} forum", region.name)),
            description: Set(String::new()),
            terms_of_reference: Set(String::new()),
            issue_response_days: Set(28),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        forums.push(forum_id);
        let plan_id = Uuid::now_v7();
        regional_plan::Entity::insert(regional_plan::ActiveModel {
            id: Set(plan_id),
            region_id: Set(region.id),
            title: Set("Plan".into()),
            period: Set("2021-22".into()),
            published_on: Set(None),
            source_url: Set(None),
            status: Set(PlanStatus::Current),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        let ids: Vec<Uuid> = (0..COMMITMENTS_PER_PLAN).map(|_| Uuid::now_v7()).collect();
        commitment::Entity::insert_many(ids.iter().enumerate().map(|(i, id)| {
            commitment::ActiveModel {
                id: Set(*id),
                plan_id: Set(plan_id),
                reference: Set(format!("R{r}-{i:04}")),
                theme: Set(themes[(i * 7 + r) % themes.len()]),
                text: Set("A commitment".into()),
                firmness: Set(Firmness::iter().nth(i % 3).unwrap_or(Firmness::General)),
                target: Set(None),
                due_on: Set(None),
                status: Set(CommitmentStatus::NotStarted),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
        commitments_by_region.push(ids);
    }
    for chunk_start in (0..ACTIONS).step_by(BATCH) {
        let mut actions = Vec::with_capacity(BATCH);
        let mut links = Vec::with_capacity(BATCH * 2);
        for n in chunk_start..(chunk_start + BATCH).min(ACTIONS) {
            let r = n % forums.len();
            let id = Uuid::now_v7();
            let due = (now + chrono::Duration::days((n % 365) as i64 - 180)).date_naive();
            actions.push(action_item::ActiveModel {
                id: Set(id),
                forum_id: Set(forums[r]),
                meeting_id: Set(None),
                title: Set(format!("Action {n}")),
                description: Set(String::new()),
                owner_organisation_id: Set(None),
                owner_user_id: Set(None),
                due_on: Set(Some(due)),
                status: Set(statuses[n % statuses.len()]),
                completed_at: Set(None),
                version: Set(1),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let region_commitments = &commitments_by_region[r];
            // Most commitments get work; every seventh is left without, as in life.
            let first = (n * 13) % region_commitments.len();
            let linked = if first.is_multiple_of(7) {
                (first + 1) % region_commitments.len()
            } else {
                first
            };
            links.push((id, region_commitments[linked]));
            if n % 2 == 0 {
                let second = (linked + 3) % region_commitments.len();
                if !second.is_multiple_of(7) {
                    links.push((id, region_commitments[second]));
                }
            }
        }
        action_item::Entity::insert_many(actions)
            .exec_without_returning(&txn)
            .await?;
        action_commitment::Entity::insert_many(links.into_iter().map(
            |(action_id, commitment_id)| action_commitment::ActiveModel {
                action_id: Set(action_id),
                commitment_id: Set(commitment_id),
                created_at: Set(now),
            },
        ))
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    // Fresh statistics, as a long-running database would have.
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "generated 12 regions × {COMMITMENTS_PER_PLAN} commitments, {ACTIONS} actions in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let state = AppState::new(db, &config).await?;
    let app = convene::app(state);
    for (label, path) in [
        (
            "region report (kent-surrey-sussex)",
            "/api/v1/regions/kent-surrey-sussex/accountability",
        ),
        (
            "themes matrix (12 regions)",
            "/api/v1/accountability/themes",
        ),
    ] {
        let mut timings = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let request = Request::builder().uri(path).body(Body::empty())?;
            let begun = Instant::now();
            let response = app.clone().oneshot(request).await?;
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            timings.push(begun.elapsed());
            assert!(!body.is_empty());
        }
        timings.sort();
        println!(
            "{label}: median {:.1} ms, p95 {:.1} ms over {RUNS} requests",
            percentile(&timings, 0.5).as_secs_f64() * 1e3,
            percentile(&timings, 0.95).as_secs_f64() * 1e3
        );
    }
    let check = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/api/v1/regions/wales/accountability")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(check.status(), StatusCode::OK);
    if let Ok(pg) = std::env::var("TEST_DATABASE_URL")
        && pg.starts_with("postgres")
    {
        Database::connect(&pg)
            .await?
            .execute_unprepared("DROP DATABASE IF EXISTS convene_bench_report WITH (FORCE)")
            .await?;
    }
    Ok(())
}
