//! Reading a forum's webhooks and each one's delivery log: its officers'
//! alone (a webhook is 404 to anyone else).

use entity::{webhook, webhook_delivery};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::types::{WebhookDeliveryOut, WebhookDeliveryQuery, WebhookList, WebhookOut};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

/// The webhook, for an officer of its forum (404 to anyone else).
pub(super) async fn load_managed(
    state: &AppState,
    id: Uuid,
    caller: &AuthUser,
) -> ApiResult<webhook::Model> {
    let hook = webhook::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    ForumAccess::load(&state.db, hook.forum_id, Some(caller))
        .await?
        .require_visible(ForumAction::ManageWebhooks, "webhook")?;
    Ok(hook)
}

/// The forum's webhooks, oldest first (its officers).
pub async fn list(state: &AppState, caller: &AuthUser, forum_id: Uuid) -> ApiResult<WebhookList> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ManageWebhooks)?;
    let items = webhook::Entity::find()
        .filter(webhook::Column::ForumId.eq(forum_id))
        .order_by_asc(webhook::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(WebhookOut::from)
        .collect();
    Ok(WebhookList { items })
}

/// One webhook (the forum's officers).
pub async fn get(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<WebhookOut> {
    Ok(load_managed(state, id, caller).await?.into())
}

/// A webhook's delivery log, newest first (the forum's officers).
pub async fn deliveries(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    query: WebhookDeliveryQuery,
) -> ApiResult<Page<WebhookDeliveryOut>> {
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    load_managed(state, id, caller).await?;
    let mut select =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::WebhookId.eq(id));
    if let Some(status) = query.status {
        select = select.filter(webhook_delivery::Column::Status.eq(status));
    }
    if let Some(before) = page.after {
        select = select.filter(webhook_delivery::Column::Id.lt(before));
    }
    let rows = select
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(page.finish(rows, |d| d.id, WebhookDeliveryOut::from))
}
