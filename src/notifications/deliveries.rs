//! Admins watch the outgoing messages and send a failed one again.

use chrono::{DateTime, Utc};
use entity::{DeliveryChannel, DeliveryStatus, delivery};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, Iterable, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kernel::access::{AuthUser, require_admin};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only messages in this state.
    pub status: Option<DeliveryStatus>,
}

/// An outgoing message (its text is not shown: it is the recipient's).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DeliveryOut {
    pub id: Uuid,
    /// The outbox event it tells of.
    pub event_id: Uuid,
    pub channel: DeliveryChannel,
    pub recipient_id: Uuid,
    pub address: String,
    pub subject: String,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    /// When a queued message is next tried.
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<delivery::Model> for DeliveryOut {
    fn from(d: delivery::Model) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            channel: d.channel,
            recipient_id: d.recipient_id,
            address: d.address,
            subject: d.subject,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_error: d.last_error,
            sent_at: d.sent_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// Outgoing messages, oldest first (admins); `status` keeps those in one state.
pub async fn list_deliveries(
    state: &AppState,
    caller: &AuthUser,
    query: DeliveryQuery,
) -> ApiResult<Page<DeliveryOut>> {
    require_admin(caller)?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = delivery::Entity::find();
    if let Some(status) = query.status {
        select = select.filter(delivery::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        select = select.filter(delivery::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(delivery::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(page.finish(rows, |d| d.id, DeliveryOut::from))
}

/// Sends a failed message again (admins): back in the queue with its
/// attempts counted afresh, keeping its Message-ID. A message in a state
/// that cannot become `queued` is 409.
pub async fn retry_delivery(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> ApiResult<DeliveryOut> {
    require_admin(caller)?;
    let queued = DeliveryStatus::Queued;
    let retriable: Vec<DeliveryStatus> = DeliveryStatus::iter()
        .filter(|s| s.can_become(queued))
        .collect();
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // The database decides: only a message still in such a state is queued again.
    let requeued = delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, Expr::val(queued.as_str()))
        .col_expr(delivery::Column::Attempts, Expr::val(0))
        .col_expr(delivery::Column::NextAttemptAt, Expr::val(now))
        .col_expr(delivery::Column::UpdatedAt, Expr::val(now))
        .filter(delivery::Column::Id.eq(id))
        .filter(delivery::Column::Status.is_in(retriable))
        .exec_with_returning(&txn)
        .await?;
    let Some(message) = requeued.into_iter().next() else {
        let current = delivery::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("message"))?;
        return Err(ApiError::transition(
            "message",
            current.status.as_str(),
            queued.as_str(),
        ));
    };
    AuditEvent::by(caller.id(), "delivery.retried", EntityKind::Delivery, id)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(message.into())
}
