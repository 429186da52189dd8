//! Creating accounts, shared by registration and `convene create-admin`.

use chrono::{DateTime, Utc};
use entity::user;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEvent};
use crate::error::{ApiError, ApiResult};

pub struct NewAccount {
    /// Already normalised.
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_admin: bool,
}

/// Inserts the account and its audit event; an email already registered is 409.
pub async fn create(
    conn: &impl ConnectionTrait,
    account: NewAccount,
    now: DateTime<Utc>,
) -> ApiResult<user::Model> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(&account.email))
        .one(conn)
        .await?
        .is_some();
    if taken {
        return Err(ApiError::Conflict(
            "an account with this email already exists".into(),
        ));
    }
    let created = user::ActiveModel {
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
        // it; a registered address is verified by the link sent to it.
        email_verified_at: Set(account.is_admin.then_some(now)),
        verification_sent_at: Set(None),
        password_reset_sent_at: Set(None),
    }
    .insert(conn)
    .await?;
    let (actor, action) = if account.is_admin {
        (None, "user.admin-created")
    } else {
        (Some(created.id), "user.registered")
    };
    audit::record(
        conn,
        now,
        AuditEvent::new(actor, action, "user", created.id).changes(json!({
            "email": created.email,
            "display_name": created.display_name,
            "is_admin": created.is_admin,
        })),
    )
    .await?;
    Ok(created)
}
