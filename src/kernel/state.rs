//! What every handler shares. API nodes keep no state of their own beyond
//! this: everything durable is in the database (and papers' files, when a
//! directory is configured for them, in a directory every node shares), so
//! several nodes can serve one PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::setting;
use rand::RngCore;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, Set};

use crate::kernel::clock::Clock;
use crate::kernel::config::{Config, MIN_JWT_SECRET_BYTES};
use crate::kernel::credentials::passwords::HashCost;
use crate::kernel::credentials::passwords::Passwords;
use crate::kernel::credentials::tokens::TokenKeys;
use crate::kernel::storage::PaperStore;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub tokens: Arc<TokenKeys>,
    pub passwords: Passwords,
    pub clock: Clock,
    /// How long a request may run before it is answered 408.
    pub request_timeout: Duration,
    /// Where people reach the API (`CONVENE_PUBLIC_URL`), for absolute URLs.
    pub public_url: Option<String>,
    /// Where webhooks may be sent.
    pub webhooks: crate::kernel::outbound::Policy,
    /// The largest paper that may be uploaded, in bytes.
    pub paper_max_bytes: u64,
    /// The most a forum's papers may take together, in bytes.
    pub forum_storage_limit_bytes: u64,
    /// Where papers' bytes are kept.
    pub paper_store: PaperStore,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(
        "CONVENE_JWT_SECRET is {0} bytes; it must be at least {MIN_JWT_SECRET_BYTES} bytes \
         (e.g. the output of `openssl rand -base64 48`)"
    )]
    WeakSecret(usize),
    #[error("{0}")]
    HashCost(String),
    #[error("database: {0}")]
    Database(#[from] DbErr),
    #[error("CONVENE_PAPER_DIR {0}: {1}")]
    PaperDir(String, std::io::Error),
}

impl Config {
    /// Refuses settings the server cannot run safely with, before anything
    /// touches the database (no migration runs for a server that will not start).
    pub fn check(&self) -> Result<HashCost, StartupError> {
        if let Some(secret) = &self.jwt_secret
            && secret.len() < MIN_JWT_SECRET_BYTES
        {
            return Err(StartupError::WeakSecret(secret.len()));
        }
        self.hash_cost().validate().map_err(StartupError::HashCost)
    }

    /// Where papers' bytes go: a directory that cannot be written stops
    /// the server from starting.
    pub fn paper_store(&self) -> Result<PaperStore, StartupError> {
        match &self.paper_dir {
            None => Ok(PaperStore::in_database()),
            Some(dir) => PaperStore::in_directory(dir.clone())
                .map_err(|err| StartupError::PaperDir(dir.display().to_string(), err)),
        }
    }
}

const JWT_SECRET_SETTING: &str = "jwt_secret";

impl AppState {
    pub async fn new(db: DatabaseConnection, config: &Config) -> Result<Self, StartupError> {
        let cost = config.check()?;
        let secret = signing_secret(&db, config.jwt_secret.as_deref()).await?;
        Ok(Self {
            db,
            tokens: Arc::new(TokenKeys::new(&secret)),
            passwords: Passwords::new(cost),
            clock: Clock::default(),
            request_timeout: config.request_timeout(),
            public_url: config.public_url.clone(),
            webhooks: crate::kernel::outbound::Policy {
                allow_loopback: config.webhooks_allow_loopback,
            },
            paper_max_bytes: config.paper_max_bytes,
            forum_storage_limit_bytes: config.forum_storage_limit_bytes,
            paper_store: config.paper_store()?,
        })
    }
}

/// The configured secret, or else the one generated on first start and kept
/// in the database (so tokens survive restarts and every node agrees).
async fn signing_secret(
    db: &DatabaseConnection,
    configured: Option<&str>,
) -> Result<Vec<u8>, StartupError> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    // Two nodes starting at once both try; the first insert wins and both
    // read back the same value.
    setting::Entity::insert(setting::ActiveModel {
        key: Set(JWT_SECRET_SETTING.into()),
        value: Set(URL_SAFE_NO_PAD.encode(bytes)),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(db)
    .await?;
    let stored = setting::Entity::find_by_id(JWT_SECRET_SETTING)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("generated signing secret".into()))?;
    tracing::warn!(
        "CONVENE_JWT_SECRET is not set: using a secret generated and stored in the database; \
         set CONVENE_JWT_SECRET in production"
    );
    Ok(stored.value.into_bytes())
}
