//! The databases the benchmark runs on: a SQLite file in a temporary
//! directory, and a fresh PostgreSQL database that is dropped afterwards.

use std::time::Duration;

use sea_orm::ConnectionTrait;

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub enum Target {
    Sqlite(tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Target {
    pub fn label(&self) -> &'static str {
        match self {
            Target::Sqlite(_) => "SQLite",
            Target::Postgres { .. } => "PostgreSQL",
        }
    }

    pub fn url(&self) -> String {
        match self {
            Target::Sqlite(dir) => format!("sqlite://{}", dir.path().join("convene.db").display()),
            Target::Postgres { admin_url, name } => with_database(admin_url, name),
        }
    }

    /// Drops the PostgreSQL database; the SQLite directory goes with `self`.
    pub async fn remove(self) {
        let Target::Postgres { admin_url, name } = self else {
            return;
        };
        let dropped = match convene::kernel::db::connect(&admin_url, 1).await {
            Ok(admin) => {
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                let result = admin.execute_unprepared(&sql).await.map(|_| ());
                let _ = admin.close().await;
                result
            }
            Err(err) => Err(err),
        };
        if let Err(err) = dropped {
            eprintln!("could not drop the benchmark database {name}: {err}");
        }
    }
}

pub fn sqlite() -> Target {
    Target::Sqlite(tempfile::tempdir().expect("a temporary directory for the SQLite file"))
}

/// A new, empty database on the PostgreSQL server, or the reason there is none.
pub async fn postgres() -> Result<Target, String> {
    let admin_url = ["BENCH_DATABASE_URL", "TEST_DATABASE_URL"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|url| url.starts_with("postgres"))
        .unwrap_or_else(|| DEFAULT_POSTGRES.to_string());
    let shown = redact(&admin_url);
    let admin = tokio::time::timeout(
        Duration::from_secs(5),
        convene::kernel::db::connect(&admin_url, 1),
    )
    .await
    .map_err(|_| format!("{shown} did not answer within 5 s"))?
    .map_err(|err| format!("{shown} is unreachable: {err}"))?;
    // The process id keeps two runs on one server apart.
    let name = format!("convene_bench_api_{}", std::process::id());
    let created = admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await;
    let _ = admin.close().await;
    created.map_err(|err| format!("cannot create a database on {shown}: {err}"))?;
    Ok(Target::Postgres { admin_url, name })
}

/// The same server and credentials, another database.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let host = base.rsplit_once('/').map_or(base, |(host, _)| host);
    match query {
        Some(query) => format!("{host}/{name}?{query}"),
        None => format!("{host}/{name}"),
    }
}

/// The URL without its password, fit to print.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
