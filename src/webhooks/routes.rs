//! Officers register a forum's webhooks, change, rotate and remove them,
//! and read each one's delivery log.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::Duration;
use entity::{DeliveryStatus, webhook, webhook_delivery};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::types::{
    WebhookDeliveryOut, WebhookIn, WebhookList, WebhookOut, WebhookPatch, WebhookWithSecret, check,
};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::jobs::webhooks::sender::new_secret;
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// How long a rotated-out secret keeps signing beside the new one.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);

crate::versioned!(entity::webhook::Entity, "webhook");

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, patch_webhook, delete_webhook))
        .routes(routes!(rotate_secret))
        .routes(routes!(list_webhook_deliveries))
}

/// The webhook and its forum, for an officer of it (404 to anyone else).
async fn load_managed(state: &AppState, id: Uuid, caller: &AuthUser) -> ApiResult<webhook::Model> {
    let hook = webhook::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))?;
    ForumAccess::load(&state.db, hook.forum_id, Some(caller))
        .await?
        .require_visible(ForumAction::ManageWebhooks, "webhook")?;
    Ok(hook)
}

/// Register a webhook for the forum (its officers).
///
/// The answer carries the signing secret, once. Every request to the URL is
/// a POST of a JSON body — `{"type", "timestamp", "data": {…, "record"}}` —
/// signed as the Standard Webhooks specification says (`webhook-id`,
/// `webhook-timestamp`, `webhook-signature`: `v1,` and the base64
/// HMAC-SHA256 of `id.timestamp.body`). The URL must be `https`, and its
/// host a public address when each request is made (422 otherwise).
#[utoipa::path(
    post,
    path = "/forums/{id}/webhooks",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = WebhookIn,
    responses(
        (status = 201, description = "Registered; the secret is shown this once", body = WebhookWithSecret,
         headers(("Location" = String, description = "The webhook's URL"),
                 ("ETag" = String, description = "The webhook's version"))),
        (status = 403, description = "Only the forum's officers manage its webhooks", body = crate::http::problem::Problem),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
        (status = 422, description = "A bad or internal URL, or an unknown kind of event", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<WebhookIn>,
) -> ApiResult<Created<WebhookWithSecret>> {
    ForumAccess::load(&state.db, forum_id, Some(&caller))
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
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(caller.id()),
            "webhook.created",
            EntityKind::Webhook,
            out.id,
        )
        .forum(forum_id)
        .changes(json!({"url": out.url, "events": out.events})),
    )
    .await?;
    txn.commit().await?;
    let version = out.version;
    Ok(Created::at(
        format!("/api/v1/webhooks/{}", out.id),
        WebhookWithSecret {
            webhook: out,
            secret,
        },
    )
    .tagged(version))
}

/// The forum's webhooks, oldest first (its officers).
#[utoipa::path(
    get,
    path = "/forums/{id}/webhooks",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "The forum's webhooks", body = WebhookList),
        (status = 403, description = "Only the forum's officers manage its webhooks", body = crate::http::problem::Problem),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_webhooks(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
) -> ApiResult<Json<WebhookList>> {
    ForumAccess::load(&state.db, forum_id, Some(&caller))
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
    Ok(Json(WebhookList { items }))
}

/// One webhook (the forum's officers; 404 to anyone else).
#[utoipa::path(
    get,
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The webhook", body = WebhookOut,
         headers(("ETag" = String, description = "The webhook's version"))),
        (status = 404, description = "No such webhook, or not yours to manage", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn get_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<WebhookOut>> {
    let hook = load_managed(&state, id, &caller).await?;
    Ok(Tagged::new(hook.version, hook.into()))
}

/// Change a webhook: its URL, kinds of event, description, or whether it is
/// on (its officers). Switching it on forgets its run of failures.
#[utoipa::path(
    patch,
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook id"), IfMatch),
    request_body = WebhookPatch,
    responses(
        (status = 200, description = "The webhook as it now is", body = WebhookOut,
         headers(("ETag" = String, description = "The webhook's version now"))),
        (status = 404, description = "No such webhook, or not yours to manage", body = crate::http::problem::Problem),
        (status = 409, description = "Changed by someone else meanwhile (no If-Match sent)", body = crate::http::problem::Problem),
        (status = 412, description = "The webhook has changed since the ETag sent", body = crate::http::problem::Problem),
        (status = 422, description = "A bad or internal URL, or an unknown kind of event", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(patch): Json<WebhookPatch>,
) -> ApiResult<Tagged<WebhookOut>> {
    let hook = load_managed(&state, id, &caller).await?;
    let mut v = Validator::default();
    let events = check(
        &mut v,
        state.webhooks,
        patch.url.as_deref(),
        patch.events.as_deref(),
        patch.description.as_deref(),
    );
    v.finish()?;
    let now = state.clock.now();
    let mut changes = hook.clone().into_active_model();
    if let Some(url) = patch.url {
        changes.url.set_ne(url);
    }
    if patch.events.is_some() {
        changes.events.set_ne(json!(events));
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description.trim().to_string());
    }
    if let Some(active) = patch.active {
        changes.active.set_ne(active);
        if active && !hook.active {
            changes.failure_streak = Set(0);
            changes.disabled_reason = Set(None);
        }
    }
    let txn = begin_write(&state.db).await?;
    let saved = versioning::save::<webhook::Entity>(&txn, &hook, changes, &if_match, now).await?;
    let changed = saved.changed();
    let out = WebhookOut::from(saved.into_inner());
    if changed {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(caller.id()),
                "webhook.updated",
                EntityKind::Webhook,
                id,
            )
            .forum(out.forum_id)
            .changes(json!({"url": out.url, "events": out.events, "active": out.active})),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Tagged::new(out.version, out))
}

/// Remove a webhook and its delivery log (its officers).
#[utoipa::path(
    delete,
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such webhook, or not yours to manage", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn delete_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let hook = load_managed(&state, id, &caller).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let gone = webhook::Entity::delete_by_id(id).exec(&txn).await?;
    if gone.rows_affected == 1 {
        audit::record(
            &txn,
            now,
            AuditEvent::new(
                Some(caller.id()),
                "webhook.deleted",
                EntityKind::Webhook,
                id,
            )
            .forum(hook.forum_id)
            .changes(json!({"url": hook.url})),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rotate a webhook's secret (its officers).
///
/// The answer carries the new secret, once. For 24 hours each request is
/// signed with both the new and the old secret (two `v1,` signatures), so
/// the receiver can switch over without missing a message.
#[utoipa::path(
    post,
    path = "/webhooks/{id}/secret",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook id"), IfMatch),
    responses(
        (status = 200, description = "The new secret, shown this once", body = WebhookWithSecret,
         headers(("ETag" = String, description = "The webhook's version now"))),
        (status = 404, description = "No such webhook, or not yours to manage", body = crate::http::problem::Problem),
        (status = 409, description = "Changed by someone else meanwhile (no If-Match sent)", body = crate::http::problem::Problem),
        (status = 412, description = "The webhook has changed since the ETag sent", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn rotate_secret(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<Tagged<WebhookWithSecret>> {
    let hook = load_managed(&state, id, &caller).await?;
    let now = state.clock.now();
    let secret = new_secret();
    let mut changes = hook.clone().into_active_model();
    changes.previous_secret = Set(Some(hook.secret.clone()));
    changes.previous_secret_until = Set(Some(now + ROTATION_OVERLAP));
    changes.secret = Set(secret.clone());
    let txn = begin_write(&state.db).await?;
    let saved = versioning::save::<webhook::Entity>(&txn, &hook, changes, &if_match, now)
        .await?
        .into_inner();
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(caller.id()),
            "webhook.secret-rotated",
            EntityKind::Webhook,
            id,
        )
        .forum(saved.forum_id),
    )
    .await?;
    txn.commit().await?;
    let out = WebhookOut::from(saved);
    Ok(Tagged::new(
        out.version,
        WebhookWithSecret {
            webhook: out,
            secret,
        },
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WebhookDeliveryQuery {
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only deliveries in this state.
    pub status: Option<DeliveryStatus>,
}

/// A webhook's delivery log, newest first (the forum's officers).
#[utoipa::path(
    get,
    path = "/webhooks/{id}/deliveries",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook id"), WebhookDeliveryQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<WebhookDeliveryOut>),
        (status = 404, description = "No such webhook, or not yours to manage", body = crate::http::problem::Problem),
        (status = 422, description = "A bad limit or cursor", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_webhook_deliveries(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<WebhookDeliveryQuery>,
) -> ApiResult<Json<Page<WebhookDeliveryOut>>> {
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    load_managed(&state, id, &caller).await?;
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
    Ok(Json(page.finish(rows, |d| d.id, WebhookDeliveryOut::from)))
}
