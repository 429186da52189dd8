//! The delivery worker: turns outbox events into messages (dispatch), then
//! claims the messages due and sends them, recording each outcome.
//!
//! At least once: a message is claimed with a lease (and, on PostgreSQL,
//! `FOR UPDATE SKIP LOCKED`, so workers on several nodes take different
//! messages); if the worker dies mid-send, the lease runs out and the
//! message is sent again, with the same Message-ID so mail clients show it
//! once. An outcome is recorded only under the lease it was sent with.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::{DeliveryStatus, delivery, setting};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, Set};

use super::compose::Composer;
use super::daily::{self, Daily};
use super::mailer::Mailer;
use crate::jobs::pacing::{Settings, retry_after};
use crate::kernel::clock::Clock;
use crate::kernel::credentials::tokens::TokenKeys;
use crate::kernel::db::begin_write;

/// The installation setting that holds the last London day whose daily
/// job ran, so that restarts and other nodes do not run it again.
const DAILY_JOB_DAY: &str = "notifications.daily-job-day";

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Events turned into messages.
    pub dispatched: usize,
    pub sent: usize,
    /// Failed attempts that will be tried again.
    pub retrying: usize,
    /// Messages that used their last attempt.
    pub failed: usize,
    /// Reminders and digests recorded by the day's job, when it ran.
    pub reminders: u64,
    pub digests: u64,
    /// Webhook requests, as messages are counted.
    pub webhooks: crate::jobs::webhooks::Delivered,
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Retrying,
    Failed,
}

impl Pass {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Sent => self.sent += 1,
            Outcome::Retrying => self.retrying += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    fn did_work(&self) -> bool {
        self.dispatched + self.sent + self.retrying + self.failed > 0
            || self.reminders + self.digests > 0
            || self.webhooks != crate::jobs::webhooks::Delivered::default()
    }
}

#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    pub mailer: Arc<Mailer>,
    pub composer: Composer,
    /// Sends webhook requests.
    pub webhooks: Arc<crate::jobs::webhooks::Sender>,
    pub clock: Clock,
    pub settings: Settings,
}

impl Worker {
    /// The worker the configuration asks for: SMTP when a URL is given,
    /// else `.eml` files. Real mail needs `CONVENE_PUBLIC_URL` for its links,
    /// or it is refused with [`NO_PUBLIC_URL`].
    pub fn from_config(
        config: &crate::kernel::config::Config,
        db: DatabaseConnection,
        clock: Clock,
        tokens: Arc<TokenKeys>,
    ) -> Result<Self, String> {
        let mailer = match &config.smtp_url {
            // Real mail is read in mail clients, where only absolute links
            // lead anywhere.
            Some(_) if config.public_url.is_none() => {
                return Err(NO_PUBLIC_URL.to_string());
            }
            Some(url) => Mailer::smtp(url).map_err(|err| err.to_string())?,
            None => {
                let dir = config.mail_directory();
                tracing::info!(
                    directory = %dir.display(),
                    "no CONVENE_SMTP_URL: mail is written there as .eml files"
                );
                Mailer::files(dir)
            }
        };
        let policy = crate::kernel::outbound::Policy {
            allow_loopback: config.webhooks_allow_loopback,
        };
        Ok(Self {
            db,
            mailer: Arc::new(mailer),
            composer: Composer::new(&config.mail_sender(), config.public_url.as_deref(), tokens)?,
            webhooks: Arc::new(crate::jobs::webhooks::Sender::new(policy)?),
            clock,
            settings: Settings {
                daily_hour: Some(config.daily_hour),
                ..Settings::default()
            },
        })
    }

    /// Runs the day's reminders and digests once its hour has come, unless
    /// a worker (here or on another node) has run them today.
    async fn daily_if_due(&self) -> Result<Daily, DbErr> {
        let now = self.clock.now();
        let Some(day) = self
            .settings
            .daily_hour
            .and_then(|hour| daily::due_day(now, hour))
        else {
            return Ok(Daily::default());
        };
        let day = day.to_string();
        let last = setting::Entity::find_by_id(DAILY_JOB_DAY)
            .one(&self.db)
            .await?
            .map(|s| s.value);
        if last.as_deref() == Some(day.as_str()) {
            return Ok(Daily::default());
        }
        let done = self.daily(now).await?;
        setting::Entity::insert(setting::ActiveModel {
            key: Set(DAILY_JOB_DAY.to_string()),
            value: Set(day),
        })
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        tracing::info!(?done, "daily reminders and digests");
        Ok(done)
    }

    /// The day's job as of `at`: reminders of what falls due, and the
    /// digests of what was gathered until then. Running it again the same
    /// day records nothing new.
    pub async fn daily(&self, at: DateTime<Utc>) -> Result<Daily, DbErr> {
        daily::run(&self.db, at).await
    }

    /// Dispatches what is waiting, then sends what is due.
    pub async fn run_once(&self) -> Result<Pass, DbErr> {
        let daily = self.daily_if_due().await?;
        let mut pass = Pass {
            dispatched: self.dispatch().await?,
            reminders: daily.reminders,
            digests: daily.digests,
            ..Pass::default()
        };
        // Several messages in flight at once: each waits mostly on the mail
        // server's replies.
        let mut sending = tokio::task::JoinSet::new();
        for message in self.claim().await? {
            if sending.len() >= self.settings.in_flight.max(1)
                && let Some(done) = sending.join_next().await
            {
                pass.count(finished(done)?);
            }
            let worker = self.clone();
            sending.spawn(async move { worker.deliver(message).await });
        }
        while let Some(done) = sending.join_next().await {
            pass.count(finished(done)?);
        }
        let webhooks = crate::jobs::webhooks::Delivery {
            db: self.db.clone(),
            clock: self.clock.clone(),
            settings: self.settings.clone(),
            sender: Arc::clone(&self.webhooks),
        };
        pass.webhooks = crate::jobs::webhooks::deliver_due(&webhooks).await?;
        Ok(pass)
    }

    /// Runs passes until the process ends: straight on while there is work,
    /// otherwise every `every`.
    pub fn spawn(self, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.run_once().await {
                    Ok(pass) if pass.did_work() => {
                        tracing::info!(?pass, "notifications delivered");
                        continue;
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = %err, "notification pass failed"),
                }
                tokio::time::sleep(every).await;
            }
        })
    }

    /// Takes the messages that are due and not leased, in one statement:
    /// the database decides which worker gets which.
    async fn claim(&self) -> Result<Vec<delivery::Model>, DbErr> {
        let now = self.clock.now();
        let lease_until = now + self.settings.lease;
        let mut due = Query::select();
        due.column(delivery::Column::Id)
            .from(delivery::Entity)
            .and_where(delivery::Column::Status.eq(DeliveryStatus::Queued))
            .and_where(delivery::Column::NextAttemptAt.lte(now))
            .cond_where(
                Condition::any()
                    .add(delivery::Column::LeaseUntil.is_null())
                    .add(delivery::Column::LeaseUntil.lte(now)),
            )
            .order_by(delivery::Column::NextAttemptAt, sea_orm::Order::Asc)
            .limit(self.settings.batch);
        if self.db.get_database_backend() == DbBackend::Postgres {
            due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let txn = begin_write(&self.db).await?;
        let claimed = delivery::Entity::update_many()
            .col_expr(delivery::Column::LeaseUntil, Expr::val(lease_until))
            .col_expr(
                delivery::Column::Attempts,
                Expr::col(delivery::Column::Attempts).add(1),
            )
            .col_expr(delivery::Column::UpdatedAt, Expr::val(now))
            .filter(delivery::Column::Id.in_subquery(due))
            .exec_with_returning(&txn)
            .await?;
        txn.commit().await?;
        Ok(claimed)
    }

    async fn deliver(&self, message: delivery::Model) -> Result<Outcome, DbErr> {
        let from = &self.composer.from().email;
        let outcome = self
            .mailer
            .send(message.id, from, &message.address, &message.message)
            .await;
        let now = self.clock.now();
        let mut update = delivery::Entity::update_many()
            .col_expr(
                delivery::Column::LeaseUntil,
                Expr::val(None::<DateTime<Utc>>),
            )
            .col_expr(delivery::Column::UpdatedAt, Expr::val(now));
        let result;
        update = match outcome {
            Ok(()) => {
                result = Outcome::Sent;
                update
                    .col_expr(
                        delivery::Column::Status,
                        Expr::val(DeliveryStatus::Sent.as_str()),
                    )
                    .col_expr(delivery::Column::SentAt, Expr::val(now))
                    .col_expr(delivery::Column::LastError, Expr::val(None::<String>))
            }
            Err(err) => {
                tracing::warn!(delivery = %message.id, attempt = message.attempts, error = %err, "sending failed");
                let update =
                    update.col_expr(delivery::Column::LastError, Expr::val(err.to_string()));
                if message.attempts >= self.settings.max_attempts {
                    result = Outcome::Failed;
                    update.col_expr(
                        delivery::Column::Status,
                        Expr::val(DeliveryStatus::Failed.as_str()),
                    )
                } else {
                    result = Outcome::Retrying;
                    let wait = retry_after(&self.settings, message.attempts, &mut rand::rng());
                    update.col_expr(delivery::Column::NextAttemptAt, Expr::val(now + wait))
                }
            }
        };
        // Only under the lease it was sent with: if the lease ran out and
        // another worker took the message, that worker records its outcome.
        update
            .filter(delivery::Column::Id.eq(message.id))
            .filter(delivery::Column::LeaseUntil.eq(message.lease_until))
            .exec(&self.db)
            .await?;
        Ok(result)
    }
}

/// Why mail delivery does not start.
pub const NO_PUBLIC_URL: &str = "CONVENE_SMTP_URL is set but CONVENE_PUBLIC_URL is not: the links \
in emails need the address people reach Convene at. Set CONVENE_PUBLIC_URL (for example \
https://convene.example.org), or CONVENE_DELIVERY_INTERVAL_SECS=0 to send no mail.";

/// A sending task's outcome; a task that panicked is an error of the pass.
fn finished(
    done: Result<Result<Outcome, DbErr>, tokio::task::JoinError>,
) -> Result<Outcome, DbErr> {
    done.map_err(|err| DbErr::Custom(err.to_string()))?
}
