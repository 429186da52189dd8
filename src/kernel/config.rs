//! Configuration, from flags or the environment (flags win).

use std::net::SocketAddr;
use std::time::Duration;

use clap::Args;

use crate::kernel::credentials::passwords::HashCost;

/// Below this, an HS256 secret is guessable; refuse to start with it.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Database to use: `sqlite://PATH` (created if missing) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://convene.db",
        global = true
    )]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(
        long,
        env = "CONVENE_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// Secret for signing access tokens, at least 32 bytes. When unset, one is
    /// generated on first start and kept in the database.
    #[arg(
        long,
        env = "CONVENE_JWT_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub jwt_secret: Option<String>,

    /// Seconds a request may run before it is answered 408.
    #[arg(
        long,
        env = "CONVENE_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Most database connections this node opens.
    #[arg(
        long,
        env = "CONVENE_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// Seconds between housekeeping passes of `serve` (deleting ended
    /// sessions, old refresh tokens and stale login failures); 0 turns them off.
    #[arg(
        long,
        env = "CONVENE_PURGE_INTERVAL_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub purge_interval_secs: u64,

    /// argon2id memory per password hash, in KiB (OWASP: at least 19456).
    #[arg(
        long,
        env = "CONVENE_ARGON2_MEMORY_KIB",
        default_value_t = HashCost::PRODUCTION.memory_kib,
        global = true
    )]
    pub argon2_memory_kib: u32,

    /// argon2id passes per password hash (OWASP: at least 2 at 19 MiB).
    #[arg(
        long,
        env = "CONVENE_ARGON2_PASSES",
        default_value_t = HashCost::PRODUCTION.passes,
        global = true
    )]
    pub argon2_passes: u32,

    /// argon2id lanes per password hash.
    #[arg(
        long,
        env = "CONVENE_ARGON2_LANES",
        default_value_t = HashCost::PRODUCTION.lanes,
        global = true
    )]
    pub argon2_lanes: u32,

    /// The address people reach this API at, e.g. `https://convene.example.org`
    /// (http or https, no trailing slash). When set, the URLs handed out for
    /// calendar apps to subscribe to are absolute; otherwise they are paths.
    #[arg(
        long,
        env = "CONVENE_PUBLIC_URL",
        value_parser = parse_public_url,
        global = true
    )]
    pub public_url: Option<String>,

    /// The SMTP server mail goes through: `smtp://user:pass@host:587`
    /// (STARTTLS) or `smtps://user:pass@host:465` (implicit TLS). Unset, mail
    /// is written as `.eml` files into `--mail-dir`.
    #[arg(long, env = "CONVENE_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The sender of every message, `Name <address>` (default: Convene at the
    /// public URL's host, else at localhost).
    #[arg(long, env = "CONVENE_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// Where mail goes with no SMTP server (default: a `mail` directory
    /// beside the SQLite database file, else `./mail`).
    #[arg(long, env = "CONVENE_MAIL_DIR", global = true)]
    pub mail_dir: Option<std::path::PathBuf>,

    /// Seconds between the delivery worker's passes when idle; 0: `serve`
    /// sends nothing (run `convene worker` instead).
    #[arg(
        long,
        env = "CONVENE_DELIVERY_INTERVAL_SECS",
        default_value_t = 5,
        global = true
    )]
    pub delivery_interval_secs: u64,

    /// The hour (0–23) on London's clock, GMT or BST, at which the daily
    /// reminders and digests go out.
    #[arg(
        long,
        env = "CONVENE_DAILY_HOUR",
        default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(0..24),
        global = true
    )]
    pub daily_hour: u32,

    /// Let webhooks be sent to loopback addresses (and over plain http
    /// there): for tests only; every other internal address stays refused.
    #[arg(
        long,
        env = "CONVENE_WEBHOOKS_ALLOW_LOOPBACK",
        default_value_t = false,
        global = true
    )]
    pub webhooks_allow_loopback: bool,

    /// The largest paper that may be uploaded, in bytes (413 beyond it).
    #[arg(
        long,
        env = "CONVENE_PAPER_MAX_BYTES",
        default_value_t = 25 * 1024 * 1024,
        global = true
    )]
    pub paper_max_bytes: u64,

    /// Keep papers' bytes as files in this directory (created if missing)
    /// instead of in the database, which then keeps only what they are.
    /// Papers kept one way stay readable after a change, from where they are.
    #[arg(long, env = "CONVENE_PAPER_DIR", global = true)]
    pub paper_dir: Option<std::path::PathBuf>,

    /// The most a forum's papers may take together, every version counted,
    /// in bytes (an upload past it is refused 413).
    #[arg(
        long,
        env = "CONVENE_FORUM_STORAGE_LIMIT_BYTES",
        default_value_t = 2 * 1024 * 1024 * 1024,
        global = true
    )]
    pub forum_storage_limit_bytes: u64,

    /// Log format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "CONVENE_LOG_FORMAT",
        default_value = "text",
        global = true
    )]
    pub log_format: String,
}

impl Config {
    pub fn hash_cost(&self) -> HashCost {
        HashCost {
            memory_kib: self.argon2_memory_kib,
            passes: self.argon2_passes,
            lanes: self.argon2_lanes,
        }
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// Zero when `serve` delivers nothing.
    pub fn delivery_interval(&self) -> Duration {
        Duration::from_secs(self.delivery_interval_secs)
    }

    /// The sender of every message.
    pub fn mail_sender(&self) -> String {
        self.mail_from.clone().unwrap_or_else(|| {
            let host = self
                .public_url
                .as_deref()
                .and_then(|url| url::Url::parse(url).ok())
                .and_then(|url| url.host_str().map(str::to_string))
                .unwrap_or_else(|| "localhost".into());
            format!("Convene <convene@{host}>")
        })
    }

    /// Where mail is written with no SMTP server: beside a SQLite file.
    pub fn mail_directory(&self) -> std::path::PathBuf {
        if let Some(dir) = &self.mail_dir {
            return dir.clone();
        }
        let file = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .filter(|path| !path.is_empty() && !path.contains(":memory:"));
        match file.and_then(|f| std::path::Path::new(f).parent()) {
            Some(dir) => dir.join("mail"),
            None => "mail".into(),
        }
    }

    /// Zero when housekeeping is off.
    pub fn purge_interval(&self) -> Duration {
        Duration::from_secs(self.purge_interval_secs)
    }

    /// Settings for an in-process instance (tests, one-off commands).
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            jwt_secret: None,
            request_timeout_secs: 30,
            db_max_connections: 5,
            purge_interval_secs: 3600,
            argon2_memory_kib: HashCost::PRODUCTION.memory_kib,
            argon2_passes: HashCost::PRODUCTION.passes,
            argon2_lanes: HashCost::PRODUCTION.lanes,
            log_format: "text".into(),
            public_url: None,
            smtp_url: None,
            mail_from: None,
            mail_dir: None,
            delivery_interval_secs: 5,
            daily_hour: 7,
            webhooks_allow_loopback: false,
            paper_max_bytes: 25 * 1024 * 1024,
            paper_dir: None,
            forum_storage_limit_bytes: 2 * 1024 * 1024 * 1024,
        }
    }
}

/// An http(s) URL of a server (and optionally a path under which the API is
/// served), without a trailing slash, query or fragment: feed URLs are made
/// by appending `/api/v1/…` to it.
pub fn parse_public_url(value: &str) -> Result<String, String> {
    let url = url::Url::parse(value).map_err(|err| format!("not a URL ({err})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must start with https:// or http://".into());
    }
    // The WHATWG parser would take `https:///path`'s path for its host.
    let written_host = value
        .split_once("://")
        .is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'));
    if !written_host || url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host".into());
    }
    if value.ends_with('/') {
        return Err("must not end with a slash (e.g. https://convene.example.org)".into());
    }
    if url.query().is_some() || value.contains('#') {
        return Err("must not have a query or a fragment".into());
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_public_url;

    #[test]
    fn a_public_url_is_an_http_address_without_a_trailing_slash() {
        for good in [
            "https://convene.example.org",
            "http://localhost:8080",
            "https://example.org/convene",
        ] {
            assert_eq!(parse_public_url(good).as_deref(), Ok(good));
        }
        for bad in [
            "https://convene.example.org/",
            "convene.example.org",
            "ftp://convene.example.org",
            "https://example.org?x=1",
            "https://example.org#top",
            "https:///path",
            "https://exa mple.org",
            "",
        ] {
            assert!(parse_public_url(bad).is_err(), "{bad:?}");
        }
    }
}
