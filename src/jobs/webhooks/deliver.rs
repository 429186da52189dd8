//! Sends the webhook requests that are due, as the email worker sends
//! messages: claimed under a lease (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL), outcome recorded only under that lease, retried with
//! backoff, `failed` after the last attempt. A webhook whose attempts keep
//! failing is switched off, and its forum's officers are told.

use std::collections::HashMap;
use std::sync::Arc;

use entity::{DeliveryStatus, webhook, webhook_delivery};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::sender::{Attempt, Sender};
use crate::jobs::pacing::{Settings, retry_after};
use crate::kernel::clock::Clock;
use crate::kernel::db::begin_write;
use crate::kernel::events::emit;

/// Failed attempts in a row after which a webhook is switched off.
pub const DISABLE_AFTER: i32 = 15;

/// What one pass of webhook requests did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Webhooks switched off by this pass.
    pub disabled: usize,
}

/// What delivering webhook requests needs: the database, the clock, how to
/// pace itself, and the client that sends.
#[derive(Clone)]
pub struct Delivery {
    pub db: DatabaseConnection,
    pub clock: Clock,
    pub settings: Settings,
    pub sender: Arc<Sender>,
}

/// Sends the requests due, several at once.
pub async fn deliver_due(worker: &Delivery) -> Result<Delivered, DbErr> {
    let mut done = Delivered::default();
    let claimed = claim(worker).await?;
    if claimed.is_empty() {
        return Ok(done);
    }
    let hooks: HashMap<Uuid, webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(claimed.iter().map(|d| d.webhook_id)))
        .all(&worker.db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let mut sending = tokio::task::JoinSet::new();
    for delivery in claimed {
        let Some(hook) = hooks.get(&delivery.webhook_id).cloned() else {
            continue;
        };
        if sending.len() >= worker.settings.in_flight.max(1)
            && let Some(finished) = sending.join_next().await
        {
            count(&mut done, finished)?;
        }
        let worker = worker.clone();
        sending.spawn(async move { send_one(&worker, hook, delivery).await });
    }
    while let Some(finished) = sending.join_next().await {
        count(&mut done, finished)?;
    }
    Ok(done)
}

fn count(
    done: &mut Delivered,
    finished: Result<Result<(Outcome, bool), DbErr>, tokio::task::JoinError>,
) -> Result<(), DbErr> {
    let (outcome, disabled) = finished.map_err(|err| DbErr::Custom(err.to_string()))??;
    match outcome {
        Outcome::Sent => done.sent += 1,
        Outcome::Retrying => done.retrying += 1,
        Outcome::Failed => done.failed += 1,
        Outcome::Lost => {}
    }
    done.disabled += usize::from(disabled);
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Retrying,
    Failed,
    /// The lease ran out meanwhile: another worker records this one.
    Lost,
}

/// Takes the due requests of webhooks that are on, in one statement.
async fn claim(worker: &Delivery) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    let now = worker.clock.now();
    let active = Query::select()
        .column(webhook::Column::Id)
        .from(webhook::Entity)
        .and_where(webhook::Column::Active.eq(true))
        .to_owned();
    let mut due = Query::select();
    due.column(webhook_delivery::Column::Id)
        .from(webhook_delivery::Entity)
        .and_where(webhook_delivery::Column::Status.eq(DeliveryStatus::Queued))
        .and_where(webhook_delivery::Column::NextAttemptAt.lte(now))
        .cond_where(
            Condition::any()
                .add(webhook_delivery::Column::LeaseUntil.is_null())
                .add(webhook_delivery::Column::LeaseUntil.lte(now)),
        )
        .and_where(webhook_delivery::Column::WebhookId.in_subquery(active))
        .order_by(webhook_delivery::Column::NextAttemptAt, sea_orm::Order::Asc)
        .limit(worker.settings.batch);
    if worker.db.get_database_backend() == DbBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let txn = begin_write(&worker.db).await?;
    let claimed = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::LeaseUntil,
            Expr::val(now + worker.settings.lease),
        )
        .col_expr(
            webhook_delivery::Column::Attempts,
            Expr::col(webhook_delivery::Column::Attempts).add(1),
        )
        .col_expr(webhook_delivery::Column::UpdatedAt, Expr::val(now))
        .filter(webhook_delivery::Column::Id.in_subquery(due))
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(claimed)
}

/// Sends one request and records what became of it; the bool: whether this
/// attempt switched the webhook off.
async fn send_one(
    worker: &Delivery,
    hook: webhook::Model,
    delivery: webhook_delivery::Model,
) -> Result<(Outcome, bool), DbErr> {
    let now = worker.clock.now();
    let mut secrets = vec![hook.secret.as_str()];
    if let (Some(previous), Some(until)) = (&hook.previous_secret, hook.previous_secret_until)
        && until > now
    {
        secrets.push(previous);
    }
    let attempt = worker
        .sender
        .send(&hook.url, delivery.id, now, &delivery.body, &secrets)
        .await;
    let now = worker.clock.now();
    let txn = begin_write(&worker.db).await?;
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::LeaseUntil,
            Expr::val(None::<chrono::DateTime<chrono::Utc>>),
        )
        .col_expr(webhook_delivery::Column::UpdatedAt, Expr::val(now));
    let outcome;
    update = match &attempt {
        Attempt::Delivered { status } => {
            outcome = Outcome::Sent;
            update
                .col_expr(
                    webhook_delivery::Column::Status,
                    Expr::val(DeliveryStatus::Sent.as_str()),
                )
                .col_expr(webhook_delivery::Column::SentAt, Expr::val(now))
                .col_expr(
                    webhook_delivery::Column::ResponseStatus,
                    Expr::val(i32::from(*status)),
                )
                .col_expr(
                    webhook_delivery::Column::LastError,
                    Expr::val(None::<String>),
                )
        }
        Attempt::Failed { status, error } => {
            tracing::warn!(delivery = %delivery.id, webhook = %hook.id, attempt = delivery.attempts, %error, "webhook request failed");
            let update = update
                .col_expr(
                    webhook_delivery::Column::ResponseStatus,
                    Expr::val(status.map(i32::from)),
                )
                .col_expr(
                    webhook_delivery::Column::LastError,
                    Expr::val(error.clone()),
                );
            if delivery.attempts >= worker.settings.max_attempts {
                outcome = Outcome::Failed;
                update.col_expr(
                    webhook_delivery::Column::Status,
                    Expr::val(DeliveryStatus::Failed.as_str()),
                )
            } else {
                outcome = Outcome::Retrying;
                let wait = retry_after(&worker.settings, delivery.attempts, &mut rand::rng());
                update.col_expr(
                    webhook_delivery::Column::NextAttemptAt,
                    Expr::val(now + wait),
                )
            }
        }
    };
    let recorded = update
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .filter(webhook_delivery::Column::LeaseUntil.eq(delivery.lease_until))
        .exec(&txn)
        .await?
        .rows_affected;
    if recorded == 0 {
        return Ok((Outcome::Lost, false));
    }
    let disabled = match &attempt {
        Attempt::Delivered { .. } => {
            webhook::Entity::update_many()
                .col_expr(webhook::Column::FailureStreak, Expr::val(0))
                .filter(webhook::Column::Id.eq(hook.id))
                .filter(webhook::Column::FailureStreak.gt(0))
                .exec(&txn)
                .await?;
            false
        }
        Attempt::Failed { error, .. } => failed_again(&txn, &hook, error, now).await?,
    };
    txn.commit().await?;
    Ok((outcome, disabled))
}

/// Counts a failure against the webhook; at the limit the database switches
/// it off (once, however many workers fail at the same moment) and the
/// officers are told.
async fn failed_again(
    txn: &sea_orm::DatabaseTransaction,
    hook: &webhook::Model,
    error: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, DbErr> {
    webhook::Entity::update_many()
        .col_expr(
            webhook::Column::FailureStreak,
            Expr::col(webhook::Column::FailureStreak).add(1),
        )
        .filter(webhook::Column::Id.eq(hook.id))
        .exec(txn)
        .await?;
    let reason = format!("{DISABLE_AFTER} failed attempts in a row; the last: {error}");
    let switched_off = webhook::Entity::update_many()
        .col_expr(webhook::Column::Active, Expr::val(false))
        .col_expr(webhook::Column::DisabledReason, Expr::val(reason.clone()))
        .col_expr(
            webhook::Column::Version,
            Expr::col(webhook::Column::Version).add(1),
        )
        .col_expr(webhook::Column::UpdatedAt, Expr::val(now))
        .filter(webhook::Column::Id.eq(hook.id))
        .filter(webhook::Column::Active.eq(true))
        .filter(webhook::Column::FailureStreak.gte(DISABLE_AFTER))
        .exec(txn)
        .await?
        .rows_affected
        == 1;
    if switched_off {
        emit(txn, now, crate::webhooks::events::disabled(hook, &reason)).await?;
    }
    Ok(switched_off)
}
