//! A paper's versions: replacing its file keeps the one before; once the
//! meeting is held a replacement says why (what the meeting saw is kept).
//! As with an upload, the caller's leave is checked ([`replacing`]) before
//! the face reads the form and spools the new file.

use entity::{MeetingStatus, paper, paper_version};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::json;
use uuid::Uuid;

use super::holder::{Holder, require_consultation_open};
use super::quota;
use super::read::{Readable, load_readable, out};
use super::types::{NewVersion, PaperOut};
use super::visibility_of;
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::{MeetingLock, lock_meeting};

/// Leave to replace a paper's file, given by [`replacing`].
pub struct Replacing(Readable);

/// Whether the caller may replace the paper's file: 404 when they may not
/// read it, 403 when they may not add papers there, 409 when what it is
/// attached to takes no more, 412 when `if_match` is stale.
pub async fn replacing(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    if_match: &IfMatch,
) -> ApiResult<Replacing> {
    let found = load_readable(&state.db, id, Some(caller)).await?;
    found.attached.require_write()?;
    found.attached.require_open(false)?;
    if_match.check(found.paper.version)?;
    Ok(Replacing(found))
}

/// Replaces the paper's file, keeping the one before as a version: `reason`
/// is required once the meeting has been held (422 without it). The write
/// is conditional on the version read: of two replacements at once, one
/// wins and the other is 409 (412 with a stale `if_match`).
pub async fn replace(
    state: &AppState,
    caller: &AuthUser,
    replacing: Replacing,
    input: NewVersion,
    if_match: &IfMatch,
) -> ApiResult<PaperOut> {
    let Replacing(found) = replacing;
    let id = found.paper.id;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let mut v = Validator::default();
    if let Some(reason) = &reason {
        v.rule::<limits::VisibilityReason>(reason, "reason");
    }
    v.check(input.file.is_some(), "file", "is required");
    v.finish()?;
    let Some(file) = input.file else {
        return Err(ApiError::invalid("file", "is required"));
    };
    let file_name = file.file_name();
    let mut spooled = file.spooled;
    let placed = state.paper_store.place(&mut spooled).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    if let Holder::Consultation { consultation } = &found.attached.holder {
        require_consultation_open(&txn, consultation.id, false).await?;
    }
    // Share-locked: the meeting's state is the one this replacement meets.
    if let Holder::Meeting { meeting, .. } = &found.attached.holder {
        let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
        match meeting.status {
            MeetingStatus::Cancelled => {
                return Err(ApiError::Conflict(
                    "this meeting was cancelled; its papers are as they were".into(),
                ));
            }
            MeetingStatus::Held if reason.is_none() => {
                return Err(ApiError::invalid(
                    "reason",
                    "is required once the meeting has been held: say why its paper changes",
                ));
            }
            _ => {}
        }
    }
    let size = i64::try_from(spooled.size).unwrap_or(i64::MAX);
    if let Some(forum_id) = found.attached.forum_id() {
        quota::reserve(&txn, forum_id, size, state.forum_storage_limit_bytes).await?;
    }
    let content_id = placed.record(&txn, &mut spooled, now).await?;
    let number = found.paper.current_version + 1;
    // Only the version read: of two replacements, the second finds it gone.
    let mut changes = found.paper.clone().into_active_model();
    changes.content_id.set_ne(content_id);
    changes.file_name.set_ne(file_name.clone());
    changes
        .content_type
        .set_ne(spooled.kind.media_type.to_string());
    changes.size.set_ne(size);
    changes.sha256.set_ne(spooled.sha256.clone());
    changes.current_version.set_ne(number);
    let saved = versioning::save::<paper::Entity>(&txn, &found.paper, changes, if_match, now)
        .await?
        .into_inner();
    paper_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        paper_id: Set(id),
        number: Set(number),
        content_id: Set(content_id),
        file_name: Set(file_name),
        content_type: Set(saved.content_type.clone()),
        size: Set(size),
        sha256: Set(saved.sha256.clone()),
        reason: Set(reason.clone()),
        uploaded_by: Set(Some(caller.id())),
        uploaded_at: Set(now),
    }
    .insert(&txn)
    .await?;
    AuditEvent::by(caller.id(), "paper.replaced", EntityKind::Paper, id)
        .forum_of(saved.forum_id)
        .changes(json!({"number": number, "reason": reason, "sha256": saved.sha256, "size": size}))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    placed.keep();
    let visibility = visibility_of(&saved, found.attached.inherited());
    out(
        &state.db,
        Readable {
            paper: saved,
            visibility,
            ..found
        },
    )
    .await
}
