//! Sign-in lock-out: after 10 failures for one email within 15 minutes,
//! further attempts are refused (429) until the oldest failure leaves the
//! window. Failures are counted in the database so that every API node sees
//! the same count, and by email whether or not an account has it, so the
//! lock-out reveals nothing about which emails are registered.

use chrono::{DateTime, Duration, Utc};
use entity::login_failure;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::kernel::error::ApiError;

pub const MAX_FAILURES: u64 = 10;
pub const WINDOW: Duration = Duration::minutes(15);

/// Refuses the attempt if the email is locked out, saying when to retry.
pub async fn check(
    conn: &impl ConnectionTrait,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let recent: Vec<DateTime<Utc>> = login_failure::Entity::find()
        .select_only()
        .column(login_failure::Column::AttemptedAt)
        .filter(login_failure::Column::Email.eq(email))
        .filter(login_failure::Column::AttemptedAt.gt(now - WINDOW))
        .order_by_desc(login_failure::Column::AttemptedAt)
        .limit(MAX_FAILURES)
        .into_tuple()
        .all(conn)
        .await?;
    if (recent.len() as u64) < MAX_FAILURES {
        return Ok(());
    }
    // The lock lifts when the oldest of the last MAX_FAILURES leaves the window.
    let oldest = recent.last().copied().unwrap_or(now);
    let retry_after = (oldest + WINDOW - now).num_seconds().max(1);
    Err(ApiError::TooManyRequests {
        detail: "too many failed sign-in attempts for this account; try again later".into(),
        retry_after_secs: u64::try_from(retry_after).unwrap_or(1),
    })
}

pub async fn record_failure(
    conn: &impl ConnectionTrait,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Failures older than the window no longer count; drop them as we go so
    // the ledger stays small.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Email.eq(email))
        .filter(login_failure::Column::AttemptedAt.lte(now - WINDOW))
        .exec(conn)
        .await?;
    login_failure::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.to_string()),
        attempted_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn clear(conn: &impl ConnectionTrait, email: &str) -> Result<(), DbErr> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Email.eq(email))
        .exec(conn)
        .await?;
    Ok(())
}
