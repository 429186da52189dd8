//! Each person's say over what they are told: per kind of notification, an
//! email as it happens, the day's news in one email, or none.

use std::collections::BTreeMap;

use entity::{NotificationMode, notification_setting};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::kernel::events::Kind;
use crate::kernel::state::AppState;

/// How each kind of notification reaches you.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    #[schema(schema_with = settings_schema)]
    pub settings: BTreeMap<String, NotificationMode>,
}

/// The schema of `settings`: a mode for each kind named, only kinds people
/// choose about (the spec lists them).
fn settings_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::Object)
        .description(Some(
            "Kind → `immediate` (an email as it happens), `daily-digest` (in one email a \
             day, at the configured hour on London's clock) or `off`. Defaults: \
             `daily-digest` for news of the whole forum (`minutes.approved`, \
             `commitment.status-changed`), `immediate` for the rest. The reminders: \
             `action.due-soon` (within 7 days), `action.due-today`, `action.overdue`, \
             `issue.response-due-soon` (within 3 days), `issue.response-overdue`, \
             `meeting.tomorrow`, `meeting.rsvp-closing`; `webhook.disabled` is for officers.",
        ))
        .property_names(Some(Kind::names_schema(Kind::chosen())))
        .additional_properties(Some(utoipa::openapi::Ref::from_schema_name(
            "NotificationMode",
        )))
        .build()
}

/// Every kind a person can choose for, with the mode they chose or its default.
pub(super) async fn settings_of(
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

/// The caller's notification settings: every kind, and how it reaches them.
pub async fn settings(state: &AppState, caller: &AuthUser) -> ApiResult<NotificationSettings> {
    settings_of(&state.db, caller.id()).await
}

/// Sets the caller's notification settings: the kinds named get the mode
/// given, those not named go back to their default (only the modes other
/// than a kind's default are kept). An unknown kind is 422, naming it.
pub async fn set_settings(
    state: &AppState,
    caller: &AuthUser,
    input: NotificationSettings,
) -> ApiResult<NotificationSettings> {
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
        .filter(notification_setting::Column::UserId.eq(caller.id()))
        .exec(&txn)
        .await?;
    let chosen: Vec<notification_setting::ActiveModel> = input
        .settings
        .iter()
        .filter(|(kind, mode)| Kind::parse(kind).is_some_and(|k| k.default_mode() != **mode))
        .map(|(kind, mode)| notification_setting::ActiveModel {
            user_id: Set(caller.id()),
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
    let settings = settings_of(&txn, caller.id()).await?;
    AuditEvent::by(
        caller.id(),
        "notification-settings.updated",
        EntityKind::User,
        caller.id(),
    )
    .changes(json!(settings.settings))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(settings)
}
