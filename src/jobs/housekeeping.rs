//! Housekeeping: deleting the sign-in records that no longer count for
//! anything, so that the tables a sign-in reads stay small.
//!
//! - A **session** that was revoked or has expired is kept for
//!   [`RETENTION`] after that (so a revocation, and why, can still be looked
//!   into for a while), then deleted with any refresh tokens left in it.
//! - A **refresh token** is kept while presenting it could still do anything:
//!   unused, it can be exchanged; used, presenting it again is reuse and
//!   revokes its session. Both end when it expires, 30 days after it was
//!   issued. It is deleted [`RETENTION`] after it was used or expired.
//! - A **login failure** counts towards a lock-out only within the lock-out
//!   window; older ones are deleted.
//! - A **notification** (an outbox event and its messages) is deleted
//!   [`RETENTION`] after it was dispatched once every message of it was
//!   sent; one with a failed message is kept for admins to retry.
//! - A **paper's file** (when papers are kept in a directory) that no
//!   content owns — an upload that failed after writing it, a deletion whose
//!   node stopped before removing it — is removed once it is an hour old.
//!
//! Several API nodes may run this against one PostgreSQL at once: every
//! delete is idempotent, each statement deletes at most one batch of rows
//! (skipping rows another node is deleting at that moment), and a pass
//! deletes at most a bounded number of batches, leaving the rest to the next.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use entity::{
    DeliveryStatus, account_token, delivery, digest_entry, login_failure, outbox_event,
    refresh_token, session, webhook_delivery,
};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use tokio::task::JoinHandle;

use crate::auth::lockout;
use crate::kernel::state::AppState;

/// How long a session or refresh token is kept after it stopped working.
pub const RETENTION: Duration = Duration::days(30);

/// How much one pass may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows one statement deletes at most: short enough that its locks are
    /// held only briefly.
    pub batch: u64,
    /// Statements per kind of record in one pass.
    pub batches_per_pass: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            batch: 500,
            batches_per_pass: 20,
        }
    }
}

/// What a pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub refresh_tokens: u64,
    pub login_failures: u64,
    /// Password-reset and verification links, used or expired.
    pub account_tokens: u64,
    /// Outbox events, with their messages.
    pub notifications: u64,
    /// The pass stopped at its limit: there may be more to delete.
    pub more_left: bool,
}

impl Purged {
    fn add(&mut self, other: Self) {
        self.sessions += other.sessions;
        self.refresh_tokens += other.refresh_tokens;
        self.login_failures += other.login_failures;
        self.account_tokens += other.account_tokens;
        self.notifications += other.notifications;
        self.more_left = other.more_left;
    }

    pub fn is_empty(&self) -> bool {
        self.sessions == 0
            && self.refresh_tokens == 0
            && self.login_failures == 0
            && self.account_tokens == 0
            && self.notifications == 0
    }
}

impl std::fmt::Display for Purged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sessions, {} refresh tokens, {} login failures, {} account links, {} notifications",
            self.sessions,
            self.refresh_tokens,
            self.login_failures,
            self.account_tokens,
            self.notifications
        )
    }
}

/// One bounded pass over every kind of record, as of `now`.
pub async fn purge_pass(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limits: Limits,
) -> Result<Purged, DbErr> {
    let kept_since = now - RETENTION;
    // Tokens first: those of a session about to go are then mostly gone
    // already, so deleting the session cascades to few rows.
    let (refresh_tokens, tokens_left) = delete_batches(
        conn,
        limits,
        refresh_token::Entity,
        refresh_token::Column::Id,
        Condition::any()
            .add(refresh_token::Column::UsedAt.lte(kept_since))
            .add(refresh_token::Column::ExpiresAt.lte(kept_since)),
    )
    .await?;
    let (sessions, sessions_left) = delete_batches(
        conn,
        limits,
        session::Entity,
        session::Column::Id,
        Condition::any()
            .add(session::Column::RevokedAt.lte(kept_since))
            .add(session::Column::ExpiresAt.lte(kept_since)),
    )
    .await?;
    let (login_failures, failures_left) = delete_batches(
        conn,
        limits,
        login_failure::Entity,
        login_failure::Column::Id,
        Condition::all().add(login_failure::Column::AttemptedAt.lte(now - lockout::WINDOW)),
    )
    .await?;
    let (account_tokens, account_tokens_left) = delete_batches(
        conn,
        limits,
        account_token::Entity,
        account_token::Column::Id,
        Condition::all().add(account_token::Column::ExpiresAt.lte(kept_since)),
    )
    .await?;
    let unsent = Query::select()
        .expr(Expr::val(1))
        .from(delivery::Entity)
        .and_where(
            Expr::col((delivery::Entity, delivery::Column::EventId))
                .equals((outbox_event::Entity, outbox_event::Column::Id)),
        )
        .and_where(delivery::Column::Status.ne(DeliveryStatus::Sent))
        .to_owned();
    // Nor one with a webhook request not yet delivered (its log is kept).
    let unsent_webhook = Query::select()
        .expr(Expr::val(1))
        .from(webhook_delivery::Entity)
        .and_where(
            Expr::col((webhook_delivery::Entity, webhook_delivery::Column::EventId))
                .equals((outbox_event::Entity, outbox_event::Column::Id)),
        )
        .and_where(webhook_delivery::Column::Status.ne(DeliveryStatus::Sent))
        .to_owned();
    // An event still waiting for someone's digest is kept for it.
    let waiting = Query::select()
        .expr(Expr::val(1))
        .from(digest_entry::Entity)
        .and_where(
            Expr::col((digest_entry::Entity, digest_entry::Column::EventId))
                .equals((outbox_event::Entity, outbox_event::Column::Id)),
        )
        .and_where(digest_entry::Column::DigestEventId.is_null())
        .to_owned();
    let (notifications, notifications_left) = delete_batches(
        conn,
        limits,
        outbox_event::Entity,
        outbox_event::Column::Id,
        Condition::all()
            .add(outbox_event::Column::DispatchedAt.lte(kept_since))
            .add(Expr::exists(unsent).not())
            .add(Expr::exists(unsent_webhook).not())
            .add(Expr::exists(waiting).not()),
    )
    .await?;
    Ok(Purged {
        sessions,
        refresh_tokens,
        login_failures,
        account_tokens,
        notifications,
        more_left: tokens_left
            || sessions_left
            || failures_left
            || account_tokens_left
            || notifications_left,
    })
}

/// Passes until nothing is left to delete: for `convene purge`.
pub async fn purge_all(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Purged, DbErr> {
    let mut total = Purged::default();
    loop {
        let pass = purge_pass(conn, now, Limits::default()).await?;
        total.add(pass);
        if !pass.more_left {
            return Ok(total);
        }
    }
}

/// Deletes matching rows a batch at a time, up to the pass's limit. Returns
/// how many went, and whether the limit was reached with a full last batch.
async fn delete_batches<E, C>(
    conn: &impl ConnectionTrait,
    limits: Limits,
    entity: E,
    id: C,
    matching: Condition,
) -> Result<(u64, bool), DbErr>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let mut deleted = 0;
    for _ in 0..limits.batches_per_pass {
        let gone = one_batch(entity, id, matching.clone(), limits.batch)
            .exec(conn)
            .await?
            .rows_affected;
        deleted += gone;
        if gone == 0 || gone < limits.batch {
            return Ok((deleted, false));
        }
    }
    Ok((deleted, true))
}

/// `DELETE … WHERE id IN (SELECT id … LIMIT batch FOR UPDATE SKIP LOCKED)`.
/// Each statement stands alone (no transaction around a pass), so its row
/// locks last only as long as it does, and SKIP LOCKED lets a node pass over
/// rows another node is deleting at that moment. (SQLite has one writer at
/// a time and no row locks; the clause is left out there.)
fn one_batch<E: EntityTrait, C: ColumnTrait>(
    entity: E,
    id: C,
    matching: Condition,
    batch: u64,
) -> sea_orm::DeleteMany<E> {
    let ids = Query::select()
        .column(id)
        .from(entity)
        .cond_where(matching)
        .limit(batch)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    E::delete_many().filter(id.in_subquery(ids))
}

/// Runs a pass every `every` (the first at once) for as long as the server
/// runs; `None` when `every` is zero (housekeeping is off). A pass that fails
/// is logged, and the next one tries again.
pub fn spawn(state: &AppState, every: StdDuration) -> Option<JoinHandle<()>> {
    if every.is_zero() {
        return None;
    }
    let (db, clock, papers) = (
        state.db.clone(),
        state.clock.clone(),
        state.paper_store.clone(),
    );
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match purge_pass(&db, clock.now(), Limits::default()).await {
                Ok(purged) if purged.is_empty() => {
                    tracing::debug!("housekeeping: nothing to purge")
                }
                Ok(purged) => tracing::info!(
                    sessions = purged.sessions,
                    refresh_tokens = purged.refresh_tokens,
                    login_failures = purged.login_failures,
                    more_left = purged.more_left,
                    "housekeeping: purged"
                ),
                Err(err) => {
                    tracing::warn!(error = %err, "housekeeping pass failed; trying again next time");
                }
            }
            match papers.sweep(&db).await {
                Ok(0) => {}
                Ok(files) => tracing::info!(files, "housekeeping: removed orphaned paper files"),
                Err(err) => {
                    tracing::warn!(error = %err, "sweeping papers' files failed; trying again next time");
                }
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    fn statement(backend: DbBackend) -> String {
        let stale = login_failure::Column::AttemptedAt.lte(DateTime::UNIX_EPOCH);
        one_batch(
            login_failure::Entity,
            login_failure::Column::Id,
            Condition::all().add(stale),
            500,
        )
        .build(backend)
        .to_string()
    }

    #[test]
    fn on_postgresql_a_batch_is_limited_and_skips_rows_another_node_holds() {
        let sql = statement(DbBackend::Postgres);

        assert!(sql.starts_with(r#"DELETE FROM "login_failures""#), "{sql}");
        assert!(sql.contains("LIMIT 500"), "{sql}");
        assert!(sql.contains("FOR UPDATE SKIP LOCKED"), "{sql}");
    }

    #[test]
    fn on_sqlite_a_batch_is_limited_and_needs_no_row_locks() {
        let sql = statement(DbBackend::Sqlite);

        assert!(sql.contains("LIMIT 500"), "{sql}");
        assert!(!sql.contains("FOR UPDATE"), "{sql}");
    }
}
