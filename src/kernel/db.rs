//! Connecting to the database and starting write transactions.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Opens the pool. SQLite gets WAL with `synchronous=FULL` (an acknowledged
/// write survives a crash or power cut), enforced foreign keys, a busy timeout
/// so writers queue rather than fail, and several connections for a file
/// database (sea-orm would otherwise give it one). Every SQLite connection
/// plans each statement once (see [`plan_statements_once`]).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .max_connections(max_connections.max(1));
    if url.starts_with("sqlite:") {
        configure_sqlite_library();
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if in_memory {
            // Every connection to `:memory:` is a different database.
            options.max_connections(1);
        }
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .row_buffer_size(ROW_BUFFER_SIZE)
        });
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|conn, _| Box::pin(plan_statements_once(conn)))
        });
    }
    Database::connect(options).await
}

/// How many rows a SQLite connection's thread may read ahead of the request
/// that consumes them. sqlx's default (50) is one short of a full page (a
/// page reads one row more than it shows, to know whether another follows),
/// so every page ended with the connection's thread blocked on the channel
/// and woken again by the request: two thread switches per statement. A
/// CSV export's batch fits too.
const ROW_BUFFER_SIZE: usize = crate::kernel::pagination::BATCH as usize + 2;

/// Settings of the SQLite library itself, made once, before this process
/// opens its first SQLite connection.
///
/// SQLite keeps memory statistics by default, and takes one process-wide
/// mutex around every allocation to do so: with a connection per pool slot,
/// each on its own thread and copying every value of every row it reads,
/// the connections queued on that one lock. Nothing here reads the
/// statistics.
fn configure_sqlite_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` must not run while SQLite is in use on
        // another thread. Every SQLite connection of this process is opened
        // through `connect`, which calls this first, and `Once` holds any
        // other caller until it returns. Once SQLite has initialised, the
        // call is refused (SQLITE_MISUSE) and changes nothing.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::warn!(code = rc, "could not turn SQLite's memory statistics off");
        }
    });
}

/// Turns on SQLite's query planner stability guarantee for the connection.
///
/// Without it, a statement whose plan could depend on a bound value — every
/// `LIMIT ?`, which is every page and every single-row read — is marked to be
/// prepared again whenever that value is bound, so sqlx's cached statements
/// were parsed and planned anew on every execution. Our plans never need a
/// bound value: the predicates of partial indexes are written as literals.
async fn plan_statements_once(conn: &mut SqliteConnection) -> Result<(), sea_orm::sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is this connection's open handle, held locked for the
    // call; SQLITE_DBCONFIG_ENABLE_QPSG takes an int and an optional int
    // pointer for the old value, which may be null.
    let rc = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if rc == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Configuration(
            format!("could not turn on the query planner stability guarantee (SQLite code {rc})")
                .into(),
        ))
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// `BEGIN IMMEDIATE`, so a read-then-write transaction can never fail to
/// upgrade its lock half-way; PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a connection's QPSG setting (a negative new value leaves it as it is).
    async fn plans_once(conn: &mut SqliteConnection) -> bool {
        let mut handle = conn.lock_handle().await.expect("lock the connection");
        let mut on: std::ffi::c_int = -1;
        // SAFETY: an open handle, held locked; `on` outlives the call.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_db_config(
                handle.as_raw_handle().as_ptr(),
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as std::ffi::c_int,
                &mut on as *mut std::ffi::c_int,
            )
        };
        assert_eq!(rc, libsqlite3_sys::SQLITE_OK);
        on == 1
    }

    #[tokio::test]
    async fn sqlite_keeps_no_memory_statistics() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("stats.db").display());
        let db = connect(&url, 1).await.expect("connect");
        sea_orm::ConnectionTrait::execute_unprepared(
            &db,
            "CREATE TABLE t (x TEXT); INSERT INTO t VALUES (hex(randomblob(5000)))",
        )
        .await
        .expect("allocate something");
        // SAFETY: a plain read of a counter.
        let used = unsafe { libsqlite3_sys::sqlite3_memory_used() };
        assert_eq!(used, 0, "SQLite counted its allocations");
    }

    #[tokio::test]
    async fn every_sqlite_connection_plans_its_statements_once() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("plans.db").display());
        let db = connect(&url, 3).await.expect("connect");
        let pool = db.get_sqlite_connection_pool();
        // Hold several at once, so the pool has to open more than one.
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(pool.acquire().await.expect("a connection"));
        }
        for conn in &mut held {
            assert!(plans_once(conn).await, "a connection without QPSG");
        }
    }
}
