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
use entity::{
    DeliveryChannel, DeliveryStatus, NotificationMode, delivery, digest_entry, forum, meeting,
    outbox_event, setting,
};
use rand::Rng;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::compose::{Composer, DigestItem};
use super::daily::{self, Daily};
use super::mailer::Mailer;
use super::recipients;
use crate::kernel::clock::Clock;
use crate::kernel::credentials::tokens::TokenKeys;
use crate::kernel::db::begin_write;
use crate::kernel::events::Kind;

/// The installation setting that holds the last London day whose daily
/// job ran, so that restarts and other nodes do not run it again.
const DAILY_JOB_DAY: &str = "notifications.daily-job-day";

/// How the worker paces itself.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long a claimed message is the claimant's alone.
    pub lease: Duration,
    /// Attempts before a message is `failed`.
    pub max_attempts: i32,
    /// Events dispatched, and messages claimed, per pass.
    pub batch: u64,
    /// The wait after the first failure; it doubles with each attempt…
    pub first_retry: Duration,
    /// …up to this.
    pub longest_retry: Duration,
    /// Messages sent at the same time.
    pub in_flight: usize,
    /// The hour (0–23, London's clock) of the daily reminders and digests;
    /// none: this worker does not run them.
    pub daily_hour: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(300),
            max_attempts: 8,
            batch: 50,
            first_retry: Duration::from_secs(30),
            longest_retry: Duration::from_secs(6 * 3600),
            in_flight: 8,
            daily_hour: None,
        }
    }
}

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
        pass.webhooks = crate::jobs::webhooks::deliver_due(self).await?;
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

    /// Turns waiting events into queued messages, one per recipient, in one
    /// transaction; the unique (event, recipient, channel) makes a second
    /// dispatch of the same event add nothing. Returns the events dispatched.
    pub async fn dispatch(&self) -> Result<usize, DbErr> {
        let txn = begin_write(&self.db).await?;
        let now = self.clock.now();
        let events = outbox_event::Entity::find()
            .filter(outbox_event::Column::DispatchedAt.is_null())
            .order_by_asc(outbox_event::Column::Id)
            .limit(self.settings.batch)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await?;
        let forums = forum_names(&txn, &events).await?;
        for event in &events {
            let forum = event.forum_id.and_then(|id| forums.get(&id));
            let Some(kind) = Kind::parse(&event.kind) else {
                tracing::warn!(kind = %event.kind, "an event of no known kind: nobody is told");
                continue;
            };
            // A meeting's invitation carries it as it was at the event.
            let meeting = if kind.invites() {
                meeting::Entity::find_by_id(event.entity_id)
                    .one(&txn)
                    .await?
                    .map(|m| crate::meetings::events::meeting_as_told(m, &event.payload))
            } else {
                None
            };
            let items = if kind == Kind::Digest {
                digest_items(&txn, event.id).await?
            } else {
                Vec::new()
            };
            let (later, now_people): (Vec<_>, Vec<_>) = recipients::of(&txn, event, kind)
                .await?
                .into_iter()
                .partition(|person| person.mode == NotificationMode::DailyDigest);
            let later: Vec<Uuid> = later.iter().map(|person| person.id).collect();
            daily::gather(&txn, event, &later, now).await?;
            crate::jobs::webhooks::queue(&txn, event, kind, now).await?;
            let mut messages = Vec::new();
            for person in now_people {
                let id = Uuid::now_v7();
                let composed = if kind == Kind::Digest {
                    self.composer.digest(id, event, &person, &items)
                } else {
                    self.composer.email(
                        id,
                        event,
                        kind,
                        &person,
                        meeting.as_ref(),
                        forum.map(String::as_str),
                    )
                };
                match composed {
                    Ok(composed) => messages.push(delivery::ActiveModel {
                        id: Set(id),
                        event_id: Set(event.id),
                        channel: Set(DeliveryChannel::Email),
                        recipient_id: Set(person.id),
                        address: Set(person.email),
                        subject: Set(composed.subject),
                        message: Set(composed.message),
                        status: Set(DeliveryStatus::Queued),
                        attempts: Set(0),
                        next_attempt_at: Set(now),
                        lease_until: Set(None),
                        last_error: Set(None),
                        sent_at: Set(None),
                        created_at: Set(now),
                        updated_at: Set(now),
                    }),
                    Err(why) => {
                        tracing::warn!(event = %event.id, recipient = %person.id, %why, "no message")
                    }
                }
            }
            if !messages.is_empty() {
                delivery::Entity::insert_many(messages)
                    .on_conflict(
                        OnConflict::columns([
                            delivery::Column::EventId,
                            delivery::Column::RecipientId,
                            delivery::Column::Channel,
                        ])
                        .do_nothing()
                        .to_owned(),
                    )
                    .exec_without_returning(&txn)
                    .await?;
            }
        }
        if !events.is_empty() {
            outbox_event::Entity::update_many()
                .col_expr(outbox_event::Column::DispatchedAt, Expr::val(now))
                .filter(outbox_event::Column::Id.is_in(events.iter().map(|e| e.id)))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(events.len())
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

/// What a digest tells: its entries' events, grouped by forum, oldest
/// first within each, with the forums' names (two statements).
async fn digest_items(
    conn: &impl sea_orm::ConnectionTrait,
    digest_id: Uuid,
) -> Result<Vec<DigestItem>, DbErr> {
    let entries = Query::select()
        .column(digest_entry::Column::EventId)
        .from(digest_entry::Entity)
        .and_where(digest_entry::Column::DigestEventId.eq(digest_id))
        .to_owned();
    let events = outbox_event::Entity::find()
        .filter(outbox_event::Column::Id.in_subquery(entries))
        .order_by_asc(outbox_event::Column::ForumId)
        .order_by_asc(outbox_event::Column::Id)
        .all(conn)
        .await?;
    let forums = forum_names(conn, &events).await?;
    Ok(events
        .into_iter()
        .filter_map(|event| {
            let kind = Kind::parse(&event.kind)?;
            let forum = event
                .forum_id
                .and_then(|id| forums.get(&id).cloned())
                .unwrap_or_default();
            Some(DigestItem { forum, kind, event })
        })
        .collect())
}

/// The names of the events' forums, by id (one statement).
async fn forum_names(
    conn: &impl sea_orm::ConnectionTrait,
    events: &[outbox_event::Model],
) -> Result<std::collections::HashMap<Uuid, String>, DbErr> {
    let ids: Vec<Uuid> = events.iter().filter_map(|e| e.forum_id).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(forum::Entity::find()
        .filter(forum::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect())
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

/// The wait before attempt `attempts + 1`: doubling from the first retry up
/// to the longest, each drawn from 50–100% of that ("equal jitter"), so
/// messages that failed together do not all come back together.
pub fn retry_after(settings: &Settings, attempts: i32, rng: &mut impl Rng) -> Duration {
    let doublings = Ord::min(u32::try_from(attempts.saturating_sub(1)).unwrap_or(0), 30);
    let ceiling = Ord::min(
        settings.first_retry.saturating_mul(1u32 << doublings),
        settings.longest_retry,
    );
    ceiling.mul_f64(rng.random_range(0.5..=1.0))
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_a_ceiling_with_jitter() {
        let settings = Settings::default();
        let mut rng = SmallRng::seed_from_u64(1);
        for (attempts, ceiling) in [
            (1, 30),
            (2, 60),
            (3, 120),
            (5, 480),
            (12, 6 * 3600),
            (40, 6 * 3600),
        ] {
            for _ in 0..50 {
                let wait = retry_after(&settings, attempts, &mut rng).as_secs_f64();
                assert!(
                    (ceiling as f64 * 0.5..=ceiling as f64).contains(&wait),
                    "attempt {attempts}: waited {wait} s"
                );
            }
        }
    }
}
