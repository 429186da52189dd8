//! Changing a consultation's details; a change of its status is a move of
//! its state machine (`status`).

use entity::consultation;
use sea_orm::IntoActiveModel;
use uuid::Uuid;

use super::queries::{load_for, london_today, named};
use super::rules::{Details, check_details};
use super::status;
use super::types::{ConsultationOut, ConsultationPatch};
use crate::kernel::access::{AuthUser, ForumAction};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Changes a consultation's details (the forum's officers and the region's
/// RPD staff, while it is open or being drafted: 409 after), or, with a
/// `status`, moves it on (officers). A change that changes nothing leaves
/// the version as it is.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: ConsultationPatch,
    if_match: &IfMatch,
) -> ApiResult<ConsultationOut> {
    if let Some(to) = patch.status {
        return status::move_to(state, caller, id, to, &patch, if_match).await;
    }
    let loaded_by = load_for(&state.db, id, caller, ForumAction::RegisterConsultation).await?;
    let current = loaded_by.consultation.clone();
    check(&current, &patch)?;
    if !current.status.accepts_edits() {
        return Err(ApiError::Conflict(format!(
            "the consultation is {}: its details are kept as they were",
            current.status.as_str()
        )));
    }
    let now = state.clock.now();
    let today = london_today(now);
    let mut changes = current.clone().into_active_model();
    patch.apply(&mut changes);
    let txn = begin_write(&state.db).await?;
    // Conditional on the version read, which was open or being drafted: a
    // status move made meanwhile raised it, and this edit then finds no row.
    let saved =
        versioning::save::<consultation::Entity>(&txn, &current, changes, if_match, now).await?;
    let changed = saved.changed();
    let name = named(&txn, &loaded_by).await?;
    let before = audit::snapshot(&ConsultationOut::new(current, today, name.clone()))?;
    let after = ConsultationOut::new(saved.into_inner(), today, name);
    if changed {
        AuditEvent::by(
            caller.id(),
            "consultation.edited",
            EntityKind::Consultation,
            id,
        )
        .forum(after.forum_id)
        .changes(audit::diff(&before, &audit::snapshot(&after)?))
        .record(&txn, now)
        .await?;
        txn.commit().await?;
    }
    Ok(after)
}

/// The details as they would be (422 naming each invalid field); what goes
/// only with a move of the status is refused here.
fn check(current: &consultation::Model, patch: &ConsultationPatch) -> ApiResult<()> {
    let mut v = Validator::default();
    for (given, field) in [
        (patch.submitted_on.is_some(), "submitted_on"),
        (patch.submission_reference.is_some(), "submission_reference"),
        (patch.withdrawn_reason.is_some(), "withdrawn_reason"),
    ] {
        v.check(!given, field, "goes only with a change of status");
    }
    check_details(
        &mut v,
        &Details {
            title: patch.title.as_deref(),
            consulting_body: patch.consulting_body.as_deref(),
            source_url: patch.source_url.clone().flatten().as_deref(),
            description: patch.description.as_deref(),
        },
    );
    let closes_on = patch.closes_on.unwrap_or(current.closes_on);
    let deadline = patch.internal_deadline.unwrap_or(current.internal_deadline);
    v.check(
        deadline <= closes_on,
        "internal_deadline",
        "must be no later than closes_on",
    );
    v.finish()
}
