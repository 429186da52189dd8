//! The report's counters against the aggregates they replace: a seeded
//! random sequence of writes through the API (actions created, linked,
//! unlinked, moved and re-dated; commitments added and re-themed; plans
//! superseded; issues raised, answered, closed and re-opened) and days
//! passing, with the served report and matrix compared byte for byte with
//! the oracle's, and every counter table with a rebuild, after each step.
//! `REPORT_SEED=n` replays another sequence.

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::Duration;
use convene::accountability::{Source, region_report, theme_matrix};
use convene::counters;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{ForumFixture, TestApp};

const REGIONS: [&str; 2] = ["kent-surrey-sussex", "wales"];
const THEMES: [&str; 4] = ["women", "accommodation", "race-equality", "families"];
const FIRMNESS: [&str; 3] = ["specific", "general", "mention"];
const STATUSES: [&str; 5] = ["open", "in-progress", "blocked", "done", "cancelled"];
const STEPS: usize = 90;

fn id_of(body: &Value) -> Uuid {
    body["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an id")
}

/// What the sequence has made so far, per region (index into `REGIONS`).
struct World {
    forums: [Uuid; 2],
    plans: [Vec<Uuid>; 2],
    commitments: [Vec<Uuid>; 2],
    actions: Vec<(Uuid, usize)>,
    links: BTreeSet<(Uuid, Uuid)>,
    issues: Vec<Uuid>,
}

/// The served report and matrix equal the oracle's, byte for byte, and
/// every counter equals its recomputation.
async fn assert_counters_match_oracle(app: &TestApp, seed: u64, step: usize, what: &str) {
    let today = app.state.clock.now().date_naive();
    let context = format!("seed {seed}, step {step} ({what})");
    for code in REGIONS {
        let served = app
            .get(&format!("/api/v1/regions/{code}/accountability"), None)
            .await;
        served.assert_status(StatusCode::OK);
        let oracle = region_report(app.db(), code, today, Source::Oracle)
            .await
            .expect("the oracle's report");
        let oracle = serde_json::to_vec(&oracle).expect("serialise");
        assert_eq!(
            String::from_utf8_lossy(&served.body),
            String::from_utf8_lossy(&oracle),
            "{code} report, {context}"
        );
    }
    let served = app.get("/api/v1/accountability/themes", None).await;
    let oracle = theme_matrix(app.db(), Source::Oracle)
        .await
        .expect("the oracle's matrix");
    assert_eq!(
        String::from_utf8_lossy(&served.body),
        String::from_utf8_lossy(&serde_json::to_vec(&oracle).expect("serialise")),
        "matrix, {context}"
    );
    let kept = counters::snapshot(app.db()).await.expect("counters");
    let txn = convene::kernel::db::begin_write(app.db())
        .await
        .expect("begin");
    counters::rebuild(&txn).await.expect("rebuild");
    let rebuilt = counters::snapshot(&txn).await.expect("rebuilt counters");
    txn.rollback().await.expect("rollback");
    for ((table, kept), (_, rebuilt)) in kept.iter().zip(&rebuilt) {
        assert_eq!(kept, rebuilt, "{table}, {context}");
    }
}

async fn add_commitment(
    app: &TestApp,
    fx: &ForumFixture,
    world: &mut World,
    rng: &mut StdRng,
    r: usize,
) {
    let plan = *world.plans[r].last().expect("a current plan");
    let reference = format!("C-{}", Uuid::now_v7().simple());
    let id = app
        .commitment(
            &fx.admin,
            plan,
            &reference,
            THEMES.choose(rng).expect("a theme"),
            FIRMNESS.choose(rng).expect("a firmness"),
        )
        .await;
    world.commitments[r].push(id);
}

/// Some of a region's commitments, none twice.
fn some_commitments(world: &World, rng: &mut StdRng, r: usize) -> Vec<Uuid> {
    let mut picked: Vec<Uuid> = (0..rng.random_range(0..=2))
        .filter_map(|_| world.commitments[r].choose(rng).copied())
        .collect();
    picked.sort();
    picked.dedup();
    picked
}

fn due(app: &TestApp, rng: &mut StdRng) -> Value {
    if rng.random_bool(0.2) {
        Value::Null
    } else {
        let today = app.state.clock.now().date_naive();
        json!(today + Duration::days(rng.random_range(-60..=60)))
    }
}

/// One random write (or a few days passing); returns what it was.
async fn step(app: &TestApp, fx: &ForumFixture, world: &mut World, rng: &mut StdRng) -> String {
    let admin = Some(fx.admin.access.as_str());
    let r = rng.random_range(0..REGIONS.len());
    let action = world.actions.choose(rng).copied();
    match rng.random_range(0..14) {
        0..=2 => {
            let links = some_commitments(world, rng, r);
            let created = app
                .post(
                    &format!("/api/v1/forums/{}/actions", world.forums[r]),
                    admin,
                    json!({"title": "An action", "due_on": due(app, rng), "commitment_ids": links}),
                )
                .await;
            created.assert_status(StatusCode::CREATED);
            let id = id_of(&created.json());
            world.actions.push((id, r));
            world.links.extend(links.iter().map(|c| (id, *c)));
            format!("create action linked to {}", links.len())
        }
        3 => {
            let Some((id, r)) = action else {
                return "nothing".into();
            };
            let Some(&c) = world.commitments[r].choose(rng) else {
                return "nothing".into();
            };
            app.request(
                Method::PUT,
                &format!("/api/v1/actions/{id}/commitments/{c}"),
                admin,
                None,
            )
            .await
            .assert_status(StatusCode::OK);
            world.links.insert((id, c));
            "link".into()
        }
        4 => {
            let links: Vec<_> = world.links.iter().copied().collect();
            let Some(&(id, c)) = links.choose(rng) else {
                return "nothing".into();
            };
            app.request(
                Method::DELETE,
                &format!("/api/v1/actions/{id}/commitments/{c}"),
                admin,
                None,
            )
            .await
            .assert_status(StatusCode::NO_CONTENT);
            world.links.remove(&(id, c));
            "unlink".into()
        }
        5 | 6 => {
            let Some((id, _)) = action else {
                return "nothing".into();
            };
            let to = STATUSES.choose(rng).expect("a status");
            let moved = if rng.random_bool(0.5) {
                app.patch(
                    &format!("/api/v1/actions/{id}"),
                    admin,
                    json!({"status": to}),
                )
                .await
            } else {
                app.post(
                    &format!("/api/v1/actions/{id}/updates"),
                    admin,
                    json!({"body": "Progress", "status": to}),
                )
                .await
            };
            assert!(
                [StatusCode::OK, StatusCode::CREATED, StatusCode::CONFLICT].contains(&moved.status),
                "{}",
                moved.status
            );
            format!("move action to {to}")
        }
        7 => {
            let Some((id, _)) = action else {
                return "nothing".into();
            };
            app.patch(
                &format!("/api/v1/actions/{id}"),
                admin,
                json!({"due_on": due(app, rng)}),
            )
            .await
            .assert_status(StatusCode::OK);
            "re-date action".into()
        }
        8 => {
            add_commitment(app, fx, world, rng, r).await;
            "add commitment".into()
        }
        9 => {
            let Some(&c) = world.commitments[r].choose(rng) else {
                return "nothing".into();
            };
            app.patch(
                &format!("/api/v1/commitments/{c}"),
                admin,
                json!({"theme": THEMES.choose(rng), "firmness": FIRMNESS.choose(rng)}),
            )
            .await
            .assert_status(StatusCode::OK);
            "re-theme commitment".into()
        }
        10 => {
            let published = app
                .post(
                    &format!("/api/v1/regions/{}/plans", REGIONS[r]),
                    admin,
                    json!({"title": "A new plan", "period": "2022-23"}),
                )
                .await;
            published.assert_status(StatusCode::CREATED);
            world.plans[r].push(id_of(&published.json()));
            add_commitment(app, fx, world, rng, r).await;
            "supersede plan".into()
        }
        11 => {
            let links = some_commitments(world, rng, r);
            let raised = app
                .post(
                    &format!("/api/v1/forums/{}/issues", world.forums[r]),
                    admin,
                    json!({"title": "An issue", "body": "Details", "commitment_ids": links}),
                )
                .await;
            raised.assert_status(StatusCode::CREATED);
            world.issues.push(id_of(&raised.json()));
            "raise issue".into()
        }
        12 => {
            let Some(&issue) = world.issues.choose(rng) else {
                return "nothing".into();
            };
            let moved = if rng.random_bool(0.5) {
                app.post(
                    &format!("/api/v1/issues/{issue}/responses"),
                    admin,
                    json!({"body": "Our answer"}),
                )
                .await
            } else {
                let to = ["acknowledged", "closed", "open"]
                    .choose(rng)
                    .expect("a status");
                app.patch(
                    &format!("/api/v1/issues/{issue}"),
                    admin,
                    json!({"status": to, "reason": "Not yet"}),
                )
                .await
            };
            assert!(
                [StatusCode::OK, StatusCode::CREATED, StatusCode::CONFLICT].contains(&moved.status),
                "{}",
                moved.status
            );
            "answer or move issue".into()
        }
        _ => {
            let days = rng.random_range(1..=20);
            app.state.clock.advance(Duration::days(days));
            format!("{days} days pass")
        }
    }
}

#[tokio::test]
async fn counters_equal_the_oracle_after_every_write() {
    let seed = std::env::var("REPORT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2021);
    let mut rng = StdRng::seed_from_u64(seed);
    let app = TestApp::spawn().await;
    let fx = app.forum_fixture().await;
    let mut world = World {
        forums: [fx.forum, fx.other_forum],
        plans: [Vec::new(), Vec::new()],
        commitments: [Vec::new(), Vec::new()],
        actions: Vec::new(),
        links: BTreeSet::new(),
        issues: Vec::new(),
    };
    for (r, code) in REGIONS.iter().enumerate() {
        world.plans[r].push(app.plan(&fx.admin, code, "The first plan").await);
        for _ in 0..3 {
            add_commitment(&app, &fx, &mut world, &mut rng, r).await;
        }
    }
    assert_counters_match_oracle(&app, seed, 0, "set-up").await;
    for n in 1..=STEPS {
        let what = step(&app, &fx, &mut world, &mut rng).await;
        assert_counters_match_oracle(&app, seed, n, &what).await;
    }
}
