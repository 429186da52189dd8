//! Each test's own database, ready in milliseconds.
//!
//! Migrations run once per test process, into a template. On SQLite each test
//! copies the template file. On PostgreSQL, creating a database costs about
//! half a second (it copies and syncs ~9 MB), so databases are created from
//! the template only as needed and reused: when a test ends, its database is
//! emptied in one transaction and handed to the next test. Databases carry
//! the test process's pid in their name, so a later run drops the leftovers
//! of a run that crashed, and never those of a run still going.

use std::sync::{Mutex, OnceLock};

use convene::kernel::config::Config;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use uuid::Uuid;

/// Tables whose rows the migrations themselves write; a test never changes them.
const SEEDED_TABLES: [&str; 2] = ["regions", "seaql_migrations"];

pub enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let TestDb::Postgres { admin_url, name } = self else {
            return;
        };
        let (admin_url, name) = (admin_url.clone(), name.clone());
        run_on_own_runtime(async move {
            let url = with_database_name(&admin_url, &name);
            if empty_database(&url).await.is_ok() {
                free_databases().push(name);
                return;
            }
            // Something still holds it (a server task of the test, say):
            // drop it rather than wait.
            if let Ok(admin) = Database::connect(&admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
            }
        });
    }
}

/// Whether this run's tests use PostgreSQL (`TEST_DATABASE_URL`).
pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|url| url.starts_with("postgres"))
}

/// A database for one test: its URL, and the guard that cleans it up.
pub async fn fresh() -> (String, TestDb) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let reused = free_databases().pop();
            let name = match reused {
                Some(name) => name,
                None => create_from_template(&url).await,
            };
            (
                with_database_name(&url, &name),
                TestDb::Postgres {
                    admin_url: url,
                    name,
                },
            )
        }
        _ => {
            let template = TEMPLATE.get_or_init(sqlite_template);
            let dir = tempfile::tempdir().expect("temporary directory");
            let path = dir.path().join("convene.db");
            std::fs::copy(template, &path).expect("copy the template database");
            (format!("sqlite://{}", path.display()), TestDb::Sqlite(dir))
        }
    }
}

/// Runs a future to completion on a thread and runtime of its own: for work
/// done from `Drop` or from a one-time initialiser, where the calling test's
/// runtime cannot be borrowed.
fn run_on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for test set-up")
            .block_on(work)
    })
    .join()
    .expect("test set-up thread")
}

pub fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(head, _)| head);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// `convene_<kind>_<pid>_<uuid>` → pid.
fn owner_pid(name: &str) -> Option<u32> {
    name.split('_').nth(2)?.split('.').next()?.parse().ok()
}

fn our_name(kind: &str) -> String {
    format!(
        "convene_{kind}_{}_{}",
        std::process::id(),
        Uuid::new_v4().simple()
    )
}

/// The migrated template: a file path (SQLite) or a database name (PostgreSQL).
static TEMPLATE: OnceLock<String> = OnceLock::new();

/// The PostgreSQL template's schema fingerprint: a database whose schema a
/// test changed (some drop a table to force a failure) is not reused.
static SCHEMA_FINGERPRINT: OnceLock<String> = OnceLock::new();

const FINGERPRINT_SQL: &str = "SELECT \
    (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
       AND a.attnum > 0 AND NOT a.attisdropped)::text \
    || '/' || (SELECT count(*) FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace \
               AND c.relkind IN ('r', 'i'))::text \
    || '/' || (SELECT count(*) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)::text \
    || '/' || (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
               WHERE c.relnamespace = current_schema()::regnamespace)::text";

/// Emptied PostgreSQL databases, ready for the next test.
fn free_databases() -> std::sync::MutexGuard<'static, Vec<String>> {
    static FREE: Mutex<Vec<String>> = Mutex::new(Vec::new());
    FREE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// SQLite: a migrated file, compacted with `VACUUM INTO`, that each test copies.
fn sqlite_template() -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("convene_tmpl_")
                && owner_pid(&name).is_none_or(|pid| !process_alive(pid))
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let path = dir.join(format!("{}.db", our_name("tmpl")));
    let target = path.display().to_string();
    run_on_own_runtime(async move {
        let scratch = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", scratch.path().join("migrate.db").display());
        let db = convene::cli::connect_and_migrate(&Config::for_database(&url))
            .await
            .expect("migrate the template database");
        db.execute_unprepared(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
            .await
            .expect("write the template database");
        let _ = db.close().await;
    });
    path.display().to_string()
}

async fn create_from_template(admin_url: &str) -> String {
    let template = TEMPLATE.get_or_init(|| {
        let admin_url = admin_url.to_string();
        run_on_own_runtime(async move { postgres_template(&admin_url).await })
    });
    let name = our_name("test");
    let admin = Database::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .execute_unprepared(&format!(
            "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
        ))
        .await
        .expect("create a test database");
    // A test's commits need not survive a crash of the server: without
    // waiting for each one's WAL flush the suite runs in about half the
    // time. Locks, isolation and constraints are as they always are.
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" SET synchronous_commit = off"
        ))
        .await
        .expect("set the test database's commit mode");
    let _ = admin.close().await;
    name
}

async fn names(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .expect("query the catalogue")
        .iter()
        .filter_map(|row| row.try_get_by_index::<String>(0).ok())
        .collect()
}

/// PostgreSQL: a migrated database, marked as a template. Leftovers of dead
/// test processes are dropped first.
async fn postgres_template(admin_url: &str) -> String {
    let admin = Database::connect(admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    let existing = names(
        &admin,
        r"SELECT datname FROM pg_database WHERE datname LIKE 'convene\_%'",
    )
    .await;
    for name in existing {
        if owner_pid(&name).is_none_or(|pid| !process_alive(pid)) {
            let _ = admin
                .execute_unprepared(&format!("ALTER DATABASE \"{name}\" IS_TEMPLATE false"))
                .await;
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
    }
    let name = our_name("tmpl");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("create the template database");
    let db = convene::cli::connect_and_migrate(&Config::for_database(with_database_name(
        admin_url, &name,
    )))
    .await
    .expect("migrate the template database");
    let fingerprint = names(&db, FINGERPRINT_SQL).await.concat();
    let _ = SCHEMA_FINGERPRINT.set(fingerprint);
    let tables = tables_to_empty(&db).await.expect("the template's tables");
    let _ = TABLES_TO_EMPTY.set(tables);
    // A template may have no open connections while it is copied.
    let _ = db.close().await;
    admin
        .execute_unprepared(&format!("ALTER DATABASE \"{name}\" IS_TEMPLATE true"))
        .await
        .expect("mark the template");
    let _ = admin.close().await;
    name
}

/// The tables a test may write, children before parents: read from the
/// template once, since every reused database has the template's schema.
static TABLES_TO_EMPTY: OnceLock<Vec<String>> = OnceLock::new();

async fn tables_to_empty(db: &DatabaseConnection) -> Result<Vec<String>, sea_orm::DbErr> {
    let tables = names(
        db,
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .await;
    let edges: Vec<(String, String)> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint \
             WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
        ))
        .await?
        .iter()
        .filter_map(|row| {
            Some((
                row.try_get_by_index::<String>(0).ok()?,
                row.try_get_by_index::<String>(1).ok()?,
            ))
        })
        .collect();
    Ok(children_first(tables, &edges)
        .into_iter()
        .filter(|t| !SEEDED_TABLES.contains(&t.as_str()))
        .collect())
}

/// Deletes every row a test can have written, children before parents, in
/// one transaction. Waits at most a moment for locks: a database somebody
/// still uses is not reused.
async fn empty_database(url: &str) -> Result<(), sea_orm::DbErr> {
    let db = Database::connect(url).await?;
    let fingerprint = names(&db, FINGERPRINT_SQL).await.concat();
    let Some(tables) = TABLES_TO_EMPTY
        .get()
        .filter(|_| SCHEMA_FINGERPRINT.get() == Some(&fingerprint))
    else {
        let _ = db.close().await;
        return Err(sea_orm::DbErr::Custom("the test changed the schema".into()));
    };
    let mut statements = vec![
        "BEGIN".to_string(),
        "SET LOCAL lock_timeout = '2s'".to_string(),
    ];
    statements.extend(tables.iter().map(|t| format!("DELETE FROM \"{t}\"")));
    statements.push("COMMIT".into());
    let result = db.execute_unprepared(&statements.join(";\n")).await;
    let _ = db.close().await;
    result.map(|_| ())
}

/// Orders tables so that every table comes before the tables it refers to.
fn children_first(mut tables: Vec<String>, edges: &[(String, String)]) -> Vec<String> {
    let mut ordered = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let (ready, rest): (Vec<String>, Vec<String>) = tables.iter().cloned().partition(|t| {
            // Ready when no remaining table (other than itself) refers to it.
            !edges
                .iter()
                .any(|(child, parent)| parent == t && child != t && tables.contains(child))
        });
        if ready.is_empty() {
            // A cycle: give up on ordering the rest; the DELETE will say so.
            ordered.extend(rest);
            break;
        }
        ordered.extend(ready);
        tables = rest;
    }
    ordered
}
