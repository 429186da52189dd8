//! The JSON face of webhooks: each handler extracts, calls the operation of
//! `crate::webhooks` and responds.

use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::links::api_path;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::kernel::versioning::IfMatch;
use crate::webhooks::{
    self, WebhookDeliveryOut, WebhookDeliveryQuery, WebhookIn, WebhookList, WebhookOut,
    WebhookPatch, WebhookWithSecret,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(get_webhook, patch_webhook, delete_webhook))
        .routes(routes!(rotate_secret))
        .routes(routes!(list_webhook_deliveries))
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
        (status = 403, description = "Only the forum's officers manage its webhooks"),
        (status = 404, description = "No such forum"),
        (status = 422, description = "A bad or internal URL, or an unknown kind of event"),
    ),
    security(("bearer" = []))
)]
async fn create_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
    Json(input): Json<WebhookIn>,
) -> ApiResult<Created<WebhookWithSecret>> {
    let out = webhooks::create(&state, &caller, forum_id, input).await?;
    let (id, version) = (out.webhook.id, out.webhook.version);
    Ok(Created::at(api_path(format_args!("webhooks/{id}")), out).tagged(version))
}

/// The forum's webhooks, oldest first (its officers).
#[utoipa::path(
    get,
    path = "/forums/{id}/webhooks",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "The forum's webhooks", body = WebhookList),
        (status = 403, description = "Only the forum's officers manage its webhooks"),
        (status = 404, description = "No such forum"),
    ),
    security(("bearer" = []))
)]
async fn list_webhooks(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(forum_id): Path<Uuid>,
) -> ApiResult<Json<WebhookList>> {
    Ok(Json(webhooks::list(&state, &caller, forum_id).await?))
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
        (status = 404, description = "No such webhook, or not yours to manage"),
    ),
    security(("bearer" = []))
)]
async fn get_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<WebhookOut>> {
    let out = webhooks::get(&state, &caller, id).await?;
    Ok(Tagged::new(out.version, out))
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
        (status = 404, description = "No such webhook, or not yours to manage"),
        (status = 409, description = "Changed by someone else meanwhile (no If-Match sent)"),
        (status = 412, description = "The webhook has changed since the ETag sent"),
        (status = 422, description = "A bad or internal URL, or an unknown kind of event"),
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
    let out = webhooks::change(&state, &caller, id, patch, &if_match).await?;
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
        (status = 404, description = "No such webhook, or not yours to manage"),
    ),
    security(("bearer" = []))
)]
async fn delete_webhook(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    webhooks::delete(&state, &caller, id).await?;
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
        (status = 404, description = "No such webhook, or not yours to manage"),
        (status = 409, description = "Changed by someone else meanwhile (no If-Match sent)"),
        (status = 412, description = "The webhook has changed since the ETag sent"),
    ),
    security(("bearer" = []))
)]
async fn rotate_secret(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<Tagged<WebhookWithSecret>> {
    let out = webhooks::rotate_secret(&state, &caller, id, &if_match).await?;
    Ok(Tagged::new(out.webhook.version, out))
}

/// A webhook's delivery log, newest first (the forum's officers).
#[utoipa::path(
    get,
    path = "/webhooks/{id}/deliveries",
    tag = "webhooks",
    params(("id" = Uuid, Path, description = "Webhook id"), WebhookDeliveryQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<WebhookDeliveryOut>),
        (status = 404, description = "No such webhook, or not yours to manage"),
        (status = 422, description = "A bad limit or cursor"),
    ),
    security(("bearer" = []))
)]
async fn list_webhook_deliveries(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<WebhookDeliveryQuery>,
) -> ApiResult<Json<Page<WebhookDeliveryOut>>> {
    Ok(Json(
        webhooks::deliveries(&state, &caller, id, query).await?,
    ))
}
