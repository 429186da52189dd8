//! Reading the minutes, and drafting them.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use entity::{MeetingStatus, MinutesStatus, agenda_item, meeting, minutes};
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};
use serde_json::json;
use uuid::Uuid;

use super::sections::{self, Section};
use super::types::{MinutesIn, MinutesOut};
use super::{keep_revision, minutes_of, no_minutes, read_as};
use crate::http::extract::{Json, Path};
use crate::http::responses::{Created, Tagged};
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};
use crate::meetings::{MeetingLock, lock_meeting};

/// A meeting's minutes.
///
/// Approved minutes are public. Draft minutes are for the forum's participants
/// only: anyone else, signed in or not, gets 404, as if there were none.
#[utoipa::path(
    get,
    path = "/meetings/{id}/minutes",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses(
        (status = 200, description = "The minutes", body = MinutesOut,
         headers(("ETag" = String, description = "The minutes' version"))),
        (status = 404, description = "No minutes you can see", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
pub(super) async fn get_minutes(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Tagged<MinutesOut>> {
    let meeting = meeting::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(no_minutes)?;
    let minutes = minutes_of(&state.db, id).await?.ok_or_else(no_minutes)?;
    let access = ForumAccess::load(&state.db, meeting.forum_id, caller.as_ref()).await?;
    if minutes.status != MinutesStatus::Approved
        && !access.allows(ForumAction::ReadParticipantRecords)
    {
        return Err(no_minutes());
    }
    let version = minutes.version;
    let out = read_as(&state.db, minutes, &meeting, &access).await?;
    Ok(Tagged::new(version, out))
}

fn cancelled() -> ApiError {
    ApiError::Conflict("this meeting was cancelled; it has no minutes".into())
}

/// Draft or edit the minutes (secretary, chair, admins).
///
/// The first write needs no `If-Match` (and is refused with 412 if it sends
/// one: there is nothing yet to match); if someone else's first draft is
/// saved first, this one is refused with 409. Every later write must send the
/// ETag of the version it edits (428 without it, 412 when stale), so two
/// editors never overwrite each other. Every version is kept (see
/// `/minutes/revisions`); sending the text unchanged makes no new version.
/// Approved minutes are read-only (409).
///
/// The minutes are `sections`, each tied to an agenda item of this meeting
/// or free, each with a visibility (`public`, `participants`, `officers`;
/// a reason unless public). A section of an item takes the item's
/// visibility by default and may not be more open than it. Readers who may
/// not read a section see `Withheld: <reason>` in its place. `body` alone
/// is shorthand for one public section with no heading.
#[utoipa::path(
    put,
    path = "/meetings/{id}/minutes",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), IfMatch),
    request_body = MinutesIn,
    responses(
        (status = 200, description = "Minutes updated", body = MinutesOut,
         headers(("ETag" = String, description = "The version now"))),
        (status = 201, description = "Minutes drafted", body = MinutesOut,
         headers(
             ("Location" = String, description = "URL of the minutes"),
             ("ETag" = String, description = "The first version"),
         )),
        (status = 403, description = "Only the secretary, the chair and admins write minutes", body = crate::http::problem::Problem),
        (status = 404, description = "No such meeting, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "The minutes are approved, the meeting was cancelled, or someone else drafted them first", body = crate::http::problem::Problem),
        (status = 412, description = "If-Match is stale", body = crate::http::problem::Problem),
        (status = 422, description = "Both or neither of sections and body, or a bad section (named as `sections[2].visibility_reason`)", body = crate::http::problem::Problem),
        (status = 428, description = "If-Match is missing", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn put_minutes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    if_match: IfMatch,
    Json(input): Json<MinutesIn>,
) -> ApiResult<Response> {
    let (meeting, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    access.require(ForumAction::DraftMinutes)?;
    let agenda = sections::agenda_of(&state.db, id).await?;
    let written = check_input(&input, &agenda)?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(cancelled());
    }
    let now = state.clock.now();
    let Some(existing) = minutes_of(&state.db, id).await? else {
        return first_draft(&state, &user, &access, &if_match, id, written).await;
    };
    // Approval is final, so refusing on what was read is safe; an approval
    // committed after this read raises the version, and the write below loses.
    if existing.status == MinutesStatus::Approved {
        return Err(ApiError::Conflict(
            "these minutes are approved and can no longer be changed".into(),
        ));
    }
    if_match.require(existing.version)?;
    let before = sections::load_one(&state.db, existing.id).await?;
    if before == written {
        let version = existing.version;
        let out = read_as(&state.db, existing, &meeting, &access).await?;
        return Ok(Tagged::new(version, out).into_response());
    }

    let txn = begin_write(&state.db).await?;
    // Share-locked so that a cancellation cannot commit under this edit.
    let meeting = lock_meeting(&txn, id, MeetingLock::Share).await?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(cancelled());
    }
    // Only the version read: of two edits of it, the second is refused.
    let saved = versioning::touch::<minutes::Entity>(&txn, &existing, &if_match, now).await?;
    sections::replace(&txn, saved.id, &written).await?;
    keep_revision(&txn, &saved, &written, user.id(), now).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "minutes.edited",
            EntityKind::Minutes,
            saved.id,
        )
        .forum(meeting.forum_id)
        .changes(json!({"version": saved.version, "sections": written.len()})),
    )
    .await?;
    txn.commit().await?;
    let version = saved.version;
    let out = read_as(&state.db, saved, &meeting, &access).await?;
    Ok(Tagged::new(version, out).into_response())
}

/// The sections the request writes: its `sections`, or its `body` as one
/// public section (422 for both or neither, and for every bad section).
fn check_input(
    input: &MinutesIn,
    agenda: &HashMap<Uuid, agenda_item::Model>,
) -> ApiResult<Vec<Section>> {
    let mut v = Validator::default();
    let written = match (&input.sections, &input.body) {
        (Some(given), None) => sections::check(&mut v, given, agenda),
        (None, Some(body)) => {
            v.rule::<limits::MinutesBody>(body, "body");
            sections::single(body)
        }
        _ => {
            v.check(false, "sections", "send either sections or body");
            Vec::new()
        }
    };
    v.finish()?;
    Ok(written)
}

/// The first version of a meeting's minutes. Two first drafts sent at once
/// both find no minutes; the unique meeting id lets exactly one in, and the
/// other is told to read what was saved (409) rather than overwrite it.
pub(super) async fn first_draft(
    state: &AppState,
    user: &AuthUser,
    access: &ForumAccess,
    if_match: &IfMatch,
    meeting_id: Uuid,
    written: Vec<Section>,
) -> ApiResult<Response> {
    if if_match.sent() {
        return Err(ApiError::PreconditionFailed(
            "this meeting has no minutes yet; send the first draft without If-Match".into(),
        ));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let meeting = lock_meeting(&txn, meeting_id, MeetingLock::Share).await?;
    if meeting.status == MeetingStatus::Cancelled {
        return Err(cancelled());
    }
    // Counted rather than returned: a conflict returns no row, which not
    // every backend's RETURNING path reports the same way.
    let inserted = minutes::Entity::insert(minutes::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting_id),
        status: Set(MinutesStatus::Draft),
        version: Set(1),
        approved_by: Set(None),
        approved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(minutes::Column::MeetingId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let created = match minutes_of(&txn, meeting_id).await? {
        Some(created) if inserted == 1 => created,
        _ => {
            return Err(ApiError::Conflict(
                "someone else drafted these minutes while your request was being made; read \
                 them and send your changes with If-Match"
                    .into(),
            ));
        }
    };
    sections::replace(&txn, created.id, &written).await?;
    keep_revision(&txn, &created, &written, user.id(), now).await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(
            Some(user.id()),
            "minutes.edited",
            EntityKind::Minutes,
            created.id,
        )
        .forum(meeting.forum_id)
        .changes(json!({"version": created.version, "sections": written.len()})),
    )
    .await?;
    txn.commit().await?;
    let version = created.version;
    let out = read_as(&state.db, created, &meeting, access).await?;
    Ok(
        Created::at(format!("/api/v1/meetings/{meeting_id}/minutes"), out)
            .tagged(version)
            .into_response(),
    )
}
