//! Registering a webhook.

use entity::webhook;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::secret::new_secret;
use super::types::{WebhookIn, WebhookOut, WebhookWithSecret, check};
use crate::kernel::access::{AuthUser, ForumAccess, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

/// Registers a webhook for the forum (its officers): an `https` URL whose
/// host is a public address, and the kinds of event it is sent (422
/// otherwise). The answer carries the signing secret, this once.
pub async fn create(
    state: &AppState,
    caller: &AuthUser,
    forum_id: Uuid,
    input: WebhookIn,
) -> ApiResult<WebhookWithSecret> {
    ForumAccess::load(&state.db, forum_id, Some(caller))
        .await?
        .require(ForumAction::ManageWebhooks)?;
    let mut v = Validator::default();
    let events = check(
        &mut v,
        state.webhooks,
        Some(&input.url),
        Some(&input.events),
        Some(&input.description),
    );
    v.finish()?;
    let now = state.clock.now();
    let secret = new_secret();
    let txn = begin_write(&state.db).await?;
    let hook = webhook::ActiveModel {
        id: Set(Uuid::now_v7()),
        forum_id: Set(forum_id),
        url: Set(input.url),
        description: Set(input.description.trim().to_string()),
        events: Set(json!(events)),
        secret: Set(secret.clone()),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        active: Set(true),
        failure_streak: Set(0),
        disabled_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let out = WebhookOut::from(hook);
    AuditEvent::by(caller.id(), "webhook.created", EntityKind::Webhook, out.id)
        .forum(forum_id)
        .changes(json!({"url": out.url, "events": out.events}))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(WebhookWithSecret {
        webhook: out,
        secret,
    })
}
