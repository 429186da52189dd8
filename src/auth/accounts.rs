//! Creating accounts, shared by registration and `convene create-admin`.

use chrono::{DateTime, Utc};
use entity::user;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, TryInsertResult, TryIntoModel};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::audit::{AuditEvent, EntityKind};

pub struct NewAccount {
    /// Already normalised.
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_admin: bool,
}

/// Inserts the account and its audit event, unless the address already has
/// an account: then `None`, and nothing is written. The unique index on the
/// address decides, so two registrations of one address at once make one
/// account whichever commits first.
pub async fn create(
    conn: &impl ConnectionTrait,
    account: NewAccount,
    now: DateTime<Utc>,
) -> Result<Option<user::Model>, DbErr> {
    let row = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(account.email),
        display_name: Set(account.display_name.trim().to_string()),
        password_hash: Set(account.password_hash),
        organisation_id: Set(None),
        is_admin: Set(account.is_admin),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        // An admin made at the command line is vouched for by whoever ran
        // it; a registered address is verified by the code sent to it.
        email_verified_at: Set(account.is_admin.then_some(now)),
        verification_sent_at: Set(None),
        password_reset_sent_at: Set(None),
        email_change_sent_at: Set(None),
    };
    // `exec`, not `exec_with_returning`: sea-orm 2.0 reports a conflict of
    // the latter as "inserted row not found" rather than as a conflict.
    let inserted = user::Entity::insert(row.clone())
        .on_conflict_do_nothing_on([user::Column::Email])
        .exec(conn)
        .await?;
    if matches!(inserted, TryInsertResult::Conflicted) {
        return Ok(None);
    }
    let created = row.try_into_model()?;
    let (actor, action) = if account.is_admin {
        (None, "user.admin-created")
    } else {
        (Some(created.id), "user.registered")
    };
    AuditEvent::new(actor, action, EntityKind::User, created.id)
        .changes(json!({
            "email": created.email,
            "display_name": created.display_name,
            "is_admin": created.is_admin,
        }))
        .record(conn, now)
        .await?;
    Ok(Some(created))
}
