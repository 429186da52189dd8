//! Email delivery: `cargo bench --bench notify`.
//!
//! A forum of 1,000 participants on a fresh SQLite file (or, with
//! `TEST_DATABASE_URL` set, a new PostgreSQL database), one meeting
//! scheduled: the worker turns the event into 1,000 messages and delivers
//! them over loopback SMTP to a local server (the tests' `mailin` server).
//! Prints the time to queue them, the time until the last is delivered, and
//! the rate; then the same with 8 messages in flight against 1.

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use convene::jobs::notify::worker::Worker;
use convene::jobs::notify::{Composer, Mailer};
use convene::jobs::pacing::Settings;
use convene::kernel::clock::Clock;
use convene::kernel::config::Config;
use convene::kernel::credentials::tokens::TokenKeys;
use convene::kernel::events::{Kind, emit};
use entity::{ForumRole, MeetingStatus, delivery, forum, forum_role, meeting, region, user};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, Set};
use uuid::Uuid;

#[allow(dead_code)]
#[path = "../tests/api/support/smtp.rs"]
mod smtp;

const PEOPLE: usize = 1000;

async fn database(
    name: &str,
    dir: &std::path::Path,
) -> Result<DatabaseConnection, Box<dyn std::error::Error>> {
    let url = match std::env::var("TEST_DATABASE_URL") {
        Ok(pg) if pg.starts_with("postgres") => {
            let admin = Database::connect(&pg).await?;
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            format!(
                "{}/{name}",
                pg.rsplit_once('/').map_or(pg.as_str(), |(h, _)| h)
            )
        }
        _ => format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
    };
    Ok(convene::cli::connect_and_migrate(&Config::for_database(&url)).await?)
}

/// A forum whose 1,000 participants will all hear of its next meeting.
async fn forum_of_many(db: &DatabaseConnection) -> Result<meeting::Model, sea_orm::DbErr> {
    let now = Utc::now();
    let region = region::Entity::find()
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::Custom("no regions".into()))?;
    let forum = forum::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_id: Set(region.id),
        name: Set("Bench forum".into()),
        description: Set(String::new()),
        terms_of_reference: Set(String::new()),
        issue_response_days: Set(28),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    let people: Vec<user::ActiveModel> = (0..PEOPLE)
        .map(|n| user::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(format!("person{n}@bench.example.org")),
            display_name: Set(format!("Person {n}")),
            password_hash: Set("unused".into()),
            organisation_id: Set(None),
            is_admin: Set(false),
            disabled: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            email_verified_at: Set(Some(now)),
            verification_sent_at: Set(None),
            password_reset_sent_at: Set(None),
            email_change_sent_at: Set(None),
        })
        .collect();
    let roles: Vec<forum_role::ActiveModel> = people
        .iter()
        .map(|p| forum_role::ActiveModel {
            forum_id: Set(forum.id),
            user_id: p.id.clone(),
            role: Set(ForumRole::Member),
            assigned_by: Set(None),
            created_at: Set(now),
        })
        .collect();
    for chunk in people.chunks(200) {
        user::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in roles.chunks(200) {
        forum_role::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    meeting::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum.id),
        title: Set("Quarterly forum".into()),
        description: Set(String::new()),
        starts_at: Set(now + Duration::days(14)),
        ends_at: Set(now + Duration::days(14) + Duration::hours(2)),
        location: Set(Some("Maidstone Community Hub".into())),
        online_link: Set(None),
        status: Set(MeetingStatus::Scheduled),
        cancel_reason: Set(None),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        series_id: Set(None),
        occurrence_start: Set(None),
        is_exception: Set(false),
    }
    .insert(db)
    .await
}

async fn run(label: &str, in_flight: usize) -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = database(&format!("convene_bench_notify_{in_flight}"), dir.path()).await?;
    let meeting = forum_of_many(&db).await?;
    let server = smtp::SmtpServer::start();
    let worker = Worker {
        db: db.clone(),
        mailer: Arc::new(Mailer::smtp(&server.url())?),
        composer: Composer::new(
            "Convene <convene@bench.example.org>",
            Some("https://convene.bench.example.org"),
            Arc::new(TokenKeys::new(b"a benchmark's signing secret, 32+ bytes")),
        )?,
        webhooks: Arc::new(convene::jobs::webhooks::Sender::new(Default::default())?),
        clock: Clock::default(),
        settings: Settings {
            in_flight,
            ..Settings::default()
        },
    };
    emit(
        &db,
        Utc::now(),
        convene::meetings::events::meeting(Kind::MeetingScheduled, &meeting, None, None),
    )
    .await?;

    let started = Instant::now();
    worker.dispatch().await?;
    let queued_in = started.elapsed();
    let queued = delivery::Entity::find().all(&db).await?.len();
    let sending = Instant::now();
    loop {
        let pass = worker.run_once().await?;
        if pass.dispatched + pass.sent + pass.retrying + pass.failed == 0 {
            break;
        }
    }
    let sent_in = sending.elapsed();
    let received = server.received().len();
    println!(
        "{label}: {queued} messages queued in {:.0} ms; {received} delivered in {:.2} s, {:.0} messages/s",
        queued_in.as_secs_f64() * 1000.0,
        sent_in.as_secs_f64(),
        received as f64 / sent_in.as_secs_f64()
    );
    if received != PEOPLE {
        return Err(format!("{received} of {PEOPLE} messages arrived").into());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("== {backend}: one meeting scheduled in a forum of {PEOPLE}");
    run("8 in flight", 8).await?;
    run("1 in flight", 1).await?;
    Ok(())
}
