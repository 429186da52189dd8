//! Recording awards under an opportunity, and reading them.

use entity::{
    AwardStatus, OpportunityState, award, award_group, opportunity, organisation,
    organisation_led_by,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use uuid::Uuid;

use super::award_changes::keep_revision;
use super::award_types::{AwardIn, AwardNames, AwardOut};
use super::queries::{awards_of, load, lock, region_forum};
use super::rules::check_award;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::names::people_of_region;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// Records an award under the opportunity (the region's RPD staff,
/// admins): to a Convene organisation or an outside body, exactly one. The
/// organisation's size band, supply-chain standing and led-by-and-for
/// categories are kept as they stand now. The first award makes the
/// opportunity `awarded` (and raises its version); a withdrawn one takes
/// none (409).
pub async fn award(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: AwardIn,
) -> ApiResult<AwardOut> {
    let read = load(&state.db, id).await?;
    require_plan_editor(&state.db, read.region_id, Some(caller)).await?;
    let mut v = Validator::default();
    check_award(
        &mut v,
        input.organisation_id,
        input.recipient_name.as_deref(),
        input.amount_pence,
        input.starts_on,
        input.ends_on,
    );
    v.finish()?;
    let forum = region_forum(&state.db, read.region_id).await?.map(|f| f.id);

    let txn = begin_write(&state.db).await?;
    let current = lock(&txn, id).await?;
    // A further award leaves an awarded opportunity as it is.
    let awarded = OpportunityState::Awarded;
    if current.status != awarded && !current.status.can_become(awarded) {
        return Err(ApiError::transition(
            "opportunity",
            current.status.as_str(),
            awarded.as_str(),
        ));
    }
    // The organisation as it stands, read in the transaction that copies it.
    let recipient = match input.organisation_id {
        Some(organisation_id) => Some(
            organisation::Entity::find_by_id(organisation_id)
                .one(&txn)
                .await?
                .ok_or_else(|| ApiError::invalid("organisation_id", "is not an organisation"))?,
        ),
        None => None,
    };
    let mut groups = match &recipient {
        Some(o) => organisation_led_by::Entity::find()
            .filter(organisation_led_by::Column::OrganisationId.eq(o.id))
            .all(&txn)
            .await?
            .into_iter()
            .map(|g| g.category)
            .collect(),
        None => Vec::new(),
    };
    groups.sort();
    let now = state.clock.now();
    let saved = award::ActiveModel {
        id: Set(Uuid::now_v7()),
        opportunity_id: Set(id),
        organisation_id: Set(recipient.as_ref().map(|o| o.id)),
        recipient_name: Set(input.recipient_name.map(|n| n.trim().to_string())),
        amount_pence: Set(input.amount_pence),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        size_band: Set(recipient.as_ref().map(|o| o.size_band)),
        in_supply_chain: Set(recipient.as_ref().map(|o| o.in_supply_chain)),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        status: Set(AwardStatus::Awarded),
        withdrawn_reason: Set(None),
        version: Set(1),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    keep_revision(&txn, &saved, None, Some(caller.id()), now).await?;
    if !groups.is_empty() {
        award_group::Entity::insert_many(groups.iter().map(|category| award_group::ActiveModel {
            award_id: Set(saved.id),
            category: Set(*category),
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    if current.status != awarded {
        let mut changes = current.clone().into_active_model();
        changes.status = Set(awarded);
        versioning::save::<opportunity::Entity>(&txn, &current, changes, &IfMatch::none(), now)
            .await?;
    }
    // Whoever may award (the region's RPD staff, admins) takes part in the
    // region's forum, so is shown people's names: their own here.
    let names = AwardNames {
        organisation_name: recipient.map(|o| o.name),
        created_by_name: Some(caller.user.display_name.clone()),
    };
    let out = AwardOut::new(saved, groups, names);
    AuditEvent::by(
        caller.id(),
        "opportunity.awarded",
        EntityKind::Award,
        out.id,
    )
    .forum_of(forum)
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// The opportunity's awards, oldest first (public), withdrawn ones too
/// (marked so; they count in no report). Who recorded each is named to
/// those who take part in the region's forum.
pub async fn awards(
    state: &AppState,
    caller: Option<&AuthUser>,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<AwardOut>> {
    let found = load(&state.db, id).await?;
    let people = people_of_region(&state.db, Expr::val(found.region_id), caller).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let rows = awards_of(&state.db, id, page.after, Some(page.fetch()), people).await?;
    Ok(page.finish(rows, |a| a.id, |a| a))
}
