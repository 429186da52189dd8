//! Changing a meeting: its text, its time and place, and its status
//! (`scheduled → held | cancelled`).
//!
//! Every rule is checked against the meeting as this request read it, and
//! the write is one conditional `UPDATE … WHERE version = <version read>`
//! ([`versioning::save`]): if anyone changed the meeting in between — moved
//! it, cancelled it, held it — nothing is written and the request is refused
//! (412 with `If-Match`, 409 naming the state found without it), so no rule
//! is ever applied to a meeting that is no longer the one it was checked on.

use chrono::{DateTime, Utc};
use entity::{MeetingStatus, meeting};
use sea_orm::{ActiveValue, IntoActiveModel};
use uuid::Uuid;

use super::events;
use super::queries::with_attendance;
use super::types::{MeetingOut, MeetingPatch, check_place, check_somewhere, check_times};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Edits, reschedules, cancels or closes a meeting (secretary, chair,
/// admins). `status` moves `scheduled → held` (not before the start) or
/// `scheduled → cancelled` (with `cancel_reason`); any other move is 409. A
/// held or cancelled meeting cannot be rescheduled (409). A stale
/// `if_match` is 412; a change that changes nothing leaves the version —
/// and the calendar `SEQUENCE` — as they are.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: MeetingPatch,
    if_match: &IfMatch,
) -> ApiResult<MeetingOut> {
    let (meeting, access) =
        access::load_visible::<meeting::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::RunMeetings)?;
    validate(&meeting, &patch)?;
    if_match.check(meeting.version)?;
    let now = state.clock.now();
    let changes = changes(&meeting, patch, now)?;

    let txn = begin_write(&state.db).await?;
    let saved = versioning::save::<meeting::Entity>(&txn, &meeting, changes, if_match, now).await?;
    let changed = saved.changed();
    let saved = saved.into_inner();
    if changed {
        let before = audit::snapshot(&MeetingOut::new(meeting.clone(), Default::default()))?;
        let after = audit::snapshot(&MeetingOut::new(saved.clone(), Default::default()))?;
        AuditEvent::by(caller.id(), "meeting.updated", EntityKind::Meeting, id)
            .forum(saved.forum_id)
            .changes(audit::diff(&before, &after))
            .record(&txn, now)
            .await?;
        if let Some(event) = events::changed(&meeting, &saved, Some(caller.id())) {
            crate::kernel::events::emit(&txn, now, event).await?;
        }
    }
    txn.commit().await?;
    with_attendance(&state.db, saved).await
}

/// Every field of the request, and how they fit together (422 naming each
/// field that does not).
fn validate(meeting: &meeting::Model, patch: &MeetingPatch) -> ApiResult<()> {
    let mut v = Validator::default();
    if let Some(title) = &patch.title {
        v.rule::<limits::MeetingTitle>(title, "title");
    }
    if let Some(description) = &patch.description {
        v.rule::<limits::MeetingDescription>(description, "description");
    }
    if patch.starts_at.is_some() || patch.ends_at.is_some() {
        check_times(
            &mut v,
            patch.starts_at.unwrap_or(meeting.starts_at),
            patch.ends_at.unwrap_or(meeting.ends_at),
        );
    }
    check_place(
        &mut v,
        patch.location.clone().flatten().as_deref(),
        patch.online_link.clone().flatten().as_deref(),
    );
    let has = |given: &Option<Option<String>>, stored: &Option<String>| match given {
        Some(value) => value.is_some(),
        None => stored.is_some(),
    };
    check_somewhere(
        &mut v,
        has(&patch.location, &meeting.location),
        has(&patch.online_link, &meeting.online_link),
    );
    let cancelled_after = patch.status.unwrap_or(meeting.status) == MeetingStatus::Cancelled;
    match &patch.cancel_reason {
        Some(reason) if cancelled_after => {
            v.rule::<limits::CancelReason>(reason, "cancel_reason");
        }
        Some(_) => {
            v.check(
                false,
                "cancel_reason",
                "only a cancelled meeting has a reason; send it with \"status\": \"cancelled\"",
            );
        }
        None => {
            v.check(
                !(cancelled_after && meeting.status != MeetingStatus::Cancelled),
                "cancel_reason",
                "is required to cancel a meeting",
            );
        }
    }
    v.finish()
}

/// The columns the request changes, once the meeting's state allows the
/// change (409 otherwise). Values equal to the stored ones are not changes.
fn changes(
    meeting: &meeting::Model,
    patch: MeetingPatch,
    now: DateTime<Utc>,
) -> ApiResult<meeting::ActiveModel> {
    let from = meeting.status;
    let to = patch.status.filter(|s| *s != from);
    if let Some(to) = to
        && !from.can_become(to)
    {
        return Err(ApiError::transition("meeting", from.as_str(), to.as_str()));
    }
    let starts_at = patch.starts_at.unwrap_or(meeting.starts_at);
    let ends_at = patch.ends_at.unwrap_or(meeting.ends_at);
    let reschedules = starts_at != meeting.starts_at || ends_at != meeting.ends_at;
    if reschedules && from != MeetingStatus::Scheduled {
        return Err(ApiError::Conflict(format!(
            "this meeting is {}; it cannot be rescheduled",
            from.as_str()
        )));
    }
    if to == Some(MeetingStatus::Held) && now < starts_at {
        return Err(ApiError::Conflict(format!(
            "this meeting starts at {}; it cannot be held before it starts",
            starts_at.to_rfc3339()
        )));
    }

    let mut changes = meeting.clone().into_active_model();
    patch.apply(&mut changes);
    if let Some(to) = to {
        changes.status = ActiveValue::Set(to);
    }
    // An occurrence of a series whose details are changed by hand becomes
    // an exception to its series (a change of status alone does not).
    let details_changed = changes.title.is_set()
        || changes.description.is_set()
        || changes.starts_at.is_set()
        || changes.ends_at.is_set()
        || changes.location.is_set()
        || changes.online_link.is_set();
    if meeting.series_id.is_some() && details_changed {
        changes.is_exception.set_ne(true);
    }
    Ok(changes)
}
