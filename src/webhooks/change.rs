//! Changing a webhook, rotating its secret, removing it: its forum's
//! officers, each write conditional on the version read.

use chrono::Duration;
use entity::webhook;
use sea_orm::{EntityTrait, IntoActiveModel, Set};
use serde_json::json;
use uuid::Uuid;

use super::read::load_managed;
use super::secret::new_secret;
use super::types::{WebhookOut, WebhookPatch, WebhookWithSecret, check};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// How long a rotated-out secret keeps signing beside the new one.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// Changes a webhook's URL, kinds of event, description, or whether it is
/// on (its officers). Switching it on forgets its run of failures. A change
/// that changes nothing leaves the version as it is.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut patch: WebhookPatch,
    if_match: &IfMatch,
) -> ApiResult<WebhookOut> {
    let hook = load_managed(state, id, caller).await?;
    let mut v = Validator::default();
    let events = check(
        &mut v,
        state.webhooks,
        patch.url.as_deref(),
        patch.events.as_deref(),
        patch.description.as_deref(),
    );
    v.finish()?;
    if patch.events.is_some() {
        // Each kind once, in the order given.
        patch.events = Some(events);
    }
    let switched_on = patch.active == Some(true) && !hook.active;
    let now = state.clock.now();
    let mut changes = hook.clone().into_active_model();
    patch.apply(&mut changes);
    if switched_on {
        changes.failure_streak = Set(0);
        changes.disabled_reason = Set(None);
    }
    let txn = begin_write(&state.db).await?;
    let saved = versioning::save::<webhook::Entity>(&txn, &hook, changes, if_match, now).await?;
    let changed = saved.changed();
    let out = WebhookOut::from(saved.into_inner());
    if changed {
        AuditEvent::by(caller.id(), "webhook.updated", EntityKind::Webhook, id)
            .forum(out.forum_id)
            .changes(json!({"url": out.url, "events": out.events, "active": out.active}))
            .record(&txn, now)
            .await?;
    }
    txn.commit().await?;
    Ok(out)
}

/// Removes a webhook and its delivery log (its officers).
pub async fn delete(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<()> {
    let hook = load_managed(state, id, caller).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let gone = webhook::Entity::delete_by_id(id).exec(&txn).await?;
    if gone.rows_affected == 1 {
        AuditEvent::by(caller.id(), "webhook.deleted", EntityKind::Webhook, id)
            .forum(hook.forum_id)
            .changes(json!({"url": hook.url}))
            .record(&txn, now)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Gives a webhook a new secret (its officers), returned this once; the
/// old one signs beside it for [`ROTATION_OVERLAP`], so the receiver can
/// switch over without missing a message.
pub async fn rotate_secret(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    if_match: &IfMatch,
) -> ApiResult<WebhookWithSecret> {
    let hook = load_managed(state, id, caller).await?;
    let now = state.clock.now();
    let secret = new_secret();
    let mut changes = hook.clone().into_active_model();
    changes.previous_secret = Set(Some(hook.secret.clone()));
    changes.previous_secret_until = Set(Some(now + ROTATION_OVERLAP));
    changes.secret = Set(secret.clone());
    let txn = begin_write(&state.db).await?;
    let saved = versioning::save::<webhook::Entity>(&txn, &hook, changes, if_match, now)
        .await?
        .into_inner();
    AuditEvent::by(
        caller.id(),
        "webhook.secret-rotated",
        EntityKind::Webhook,
        id,
    )
    .forum(saved.forum_id)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(WebhookWithSecret {
        webhook: WebhookOut::from(saved),
        secret,
    })
}
