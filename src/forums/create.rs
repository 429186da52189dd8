//! Creating the forum of a region.

use entity::forum;
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use super::types::{DEFAULT_ISSUE_RESPONSE_DAYS, ForumIn, ForumOut};
use crate::kernel::access::{AuthUser, require_admin};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::state::AppState;
use crate::regions;

/// Creates a region's forum (admins). A region has at most one: the unique
/// index on the forum's region decides, and a second is 409 naming the
/// region, also when both are created at the same moment.
pub async fn create(state: &AppState, caller: &AuthUser, input: ForumIn) -> ApiResult<ForumOut> {
    require_admin(caller)?;
    input.validate()?;
    let region = regions::find_by_code(&state.db, &input.region)
        .await
        .map_err(|_| {
            ApiError::invalid("region", format!("`{}` is not a region code", input.region))
        })?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let created = forum::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_id: Set(region.id),
        name: Set(input.name.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        terms_of_reference: Set(input.terms_of_reference),
        issue_response_days: Set(input
            .issue_response_days
            .unwrap_or(DEFAULT_ISSUE_RESPONSE_DAYS)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(|| {
        format!(
            "{} (region `{}`) already has a forum",
            region.name, region.code
        )
    })?;
    let out = ForumOut::new(created, region.code);
    AuditEvent::by(caller.id(), "forum.created", EntityKind::Forum, out.id)
        .forum(out.id)
        .changes(audit::snapshot(&out)?)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}
