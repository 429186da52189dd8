use axum::extract::State;
use axum::http::StatusCode;
use entity::user;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::types::{MePatch, PasswordChangeIn, UserOut, check_password};
use super::{lockout, sessions};
use crate::http::extract::Json;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, patch_me))
        .routes(routes!(change_password))
}

/// The signed-in user's own account.
#[utoipa::path(
    get,
    path = "/me",
    tag = "me",
    responses((status = 200, description = "Your account", body = UserOut)),
    security(("bearer" = []))
)]
async fn get_me(user: AuthUser) -> Json<UserOut> {
    Json(user.user.into())
}

/// Change your display name. A PATCH that changes nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/me",
    tag = "me",
    request_body = MePatch,
    responses((status = 200, description = "Your updated account", body = UserOut)),
    security(("bearer" = []))
)]
async fn patch_me(
    State(state): State<AppState>,
    user: AuthUser,
    Json(patch): Json<MePatch>,
) -> ApiResult<Json<UserOut>> {
    let mut v = Validator::default();
    if let Some(name) = &patch.display_name {
        v.rule::<limits::DisplayName>(name, "display_name");
    }
    v.finish()?;
    let before = audit::snapshot(&UserOut::from(user.user.clone()))?;
    let mut changes = user.user.clone().into_active_model();
    if let Some(name) = patch.display_name {
        changes.display_name.set_ne(name.trim().to_string());
    }
    if !changes.is_changed() {
        return Ok(Json(user.user.into()));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    let updated: user::Model = changes.update(&txn).await?;
    let out = UserOut::from(updated);
    let after = audit::snapshot(&out)?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(out.id), "user.updated", EntityKind::User, out.id)
            .changes(audit::diff(&before, &after)),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}

/// Change your password.
///
/// Needs the current password. Every other session of yours ends; the one
/// making this request stays signed in.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "me",
    request_body = PasswordChangeIn,
    responses(
        (status = 204, description = "Password changed"),
        (status = 422, description = "The current password is wrong, or the new one is too short or long", body = crate::http::problem::Problem),
        (status = 429, description = "Too many wrong passwords", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<PasswordChangeIn>,
) -> ApiResult<StatusCode> {
    let mut v = Validator::default();
    check_password(&mut v, "new_password", &input.new_password);
    v.finish()?;
    let now = state.clock.now();
    lockout::check(&state.db, &user.user.email, now).await?;
    let current_ok = state
        .passwords
        .verify(
            input.current_password,
            Some(user.user.password_hash.clone()),
        )
        .await?
        .is_right();
    if !current_ok {
        // Counts towards the sign-in lock-out, so a stolen access token cannot
        // be used to guess the password at leisure.
        let txn = begin_write(&state.db).await?;
        lockout::record_failure(&txn, &user.user.email, now).await?;
        txn.commit().await?;
        return Err(ApiError::invalid("current_password", "is incorrect"));
    }
    let new_hash = state.passwords.hash(input.new_password).await?;
    let txn = begin_write(&state.db).await?;
    let user_id = user.id();
    let mut active = user.user.into_active_model();
    active.password_hash = Set(new_hash);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    let ended = sessions::revoke_all_of_user(
        &txn,
        user_id,
        Some(user.session_id),
        sessions::REASON_PASSWORD_CHANGED,
        now,
    )
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user_id),
            "user.password-changed",
            EntityKind::User,
            user_id,
        )
        .changes(serde_json::json!({"sessions_ended": ended})),
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
