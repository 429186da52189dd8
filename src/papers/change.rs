//! Editing a paper's details and deleting a paper: who may add papers where
//! it is attached.

use entity::{MeetingStatus, paper, paper_version};
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use super::holder::{Holder, require_consultation_open};
use super::read::{Readable, load_readable, no_paper, out};
use super::types::{PaperOut, PaperPatch};
use super::{quota, visibility_of};
use crate::kernel::access::AuthUser;
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::storage;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::{MeetingLock, check_visibility_at, lock_meeting};

/// Edits a paper's details (who may add papers there: a meeting's
/// officers, an issue's members and RPD staff, a plan's RPD staff).
/// `visibility` may narrow what the paper is attached to (422 for one more
/// open than its item), with a reason; `null` makes it as attached again.
/// The write is conditional on the version read (and on `if_match`).
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    mut patch: PaperPatch,
    if_match: &IfMatch,
) -> ApiResult<PaperOut> {
    let found = load_readable(&state.db, id, Some(caller)).await?;
    found.attached.require_write()?;
    let mut v = Validator::default();
    if let Some(title) = &patch.title {
        v.rule::<limits::PaperTitle>(title, "title");
    }
    if let Some(description) = &patch.description {
        v.rule::<limits::PaperDescription>(description, "description");
    }
    let own = match patch.visibility {
        Some(given) => given,
        None => found.paper.visibility,
    };
    let inherited = found.attached.inherited().0;
    let reason = match own {
        Some(own) => {
            v.check(
                own.narrower(inherited) == own,
                "visibility",
                &format!(
                    "cannot be more open than what the paper is attached to ({})",
                    inherited.as_str()
                ),
            );
            let given = match &patch.visibility_reason {
                Some(reason) => reason.as_deref(),
                None => found.paper.visibility_reason.as_deref(),
            };
            check_visibility_at(&mut v, own, given, "visibility_reason")
        }
        None => None,
    };
    v.finish()?;
    // The narrowing as settled: a reason only with a visibility that needs one.
    patch.visibility = Some(own);
    patch.visibility_reason = Some(reason);
    let now = state.clock.now();
    let mut changes = found.paper.clone().into_active_model();
    patch.apply(&mut changes);
    let txn = begin_write(&state.db).await?;
    let saved =
        versioning::save::<paper::Entity>(&txn, &found.paper, changes, if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        AuditEvent::by(caller.id(), "paper.updated", EntityKind::Paper, id)
            .forum_of(saved.forum_id)
            .changes(json!({"version": saved.version}))
            .record(&txn, now)
            .await?;
    }
    txn.commit().await?;
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

/// Deletes a paper, with every version of it (who may add papers there).
/// A meeting's only before it is held, an issue's only while it is not
/// closed, a consultation's only before the response is submitted: what
/// they saw is kept (409). The forum's storage is given back.
pub async fn delete(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<()> {
    let found = load_readable(&state.db, id, Some(caller)).await?;
    found.attached.require_write()?;
    found.attached.require_open(true)?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    // Share-locked: a meeting cannot be marked held under this delete.
    if let Holder::Consultation { consultation } = &found.attached.holder {
        require_consultation_open(&txn, consultation.id, true).await?;
    }
    if let Holder::Meeting { meeting, .. } = &found.attached.holder {
        let meeting = lock_meeting(&txn, meeting.id, MeetingLock::Share).await?;
        if meeting.status == MeetingStatus::Held {
            return Err(ApiError::Conflict(
                "the meeting has been held: the papers it saw are kept".into(),
            ));
        }
    }
    let versions: Vec<(Uuid, i64)> = paper_version::Entity::find()
        .select_only()
        .column(paper_version::Column::ContentId)
        .column(paper_version::Column::Size)
        .filter(paper_version::Column::PaperId.eq(id))
        .into_tuple()
        .all(&txn)
        .await?;
    let freed: i64 = versions.iter().map(|(_, size)| size).sum();
    let contents: Vec<Uuid> = versions.into_iter().map(|(content, _)| content).collect();
    let deleted = paper::Entity::delete_by_id(id).exec(&txn).await?;
    if deleted.rows_affected == 0 {
        return Err(no_paper());
    }
    storage::delete(&txn, &contents).await?;
    if let Some(forum_id) = found.paper.forum_id {
        quota::release(&txn, forum_id, freed).await?;
    }
    AuditEvent::by(caller.id(), "paper.deleted", EntityKind::Paper, id)
        .forum_of(found.paper.forum_id)
        .changes(json!({"title": found.paper.title, "sha256": found.paper.sha256}))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    state.paper_store.forget(&contents);
    Ok(())
}
