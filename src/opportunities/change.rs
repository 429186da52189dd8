//! Editing an opportunity, or withdrawing it with a reason.

use entity::{OpportunityState, opportunity};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::publish::check_commitments;
use super::queries::{lists_of_one, load, lock, region_forum, write_lists};
use super::rules::{
    check_commissioner, check_dates, check_texts, check_value, distinct, localities,
};
use super::types::{Lists, OpportunityOut, OpportunityPatch, OpportunityStatus};
use crate::consultations::london_today;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::names::{Names, People};
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// What the request would make of the opportunity, once valid.
struct Wanted {
    localities: Option<Vec<String>>,
    lists: Option<Lists>,
}

/// Edits an opportunity or withdraws it (the region's RPD staff, admins),
/// with the version read in `If-Match` (428 without it, 412 when stale).
/// Lists replace the opportunity's. It moves to `withdrawn` only as its
/// state's `can_become` allows (not once awarded: 409), and a withdrawn one
/// does not change (409). A change that changes nothing leaves the version
/// as it is.
pub async fn change(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: OpportunityPatch,
    if_match: &IfMatch,
) -> ApiResult<OpportunityOut> {
    let read = load(&state.db, id).await?;
    require_plan_editor(&state.db, read.region_id, Some(caller)).await?;
    // Withdrawal is final, so refusing on what was read is safe.
    not_withdrawn(&read)?;
    let wanted = validate(state, &read, &patch).await?;
    if_match.require(read.version)?;
    let region = crate::forums::region_code(&state.db, read.region_id).await?;
    let forum = region_forum(&state.db, read.region_id).await?.map(|f| f.id);

    let txn = begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    if_match.check(current.version)?;
    not_withdrawn(&current)?;
    let now = state.clock.now();
    let today = london_today(now);
    let lists = lists_of_one(&txn, id).await?;
    // Whoever may edit (the region's RPD staff, admins) takes part in the
    // region's forum, so is shown people's names.
    let name = Names::load(&txn, People::Named, [current.created_by], [])
        .await?
        .person(current.created_by);
    let changes = changes(&current, patch, wanted.localities)?;
    let new_lists = wanted.lists.filter(|wanted| *wanted != lists);
    let saved = if changes.is_changed() {
        versioning::save::<opportunity::Entity>(&txn, &current, changes, if_match, now)
            .await?
            .into_inner()
    } else if new_lists.is_some() {
        versioning::touch::<opportunity::Entity>(&txn, &current, if_match, now).await?
    } else {
        txn.commit().await?;
        return Ok(OpportunityOut::new(current, region, lists, today, name));
    };
    if let Some(new_lists) = &new_lists {
        write_lists(&txn, id, new_lists).await?;
    }
    let before = audit::snapshot(&OpportunityOut::new(
        current,
        region.clone(),
        lists.clone(),
        today,
        name.clone(),
    ))?;
    let lists = new_lists.unwrap_or(lists);
    let out = OpportunityOut::new(saved, region, lists, today, name);
    let action = if out.status == OpportunityStatus::Withdrawn {
        "opportunity.withdrawn"
    } else {
        "opportunity.updated"
    };
    AuditEvent::by(caller.id(), action, EntityKind::Opportunity, id)
        .forum_of(forum)
        .changes(audit::diff(&before, &audit::snapshot(&out)?))
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}

fn not_withdrawn(o: &opportunity::Model) -> ApiResult<()> {
    if o.status == OpportunityState::Withdrawn {
        Err(ApiError::Conflict(
            "this opportunity was withdrawn; it can no longer be changed".into(),
        ))
    } else {
        Ok(())
    }
}

/// Every field of the request, and how they fit the opportunity as it
/// would be (422 naming each that does not).
async fn validate(
    state: &AppState,
    o: &opportunity::Model,
    patch: &OpportunityPatch,
) -> ApiResult<Wanted> {
    let mut v = Validator::default();
    check_texts(
        &mut v,
        patch.title.as_deref(),
        patch.description.as_deref(),
        patch.commissioner_name.clone().flatten().as_deref(),
    );
    if patch.commissioner.is_some() || patch.commissioner_name.is_some() {
        let name = patch
            .commissioner_name
            .clone()
            .unwrap_or(o.commissioner_name.clone());
        check_commissioner(
            &mut v,
            patch.commissioner.unwrap_or(o.commissioner),
            name.as_deref(),
        );
    }
    if patch.value_band.is_some() || patch.amount_pence.is_some() {
        check_value(
            &mut v,
            patch.value_band.unwrap_or(o.value_band),
            patch.amount_pence.unwrap_or(o.amount_pence),
        );
    }
    if patch.opens_on.is_some() || patch.closes_on.is_some() {
        check_dates(
            &mut v,
            patch.opens_on.unwrap_or(o.opens_on),
            patch.closes_on.unwrap_or(o.closes_on),
        );
    }
    let places = patch
        .localities
        .as_deref()
        .map(|given| localities(&mut v, given));
    if let Some(ids) = &patch.commitment_ids {
        check_commitments(state, &mut v, o.region_id, &distinct(ids)).await?;
    }
    let withdrawing = patch.status == Some(OpportunityStatus::Withdrawn);
    v.check(
        patch.status.is_none() || withdrawing,
        "status",
        "only \"withdrawn\" can be set; an opportunity's other statuses follow from its dates \
         and awards",
    );
    match &patch.withdrawn_reason {
        Some(reason) if withdrawing => {
            v.rule::<limits::WithdrawnReason>(reason, "withdrawn_reason");
        }
        Some(_) => {
            v.check(
                false,
                "withdrawn_reason",
                "only a withdrawn opportunity has a reason; send it with \"status\": \"withdrawn\"",
            );
        }
        None => {
            v.check(
                !withdrawing,
                "withdrawn_reason",
                "is required to withdraw an opportunity",
            );
        }
    }
    v.finish()?;
    let any_list =
        patch.themes.is_some() || patch.led_by_and_for.is_some() || patch.commitment_ids.is_some();
    let lists = if any_list {
        let current = lists_of_one(&state.db, o.id).await?;
        let mut lists = Lists {
            themes: patch.themes.as_deref().map_or(current.themes, distinct),
            led_by_and_for: patch
                .led_by_and_for
                .as_deref()
                .map_or(current.led_by_and_for, distinct),
            commitment_ids: patch
                .commitment_ids
                .as_deref()
                .map_or(current.commitment_ids, distinct),
        };
        lists.themes.sort();
        lists.led_by_and_for.sort();
        lists.commitment_ids.sort();
        Some(lists)
    } else {
        None
    };
    Ok(Wanted {
        localities: places,
        lists,
    })
}

/// The columns the request changes (values equal to the stored ones are
/// not changes), once the opportunity's state allows them (409 otherwise).
fn changes(
    o: &opportunity::Model,
    patch: OpportunityPatch,
    localities: Option<Vec<String>>,
) -> ApiResult<opportunity::ActiveModel> {
    let mut changes = o.clone().into_active_model();
    if patch.status == Some(OpportunityStatus::Withdrawn) {
        let to = OpportunityState::Withdrawn;
        if !o.status.can_become(to) {
            return Err(ApiError::transition(
                "opportunity",
                o.status.as_str(),
                to.as_str(),
            ));
        }
        changes.status = Set(to);
        changes.withdrawn_reason = Set(patch
            .withdrawn_reason
            .as_ref()
            .map(|r| r.trim().to_string()));
    }
    if let Some(places) = localities {
        changes.localities.set_ne(serde_json::json!(places));
    }
    patch.apply(&mut changes);
    Ok(changes)
}
