//! Adding a paper: to a meeting (or one of its agenda items), a raised
//! issue, a region's plan or a consultation. The caller's leave is checked
//! ([`upload_to`]) before the face reads the form and spools its file, so
//! that nobody who may not add a paper there can have a file written.

use entity::{MeetingStatus, Visibility, agenda_item};
use sea_orm::EntityTrait;

use super::holder::{Attached, require_consultation_open};
use super::quota;
use super::record::{self, PaperFile, PaperRow};
use super::types::{AttachedTo, NewPaper, PaperOut};
use super::visibility_of;
use crate::kernel::access::AuthUser;
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::meetings::{MeetingLock, check_visibility_at, lock_meeting};

/// Leave to add a paper to what it names, given by [`upload_to`].
pub struct UploadTo {
    attached: Attached,
    to: AttachedTo,
}

/// Whether the caller may add a paper to `to`: 404 when they may not see
/// it, 403 when they may not add papers there (a meeting's officers, those
/// who raise or answer the forum's issues, the region's RPD staff for its
/// plan, officers and RPD staff for a consultation), 409 when it takes no
/// more (a cancelled meeting, a closed issue, a withdrawn consultation).
pub async fn upload_to(state: &AppState, caller: &AuthUser, to: AttachedTo) -> ApiResult<UploadTo> {
    let attached = Attached::of(&state.db, to, Some(caller)).await?;
    if !attached.may_list() {
        return Err(ApiError::not_found(to.noun()));
    }
    attached.require_write()?;
    attached.require_open(false)?;
    Ok(UploadTo { attached, to })
}

/// Adds the paper: its fields checked (422 naming each; an agenda item must
/// be of this meeting, a visibility no more open than what it is attached
/// to), its file kept and counted against the forum's storage (413 past its
/// limit), its first version recorded — in one transaction, which a meeting
/// cancelled or a consultation withdrawn meanwhile refuses (409).
pub async fn upload(
    state: &AppState,
    caller: &AuthUser,
    upload: UploadTo,
    input: NewPaper,
) -> ApiResult<PaperOut> {
    let UploadTo { attached, to } = upload;
    let mut v = Validator::default();
    v.rule::<limits::PaperTitle>(&input.title, "title");
    v.rule::<limits::PaperDescription>(&input.description, "description");
    let item_id = input.agenda_item_id;
    let item = match (item_id, to) {
        (Some(id), AttachedTo::Meeting(meeting_id)) => agenda_item::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .filter(|i| i.meeting_id == meeting_id),
        _ => None,
    };
    v.check(
        item_id.is_none() || item.is_some(),
        "agenda_item_id",
        "is not an item of this meeting's agenda",
    );
    let inherited = match &item {
        Some(item) => (item.visibility, item.visibility_reason.clone()),
        None => attached.inherited(),
    };
    let reason = narrowing(
        &mut v,
        input.visibility,
        &inherited,
        input.visibility_reason,
    );
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
    if let AttachedTo::Meeting(meeting_id) = to {
        // Share-locked: a meeting cancelled meanwhile takes no paper.
        let meeting = lock_meeting(&txn, meeting_id, MeetingLock::Share).await?;
        if meeting.status == MeetingStatus::Cancelled {
            return Err(ApiError::Conflict(
                "this meeting was cancelled; its papers are as they were".into(),
            ));
        }
    }
    if let AttachedTo::Consultation(consultation_id) = to {
        // Share-locked: a consultation withdrawn meanwhile takes no paper.
        require_consultation_open(&txn, consultation_id, false).await?;
    }
    let size = i64::try_from(spooled.size).unwrap_or(i64::MAX);
    if let Some(forum_id) = attached.forum_id() {
        quota::reserve(&txn, forum_id, size, state.forum_storage_limit_bytes).await?;
    }
    let content_id = placed.record(&txn, &mut spooled, now).await?;
    let created = record::insert(
        &txn,
        caller.id(),
        PaperRow {
            to,
            forum_id: attached.forum_id(),
            agenda_item_id: item_id,
            title: input.title,
            description: input.description,
            visibility: input.visibility,
            visibility_reason: reason,
        },
        PaperFile {
            content_id,
            file_name,
            spooled: &spooled,
        },
        now,
    )
    .await?;
    txn.commit().await?;
    placed.keep();
    let shown = visibility_of(&created, inherited);
    // Whoever may add a paper takes part in the forum (or keeps the
    // region's plan), so is shown people's names: their own here.
    let name = Some(caller.user.display_name.clone());
    Ok(PaperOut::new(created, shown, name))
}

/// Checks a new paper's own visibility against what it inherits (it may
/// only narrow it) and its reason; returns the reason to keep.
fn narrowing(
    v: &mut Validator,
    visibility: Option<Visibility>,
    inherited: &(Visibility, Option<String>),
    reason: Option<String>,
) -> Option<String> {
    let visibility = visibility?;
    v.check(
        visibility.narrower(inherited.0) == visibility,
        "visibility",
        &format!(
            "cannot be more open than what the paper is attached to ({})",
            inherited.0.as_str()
        ),
    );
    check_visibility_at(v, visibility, reason.as_deref(), "visibility_reason")
}
