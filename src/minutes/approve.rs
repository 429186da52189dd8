//! Approving the minutes: `draft → approved`, once, by the chair.

use axum::extract::State;
use entity::{ForumRole, MeetingStatus, MinutesStatus, forum_role, minutes};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::types::MinutesOut;
use super::{keep_revision, minutes_of, no_minutes, read_as, sections};
use crate::http::extract::Path;
use crate::http::responses::Tagged;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::events::{self, Event};
use crate::kernel::state::AppState;
use crate::kernel::versioning::{self, IfMatch};

/// Approve the minutes: the chair, or the secretary where the forum has no
/// chair (and admins); only once the meeting is held. They then become public
/// and read-only.
///
/// Approval is a new version of the minutes (the approved text is kept as
/// its last revision), so the ETag changes. With `If-Match`, minutes changed
/// since the version sent are not approved (412): you approve what you read.
/// Of several approvals sent at once exactly one succeeds; the others get 409.
#[utoipa::path(
    post,
    path = "/meetings/{id}/minutes/approve",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), IfMatch),
    responses(
        (status = 200, description = "The approved minutes", body = MinutesOut,
         headers(("ETag" = String, description = "The approved version"))),
        (status = 404, description = "No such meeting or minutes, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Already approved, or the meeting is not held yet", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn approve_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
) -> ApiResult<Tagged<MinutesOut>> {
    // The minutes as this request approves them, read first; nothing of them
    // is shown before the caller's access is checked.
    let existing = minutes_of(&state.db, id).await?;
    let (meeting, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    let forum_has_chair = forum_role::Entity::find()
        .filter(forum_role::Column::ForumId.eq(meeting.forum_id))
        .filter(forum_role::Column::Role.eq(ForumRole::Chair))
        .count(&state.db)
        .await?
        > 0;
    access.require(ForumAction::ApproveMinutes { forum_has_chair })?;
    let existing = existing.ok_or_else(no_minutes)?;
    if existing.status == MinutesStatus::Approved {
        return Err(ApiError::Conflict(
            "these minutes are already approved".into(),
        ));
    }
    // `held` is final: a meeting read as held stays held, so this read is safe.
    if meeting.status != MeetingStatus::Held {
        return Err(ApiError::Conflict(format!(
            "minutes are approved once the meeting is held; it is {}",
            meeting.status.as_str()
        )));
    }
    if_match.check(existing.version)?;
    let now = state.clock.now();
    let mut changes = existing.clone().into_active_model();
    changes.status.set_ne(MinutesStatus::Approved);
    changes.approved_by.set_ne(Some(user.id()));
    changes.approved_at.set_ne(Some(now));

    let txn = begin_write(&state.db).await?;
    // Only if the minutes are still the draft read above: of concurrent
    // approvals, the first to commit wins and the rest find them approved (409).
    let approved = versioning::save::<minutes::Entity>(&txn, &existing, changes, &if_match, now)
        .await?
        .into_inner();
    // Read after the conditional update: the sections of the version approved.
    let approved_sections = sections::load_one(&txn, approved.id).await?;
    keep_revision(&txn, &approved, &approved_sections, user.id(), now).await?;
    events::emit(
        &txn,
        now,
        Event::minutes_approved(&meeting, Some(user.id())),
    )
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "minutes.approved",
            EntityKind::Minutes,
            approved.id,
        )
        .forum(meeting.forum_id)
        .changes(
            json!({"status": {"from": "draft", "to": "approved"}, "version": approved.version}),
        ),
    )
    .await?;
    txn.commit().await?;
    let version = approved.version;
    let out = read_as(&state.db, approved, &meeting, &access).await?;
    Ok(Tagged::new(version, out))
}
