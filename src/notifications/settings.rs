//! Each person's say over what they are told: per kind of notification, an
//! email as it happens, the day's news in one email, or none. The link at
//! the foot of every email (and its one-click `List-Unsubscribe`, RFC 8058)
//! turns that kind off without signing in; a digest's link turns off every
//! kind that the digest gathers.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Html;
use entity::{NotificationMode, notification_setting};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::http::extract::{Json, Path};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::events::Kind;
use crate::kernel::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(unsubscribe_page, unsubscribe))
}

/// How each kind of notification reaches you.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// Kind → `immediate` (an email as it happens), `daily-digest` (in one
    /// email a day, at the configured hour on London's clock) or `off`.
    /// Defaults: `daily-digest` for news of the whole forum
    /// (`minutes.approved`, `commitment.status-changed`), `immediate` for
    /// the rest. The kinds: `meeting.scheduled`, `meeting.rescheduled`,
    /// `meeting.cancelled`, `minutes.approved`, `issue.raised`,
    /// `issue.acknowledged`, `issue.responded`, `issue.reopened`,
    /// `issue.closed`, `action.assigned`, `action.progress-logged`,
    /// `action.moved`, `commitment.status-changed`, `agenda-item.proposed`,
    /// `agenda-item.decided`, `membership.applied`, `membership.decided`,
    /// `role.given`, `role.removed`, and the reminders `action.due-soon`
    /// (within 7 days), `action.due-today`, `action.overdue`,
    /// `issue.response-due-soon` (within 3 days), `issue.response-overdue`,
    /// `meeting.tomorrow`, `meeting.rsvp-closing`; and, for officers,
    /// `webhook.disabled`.
    pub settings: BTreeMap<String, NotificationMode>,
}

async fn settings_of(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
) -> ApiResult<NotificationSettings> {
    let chosen: BTreeMap<String, NotificationMode> = notification_setting::Entity::find()
        .filter(notification_setting::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.kind, s.mode))
        .collect();
    Ok(NotificationSettings {
        settings: Kind::chosen()
            .map(|k| {
                let mode = chosen.get(k.as_str()).copied().unwrap_or(k.default_mode());
                (k.as_str().to_string(), mode)
            })
            .collect(),
    })
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
    Ok(Json(settings_of(&state.db, user.id()).await?))
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
    let unknown: Vec<FieldError> = input
        .settings
        .keys()
        .filter(|kind| !Kind::parse(kind).is_some_and(Kind::is_chosen))
        .map(|kind| FieldError::new(format!("settings.{kind}"), "is not a kind of notification"))
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Validation(unknown));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    notification_setting::Entity::delete_many()
        .filter(notification_setting::Column::UserId.eq(user.id()))
        .exec(&txn)
        .await?;
    let chosen: Vec<notification_setting::ActiveModel> = input
        .settings
        .iter()
        .filter(|(kind, mode)| Kind::parse(kind).is_some_and(|k| k.default_mode() != **mode))
        .map(|(kind, mode)| notification_setting::ActiveModel {
            user_id: Set(user.id()),
            kind: Set(kind.clone()),
            mode: Set(*mode),
            updated_at: Set(now),
        })
        .collect();
    if !chosen.is_empty() {
        notification_setting::Entity::insert_many(chosen)
            .exec_without_returning(&txn)
            .await?;
    }
    let settings = settings_of(&txn, user.id()).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "notification-settings.updated",
            EntityKind::User,
            user.id(),
        )
        .changes(json!(settings.settings)),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(settings))
}

/// Who and which kind an unsubscribe link names (404 for a link that is
/// not one, or names a kind that no longer exists).
fn link_of(state: &AppState, token: &str) -> ApiResult<(Uuid, Kind)> {
    let claims = state.tokens.verify_unsubscribe(token)?;
    let kind = Kind::parse(&claims.kind)
        .filter(|k| k.is_chosen() || *k == Kind::Digest)
        .ok_or_else(|| ApiError::NotFound("no such unsubscribe link".into()))?;
    Ok((claims.sub, kind))
}

/// What an unsubscribe link's emails are about, as its pages say it.
fn topic(kind: Kind) -> &'static str {
    match kind {
        Kind::Digest => "your daily digest",
        kind => kind.as_str(),
    }
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
        (status = 404, description = "Not an unsubscribe link", body = crate::http::problem::Problem),
    )
)]
async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Html<String>> {
    let (_, kind) = link_of(&state, &token)?;
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
        (status = 404, description = "Not an unsubscribe link", body = crate::http::problem::Problem),
    )
)]
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Html<String>> {
    let (user_id, kind) = link_of(&state, &token)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // A digest's link stops the digest: every kind it gathers.
    let kinds: Vec<String> = if kind == Kind::Digest {
        settings_of(&txn, user_id)
            .await?
            .settings
            .into_iter()
            .filter(|(_, mode)| *mode == NotificationMode::DailyDigest)
            .map(|(kind, _)| kind)
            .collect()
    } else {
        vec![kind.as_str().to_string()]
    };
    let off = kinds
        .iter()
        .map(|kind| notification_setting::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind.clone()),
            mode: Set(NotificationMode::Off),
            updated_at: Set(now),
        })
        .collect::<Vec<_>>();
    if !off.is_empty() {
        notification_setting::Entity::insert_many(off)
            .on_conflict(
                OnConflict::columns([
                    notification_setting::Column::UserId,
                    notification_setting::Column::Kind,
                ])
                .update_columns([
                    notification_setting::Column::Mode,
                    notification_setting::Column::UpdatedAt,
                ])
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user_id),
            "notification-settings.unsubscribed",
            EntityKind::User,
            user_id,
        )
        .changes(json!(
            kinds
                .iter()
                .map(|k| (k.clone(), "off"))
                .collect::<BTreeMap<_, _>>()
        )),
    )
    .await?;
    txn.commit().await?;
    Ok(Html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>\n\
         <body><p>Done: Convene will not email you about <strong>{}</strong> again.</p></body></html>\n",
        topic(kind)
    )))
}
