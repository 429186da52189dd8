//! The JSON face of notifications — people's settings, the admins' view of
//! outgoing messages — and the two small pages an unsubscribe link opens.
//! Each handler extracts, calls the operation of `crate::notifications` and
//! responds.

use axum::extract::State;
use axum::response::Html;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::Page;
use crate::kernel::state::AppState;
use crate::notifications::{self, DeliveryOut, DeliveryQuery, NotificationSettings, topic};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_deliveries))
        .routes(routes!(retry_delivery))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(unsubscribe_page, unsubscribe))
}

/// Outgoing messages, oldest first (admins).
///
/// `?status=failed` lists the messages that used every attempt.
#[utoipa::path(
    get,
    path = "/admin/deliveries",
    tag = "notifications",
    params(DeliveryQuery),
    responses(
        (status = 200, description = "A page of messages", body = Page<DeliveryOut>),
    ),
    security(("bearer" = []))
)]
async fn list_deliveries(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(query): Query<DeliveryQuery>,
) -> ApiResult<Json<Page<DeliveryOut>>> {
    Ok(Json(
        notifications::list_deliveries(&state, &caller, query).await?,
    ))
}

/// Send a failed message again (admins).
///
/// It goes back in the queue with its attempts counted afresh, and keeps its
/// Message-ID. Only a `failed` message can be retried (409 otherwise).
#[utoipa::path(
    post,
    path = "/admin/deliveries/{id}/retry",
    tag = "notifications",
    params(("id" = Uuid, Path, description = "Delivery id")),
    responses(
        (status = 200, description = "Queued again", body = DeliveryOut),
        (status = 404, description = "No such message"),
        (status = 409, description = "The message has not failed"),
    ),
    security(("bearer" = []))
)]
async fn retry_delivery(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<DeliveryOut>> {
    Ok(Json(
        notifications::retry_delivery(&state, &caller, id).await?,
    ))
}

/// Your notification settings: every kind, and how it reaches you.
#[utoipa::path(
    get,
    path = "/me/notification-settings",
    tag = "me",
    responses((status = 200, description = "Every kind of notification", body = NotificationSettings)),
    security(("bearer" = []))
)]
async fn get_settings(
    State(state): State<AppState>,
    user: AuthUser,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(notifications::settings(&state, &user).await?))
}

/// Set your notification settings.
///
/// The kinds named get the mode given; those not named go back to their
/// default. An unknown kind is 422, naming it.
#[utoipa::path(
    put,
    path = "/me/notification-settings",
    tag = "me",
    request_body = NotificationSettings,
    responses((status = 200, description = "Every kind of notification, as now set", body = NotificationSettings)),
    security(("bearer" = []))
)]
async fn put_settings(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(
        notifications::set_settings(&state, &user, input).await?,
    ))
}

/// The page an unsubscribe link opens: it asks before turning anything off
/// (mail scanners open links; only the button, a POST, unsubscribes).
#[utoipa::path(
    get,
    path = "/unsubscribe/{token}",
    tag = "me",
    params(("token" = String, Path, description = "The token of an email's unsubscribe link")),
    responses(
        (status = 200, description = "A page with a button to unsubscribe", content_type = "text/html", body = String),
        (status = 404, description = "Not an unsubscribe link"),
    )
)]
async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Html<String>> {
    let kind = notifications::unsubscribe_link(&state, &token)?;
    Ok(Html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head>\n\
         <body><p>Stop the emails Convene sends you about <strong>{}</strong>?</p>\n\
         <form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button type=\"submit\">Unsubscribe</button></form>\n\
         <p>You can turn them on again in your notification settings.</p></body></html>\n",
        topic(kind)
    )))
}

/// Turn off the kind of email an unsubscribe link names (a digest's link:
/// every kind the digest gathers), without signing in
/// (RFC 8058 one-click: mail clients POST `List-Unsubscribe=One-Click`; the
/// body is not needed). Doing it twice changes nothing.
#[utoipa::path(
    post,
    path = "/unsubscribe/{token}",
    tag = "me",
    params(("token" = String, Path, description = "The token of an email's unsubscribe link")),
    responses(
        (status = 200, description = "Unsubscribed", content_type = "text/html", body = String),
        (status = 404, description = "Not an unsubscribe link"),
    )
)]
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Html<String>> {
    let kind = notifications::unsubscribe(&state, &token).await?;
    Ok(Html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>\n\
         <body><p>Done: Convene will not email you about <strong>{}</strong> again.</p></body></html>\n",
        topic(kind)
    )))
}
