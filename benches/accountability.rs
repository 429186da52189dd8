//! Accountability report latency on a large generated dataset:
//! `cargo bench --bench accountability` (SQLite), or with
//! `TEST_DATABASE_URL=postgres://…` on PostgreSQL.
//!
//! 12 regions, each with a forum and a current plan of 300 commitments, and
//! 100,000 then 1,000,000 actions across the forums (bulk-inserted by SQL,
//! their counters filled by the rebuild), each linked to one or two of its
//! region's commitments. Prints, at each size, the median and p95 of the
//! region report and of the themes matrix, served in-process through the
//! router.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use convene::AppState;
use convene::kernel::config::Config;
use entity::{CommitmentStatus, Firmness, PlanStatus, Theme, commitment, forum, regional_plan};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait, Iterable, Set, Statement,
};
use tower::ServiceExt;
use uuid::Uuid;

const COMMITMENTS_PER_PLAN: usize = 300;
/// The dataset grows through these sizes, measured at each.
const SIZES: [usize; 2] = [100_000, 1_000_000];
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
    let txn = convene::kernel::db::begin_write(&db).await?;
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
    txn.commit().await?;
    let slots: Vec<(usize, usize, Uuid, Uuid)> = commitments_by_region
        .iter()
        .enumerate()
        .flat_map(|(r, ids)| {
            let forum = forums[r];
            ids.iter()
                .enumerate()
                .map(move |(i, id)| (r, i, *id, forum))
        })
        .collect();
    stage(&db, &slots).await?;
    println!(
        "generated 12 regions × {COMMITMENTS_PER_PLAN} commitments in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let state = AppState::new(db.clone(), &config).await?;
    let app = convene::app(state);
    let mut made = 0;
    for actions in SIZES {
        let started = Instant::now();
        add_actions(&db, made, actions, now).await?;
        made = actions;
        let txn = convene::kernel::db::begin_write(&db).await?;
        convene::counters::rebuild(&txn).await?;
        txn.commit().await?;
        // Fresh statistics and visibility, as a long-running database would have.
        match db.get_database_backend() {
            DbBackend::Postgres => db.execute_unprepared("VACUUM ANALYZE").await?,
            _ => db.execute_unprepared("ANALYZE").await?,
        };
        println!(
            "{actions} actions: generated and counted in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        measure(&app).await?;
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

async fn measure(app: &axum::Router) -> Result<(), Box<dyn std::error::Error>> {
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
    Ok(())
}

/// The commitments and forums of each region, numbered, for the bulk insert
/// to pick from.
async fn stage(
    db: &DatabaseConnection,
    slots: &[(usize, usize, Uuid, Uuid)],
) -> Result<(), Box<dyn std::error::Error>> {
    db.execute_unprepared(
        "CREATE TABLE bench_slots (r INTEGER, i INTEGER, commitment_id UUID, forum_id UUID, \
         PRIMARY KEY (r, i))",
    )
    .await?;
    let backend = db.get_database_backend();
    for chunk in slots.chunks(500) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("bench_slots")).columns([
            Alias::new("r"),
            Alias::new("i"),
            Alias::new("commitment_id"),
            Alias::new("forum_id"),
        ]);
        for (r, i, commitment, forum) in chunk {
            insert.values([
                (*r as i64).into(),
                (*i as i64).into(),
                (*commitment).into(),
                (*forum).into(),
            ])?;
        }
        db.execute_raw(backend.build(&insert)).await?;
    }
    Ok(())
}

/// Actions `from..to` in one `INSERT … SELECT` over a generated series: the
/// n-th is in region n % 12, due (n % 365) - 180 days from today, with a
/// status by n % 5, linked to one of its region's commitments and every
/// other one to a second (every seventh commitment is left without work, as
/// in life).
async fn add_actions(
    db: &DatabaseConnection,
    from: usize,
    to: usize,
    now: chrono::DateTime<Utc>,
) -> Result<(), Box<dyn std::error::Error>> {
    let backend = db.get_database_backend();
    let (series, new_id, due) = match backend {
        DbBackend::Postgres => (
            format!("SELECT n FROM generate_series({from}, {}) AS n", to - 1),
            "gen_random_uuid()",
            "CURRENT_DATE + CAST(b.n % 365 - 180 AS integer)",
        ),
        _ => (
            format!(
                "WITH RECURSIVE seq(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM seq \
                 WHERE n + 1 < {to}) SELECT n FROM seq"
            ),
            "randomblob(16)",
            "date('now', (b.n % 365 - 180) || ' days')",
        ),
    };
    let txn = convene::kernel::db::begin_write(db).await?;
    txn.execute_unprepared("CREATE TEMPORARY TABLE bench_actions (n BIGINT PRIMARY KEY, id UUID)")
        .await?;
    txn.execute_unprepared(&format!(
        "INSERT INTO bench_actions (n, id) SELECT n, {new_id} FROM ({series}) s"
    ))
    .await?;
    let insert = format!(
        "INSERT INTO action_items (id, forum_id, meeting_id, title, description, \
         owner_organisation_id, owner_user_id, due_on, status, completed_at, version, \
         created_by, created_at, updated_at) \
         SELECT b.id, s.forum_id, NULL, 'Action', '', NULL, NULL, {due}, \
         CASE b.n % 5 WHEN 0 THEN 'open' WHEN 1 THEN 'in-progress' WHEN 2 THEN 'blocked' \
         WHEN 3 THEN 'done' ELSE 'cancelled' END, NULL, 1, NULL, $1, $1 \
         FROM bench_actions b JOIN bench_slots s ON s.r = b.n % 12 AND s.i = 0"
    );
    txn.execute_raw(sql(backend, &insert, vec![now.into()]))
        .await?;
    // The first link, moved off every seventh commitment; the second, for
    // even n, three further on unless that one is a seventh.
    let first = "CASE WHEN (b.n * 13) % 300 % 7 = 0 THEN ((b.n * 13) % 300 + 1) % 300 \
                 ELSE (b.n * 13) % 300 END";
    for (linked, filter) in [
        (first.to_string(), "1 = 1".to_string()),
        (
            format!("(({first}) + 3) % 300"),
            format!("b.n % 2 = 0 AND ((({first}) + 3) % 300) % 7 <> 0"),
        ),
    ] {
        let link = format!(
            "INSERT INTO action_commitments (action_id, commitment_id, created_at) \
             SELECT b.id, s.commitment_id, $1 FROM bench_actions b \
             JOIN bench_slots s ON s.r = b.n % 12 AND s.i = {linked} WHERE {filter}"
        );
        txn.execute_raw(sql(backend, &link, vec![now.into()]))
            .await?;
    }
    txn.execute_unprepared("DROP TABLE bench_actions").await?;
    txn.commit().await?;
    Ok(())
}

fn sql(backend: DbBackend, text: &str, values: Vec<sea_orm::Value>) -> Statement {
    let text = match backend {
        DbBackend::Postgres => text.to_string(),
        _ => text.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, text, values)
}
