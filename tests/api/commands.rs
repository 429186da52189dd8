//! `convene purge`, the housekeeping of `convene serve`, and what
//! `convene seed-demo` says, through the real executable on an SQLite file.

use std::path::Path;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use uuid::Uuid;

use crate::cli::{convene, start_server_with};

fn run(dir: &Path, args: &[&str]) -> String {
    let output = convene(dir).args(args).output().expect("run convene");
    assert!(
        output.status.success(),
        "convene {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `work` on the command's database, from outside the command.
fn with_database<T>(dir: &Path, work: impl AsyncFnOnce(&DatabaseConnection) -> T) -> T {
    let url = format!("sqlite://{}", dir.join("convene.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let db = convene::kernel::db::connect(&url, 1)
            .await
            .expect("connect");
        let result = work(&db).await;
        db.close().await.ok();
        result
    })
}

/// A person with a session that ended 31 days ago, a live one, and a
/// failed sign-in an hour old. Returns the live session's id.
async fn old_and_new_sign_ins(db: &DatabaseConnection) -> Uuid {
    let now = Utc::now();
    let id = crate::support::builders::person(
        db,
        crate::support::builders::Person {
            email: "old@example.org",
            name: "Old",
            password_hash: "",
            is_admin: false,
            organisation_id: None,
            verified: Some(now),
        },
        now,
    )
    .await;
    let sixty_one_days_ago = now - Duration::days(61);
    convene::auth::sessions::start(db, id, sixty_one_days_ago)
        .await
        .expect("an old session");
    convene::auth::lockout::record_failure(db, "old@example.org", now - Duration::hours(1))
        .await
        .expect("an old failure");
    let (live, _) = convene::auth::sessions::start(db, id, now)
        .await
        .expect("a live session");
    live.id
}

async fn session_ids(db: &DatabaseConnection) -> Vec<Uuid> {
    entity::session::Entity::find()
        .all(db)
        .await
        .expect("sessions")
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[test]
fn purge_deletes_what_has_ended_and_says_how_much() {
    let dir = tempfile::tempdir().expect("temporary directory");
    run(dir.path(), &["migrate"]);
    let live = with_database(dir.path(), old_and_new_sign_ins);

    let first = run(dir.path(), &["purge"]);
    let second = run(dir.path(), &["purge"]);

    assert_eq!(
        first.trim(),
        "purged 1 sessions, 1 refresh tokens, 1 login failures, 0 account links, 0 notifications, 0 orphaned paper files"
    );
    assert_eq!(
        second.trim(),
        "purged 0 sessions, 0 refresh tokens, 0 login failures, 0 account links, 0 notifications, 0 orphaned paper files"
    );
    assert_eq!(with_database(dir.path(), session_ids), [live]);
}

#[test]
fn serve_purges_at_start_unless_told_not_to() {
    let dir = tempfile::tempdir().expect("temporary directory");
    run(dir.path(), &["migrate"]);
    let live = with_database(dir.path(), old_and_new_sign_ins);

    let mut off = convene(dir.path());
    off.env("CONVENE_PURGE_INTERVAL_SECS", "0");
    let (mut server, _) = start_server_with(off);
    std::thread::sleep(StdDuration::from_millis(500));
    server.kill().ok();
    server.wait().ok();
    let kept = with_database(dir.path(), session_ids).len();
    let (mut server, _) = start_server_with(convene(dir.path()));
    let deadline = Instant::now() + StdDuration::from_secs(10);
    let mut left = Vec::new();
    while Instant::now() < deadline {
        left = with_database(dir.path(), session_ids);
        if left.len() == 1 {
            break;
        }
        std::thread::sleep(StdDuration::from_millis(100));
    }
    server.kill().ok();
    server.wait().ok();

    assert_eq!(kept, 2, "housekeeping off: nothing purged");
    assert_eq!(left, [live]);
}

#[test]
fn seed_demo_names_the_regions_it_leaves_alone_and_why() {
    let dir = tempfile::tempdir().expect("temporary directory");
    run(dir.path(), &["migrate"]);
    with_database(dir.path(), async |db| {
        let wales = entity::region::Entity::find()
            .filter(entity::region::Column::Code.eq("wales"))
            .one(db)
            .await
            .expect("find Wales")
            .expect("Wales is seeded");
        let now = Utc::now();
        entity::forum::ActiveModel {
            id: Set(Uuid::now_v7()),
            region_id: Set(wales.id),
            name: Set("The real Welsh forum".into()),
            description: Set(String::new()),
            terms_of_reference: Set(String::new()),
            issue_response_days: Set(28),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(db)
        .await
        .expect("a real forum");
    });

    let first = run(dir.path(), &["seed-demo"]);
    let second = run(dir.path(), &["seed-demo"]);

    assert!(first.contains("loaded 11 forums"), "{first}");
    assert!(
        first.contains(
            "left 1 region(s) alone, as they already hold real data: wales (it already has a forum)"
        ),
        "{first}"
    );
    assert!(
        second.starts_with("the demo data was already loaded (")
            && second.contains("nothing to do"),
        "{second}"
    );
}

#[test]
fn rebuild_report_recomputes_counters_that_were_lost() {
    let dir = tempfile::tempdir().expect("temporary directory");
    run(dir.path(), &["seed-demo"]);
    let kept = with_database(dir.path(), async |db| {
        let kept = convene::counters::snapshot(db)
            .await
            .expect("the demo's counters");
        for table in convene::counters::TABLES {
            db.execute_unprepared(&format!("DELETE FROM {table}"))
                .await
                .expect("lose the counters");
        }
        kept
    });

    let said = run(dir.path(), &["rebuild-report"]);

    assert!(said.contains("rebuilt"), "{said}");
    with_database(dir.path(), async |db| {
        let rebuilt = convene::counters::snapshot(db)
            .await
            .expect("the rebuilt counters");
        assert!(kept.iter().all(|(_, rows)| !rows.is_empty()), "{kept:?}");
        assert_eq!(rebuilt, kept);
        let today = Utc::now().date_naive();
        for region in convene::regions::all(db).await.expect("regions") {
            let report = async |source| {
                serde_json::to_string(
                    &convene::accountability::region_report(db, &region.code, today, source)
                        .await
                        .expect("a report"),
                )
                .expect("serialise")
            };
            assert_eq!(
                report(convene::accountability::Source::Counters).await,
                report(convene::accountability::Source::Oracle).await,
                "{}",
                region.code
            );
        }
    });
}
