//! The link at the foot of every email (and its one-click
//! `List-Unsubscribe`, RFC 8058) turns that kind off without signing in; a
//! digest's link turns off every kind that the digest gathers.

use std::collections::BTreeMap;

use entity::{NotificationMode, notification_setting};
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::settings::settings_of;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::Kind;
use crate::kernel::state::AppState;

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
pub fn topic(kind: Kind) -> &'static str {
    match kind {
        Kind::Digest => "your daily digest",
        kind => kind.as_str(),
    }
}

/// The kind an unsubscribe link would turn off, changing nothing (mail
/// scanners open links: only the unsubscribe itself is a write).
pub fn unsubscribe_link(state: &AppState, token: &str) -> ApiResult<Kind> {
    Ok(link_of(state, token)?.1)
}

/// Turns off the kind of email an unsubscribe link names (a digest's link:
/// every kind the digest gathers), without signing in. Doing it twice
/// changes nothing. Returns the kind the link names.
pub async fn unsubscribe(state: &AppState, token: &str) -> ApiResult<Kind> {
    let (user_id, kind) = link_of(state, token)?;
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
    ))
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(kind)
}
