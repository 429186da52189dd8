//! Correcting an award, or withdrawing it, always with a reason; reading
//! one award and every state it has had. A correction is what keeps a
//! region's funding shares true: an amount typed as £1,000,000 instead of
//! £10,000 would otherwise stand in them forever.

use chrono::{DateTime, Utc};
use entity::{
    AwardStatus, OpportunityState, award, award_group, award_revision, opportunity, organisation,
    organisation_led_by,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::award_types::{AwardNames, AwardOut, AwardPatch, AwardRevisionOut, RevisionNames};
use super::queries::{lock, region_forum, region_of};
use super::rules::check_award;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::limits;
use crate::kernel::names::{
    Named, Names, People, organisation_name, people_of_region, person_name,
};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::patch::Apply;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

crate::versioned!(entity::award::Entity, "award", status);

/// Keeps the award as it now stands in its history, with why it changed
/// (`None` for the award as made).
pub async fn keep_revision(
    conn: &impl ConnectionTrait,
    award: &award::Model,
    reason: Option<String>,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    award_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        award_id: Set(award.id),
        version: Set(award.version),
        organisation_id: Set(award.organisation_id),
        recipient_name: Set(award.recipient_name.clone()),
        amount_pence: Set(award.amount_pence),
        starts_on: Set(award.starts_on),
        ends_on: Set(award.ends_on),
        size_band: Set(award.size_band),
        in_supply_chain: Set(award.in_supply_chain),
        status: Set(award.status),
        reason: Set(reason),
        changed_by: Set(by),
        changed_at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(())
}

async fn load_award(conn: &impl ConnectionTrait, id: Uuid) -> ApiResult<award::Model> {
    award::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ApiError::not_found("award"))
}

async fn groups_of(
    conn: &impl ConnectionTrait,
    award_id: Uuid,
) -> Result<Vec<entity::LedByAndFor>, DbErr> {
    let mut groups: Vec<_> = award_group::Entity::find()
        .filter(award_group::Column::AwardId.eq(award_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| g.category)
        .collect();
    groups.sort();
    Ok(groups)
}

/// One award (public); who recorded it is named to those who take part in
/// the region's forum.
pub async fn get_award(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
) -> ApiResult<AwardOut> {
    let award = load_award(&state.db, id).await?;
    let people = people_of_region(&state.db, region_of(award.opportunity_id), caller).await?;
    let groups = groups_of(&state.db, id).await?;
    let names = Names::load(
        &state.db,
        people,
        [award.created_by],
        [award.organisation_id],
    )
    .await?;
    let names = AwardNames::among(&names, &award);
    Ok(AwardOut::new(award, groups, names))
}

/// Corrects an award or withdraws it (the region's RPD staff, admins),
/// with a `reason` and the version read in `If-Match` (428 without it, 412
/// when stale). A corrected organisation's standing is taken as it is now;
/// a withdrawn award counts in no report, cannot change again (409), and
/// leaves an opportunity with no standing award no longer `awarded`. Each
/// change is kept in the award's history and the audit trail. A change
/// that changes nothing keeps the version.
pub async fn change_award(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    patch: AwardPatch,
    if_match: &IfMatch,
) -> ApiResult<AwardOut> {
    let read = load_award(&state.db, id).await?;
    let region_id = opportunity::Entity::find_by_id(read.opportunity_id)
        .select_only()
        .column(opportunity::Column::RegionId)
        .into_tuple::<Uuid>()
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("award"))?;
    require_plan_editor(&state.db, region_id, Some(caller)).await?;
    // Withdrawal is final, so refusing on what was read is safe.
    not_withdrawn(&read)?;
    validate(&read, &patch)?;
    if_match.require(read.version)?;
    let forum = region_forum(&state.db, region_id).await?.map(|f| f.id);

    let txn = begin_write(&state.db).await?;
    // Awards and their opportunity's status change under its lock, as
    // recording an award does.
    let opportunity = lock(&txn, read.opportunity_id).await?;
    let current = load_award(&txn, id).await?;
    if_match.check(current.version)?;
    not_withdrawn(&current)?;
    let reason = patch.reason.trim().to_string();
    let (changes, groups) = changes(&txn, &current, patch).await?;
    // The names before and after, for the answer and the trail. Whoever may
    // correct an award (the region's RPD staff, admins) takes part in the
    // region's forum, so is shown people's names.
    let names = Names::load(
        &txn,
        People::Named,
        [current.created_by],
        [
            current.organisation_id,
            changes.organisation_id.try_as_ref().copied().flatten(),
        ],
    )
    .await?;
    if !changes.is_changed() {
        txn.commit().await?;
        let groups = groups_of(&state.db, id).await?;
        let named = AwardNames::among(&names, &current);
        return Ok(AwardOut::new(current, groups, named));
    }
    let now = state.clock.now();
    let was_named = AwardNames::among(&names, &current);
    let before = AwardOut::new(current.clone(), groups_of(&txn, id).await?, was_named);
    let saved = versioning::save::<award::Entity>(&txn, &current, changes, if_match, now)
        .await?
        .into_inner();
    if let Some(groups) = &groups {
        replace_groups(&txn, id, groups).await?;
    }
    keep_revision(&txn, &saved, Some(reason.clone()), Some(caller.id()), now).await?;
    let withdrawn = saved.status == AwardStatus::Withdrawn;
    if withdrawn {
        reopen_if_unawarded(&txn, &opportunity, now).await?;
    }
    let now_named = AwardNames::among(&names, &saved);
    let out = AwardOut::new(
        saved,
        groups.unwrap_or_else(|| before.led_by_and_for.clone()),
        now_named,
    );
    let mut diff = audit::diff(&audit::snapshot(&before)?, &audit::snapshot(&out)?);
    diff["reason"] = json!(reason);
    let action = if withdrawn {
        "award.withdrawn"
    } else {
        "award.corrected"
    };
    AuditEvent::by(caller.id(), action, EntityKind::Award, id)
        .forum_of(forum)
        .changes(diff)
        .record(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(out)
}

fn not_withdrawn(award: &award::Model) -> ApiResult<()> {
    if award.status == AwardStatus::Withdrawn {
        Err(ApiError::Conflict(
            "this award was withdrawn; it can no longer be changed".into(),
        ))
    } else {
        Ok(())
    }
}

/// The award as the request would leave it must keep the rules an award is
/// made under, and the change needs a reason (422 naming each field).
fn validate(award: &award::Model, patch: &AwardPatch) -> ApiResult<()> {
    let mut v = Validator::default();
    v.rule::<limits::AwardChangeReason>(&patch.reason, "reason");
    let organisation_id = patch.organisation_id.unwrap_or(award.organisation_id);
    let recipient_name = patch
        .recipient_name
        .clone()
        .unwrap_or(award.recipient_name.clone());
    check_award(
        &mut v,
        organisation_id,
        recipient_name.as_deref(),
        patch.amount_pence.unwrap_or(award.amount_pence),
        patch.starts_on.unwrap_or(award.starts_on),
        patch.ends_on.unwrap_or(award.ends_on),
    );
    v.finish()
}

/// The columns the request changes, and the led-by-and-for groups to keep
/// when it names another organisation (read, with its standing, in this
/// transaction). The award moves only as its status's `can_become` allows
/// (409 otherwise).
async fn changes(
    txn: &DatabaseTransaction,
    award: &award::Model,
    patch: AwardPatch,
) -> ApiResult<(award::ActiveModel, Option<Vec<entity::LedByAndFor>>)> {
    let mut changes = award.clone().into_active_model();
    let mut groups = None;
    match patch.organisation_id {
        Some(Some(organisation_id)) if Some(organisation_id) != award.organisation_id => {
            let recipient = organisation::Entity::find_by_id(organisation_id)
                .one(txn)
                .await?
                .ok_or_else(|| ApiError::invalid("organisation_id", "is not an organisation"))?;
            changes.size_band.set_ne(Some(recipient.size_band));
            changes
                .in_supply_chain
                .set_ne(Some(recipient.in_supply_chain));
            let mut now_led_by: Vec<_> = organisation_led_by::Entity::find()
                .filter(organisation_led_by::Column::OrganisationId.eq(organisation_id))
                .all(txn)
                .await?
                .into_iter()
                .map(|g| g.category)
                .collect();
            now_led_by.sort();
            groups = Some(now_led_by);
        }
        Some(None) => {
            // An outside body has no standing of its own to keep.
            changes.size_band.set_ne(None);
            changes.in_supply_chain.set_ne(None);
            groups = Some(Vec::new());
        }
        Some(Some(_)) | None => {}
    }
    if let Some(to) = patch.status.filter(|to| *to != award.status) {
        if !award.status.can_become(to) {
            return Err(ApiError::transition(
                "award",
                award.status.as_str(),
                to.as_str(),
            ));
        }
        changes.status = Set(to);
        changes.withdrawn_reason = Set(Some(patch.reason.trim().to_string()));
    }
    patch.apply(&mut changes);
    Ok((changes, groups))
}

async fn replace_groups(
    txn: &DatabaseTransaction,
    award_id: Uuid,
    groups: &[entity::LedByAndFor],
) -> Result<(), DbErr> {
    award_group::Entity::delete_many()
        .filter(award_group::Column::AwardId.eq(award_id))
        .exec(txn)
        .await?;
    if !groups.is_empty() {
        award_group::Entity::insert_many(groups.iter().map(|category| award_group::ActiveModel {
            award_id: Set(award_id),
            category: Set(*category),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// An opportunity whose last standing award is withdrawn is no longer
/// awarded: it is published again (open or closed by its dates).
async fn reopen_if_unawarded(
    txn: &DatabaseTransaction,
    opportunity: &opportunity::Model,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if !opportunity.status.can_become(OpportunityState::Published) {
        return Ok(());
    }
    let standing = award::Entity::find()
        .filter(award::Column::OpportunityId.eq(opportunity.id))
        .filter(award::Column::Status.eq(AwardStatus::Awarded))
        .one(txn)
        .await?;
    if standing.is_none() {
        let mut changes = opportunity.clone().into_active_model();
        changes.status = Set(OpportunityState::Published);
        versioning::save::<opportunity::Entity>(txn, opportunity, changes, &IfMatch::none(), now)
            .await?;
    }
    Ok(())
}

/// Every state the award has had, oldest first (public): as made, then
/// after each correction or its withdrawal, with why. Who changed it is
/// named to those who take part in the region's forum.
pub async fn award_history(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<AwardRevisionOut>> {
    let award = load_award(&state.db, id).await?;
    let people = people_of_region(&state.db, region_of(award.opportunity_id), caller).await?;
    let page = PageRequest::<i32>::new(query.limit, query.cursor.as_deref())?;
    let mut select = award_revision::Entity::find().filter(award_revision::Column::AwardId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(award_revision::Column::Version.gt(after));
    }
    let col = |c: award_revision::Column| (award_revision::Entity, c);
    let rows = select
        .column_as(
            organisation_name(col(award_revision::Column::OrganisationId)),
            "organisation_name",
        )
        .column_as(
            person_name(col(award_revision::Column::ChangedBy), people),
            "changed_by_name",
        )
        .order_by_asc(award_revision::Column::Version)
        .limit(page.fetch())
        .into_model::<Named<award_revision::Model, RevisionNames>>()
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |r| r.record.version,
        |r| AwardRevisionOut::new(r.record, r.names),
    ))
}
