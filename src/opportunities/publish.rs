//! Publishing an opportunity for a region.

use entity::{OpportunityState, opportunity};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

use super::queries::{not_of_current_plan, region_forum, write_lists};
use super::rules::{
    check_commissioner, check_dates, check_texts, check_value, distinct, localities,
};
use super::types::{Lists, OpportunityIn, OpportunityOut};
use crate::consultations::london_today;
use crate::kernel::access::{AuthUser, require_plan_editor};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::regions;

/// Publishes a funding opportunity for the region (the region's RPD
/// staff, admins): a value band, an amount in pence, or both (the amount
/// within the band); `closes_on` on or after `opens_on`;
/// `commissioner_name` when the commissioner is `other`; linked commitments
/// of the region's current plan (422 naming each field that is not).
pub async fn publish(
    state: &AppState,
    caller: &AuthUser,
    code: &str,
    input: OpportunityIn,
) -> ApiResult<OpportunityOut> {
    let region = regions::find_by_code(&state.db, code).await?;
    require_plan_editor(&state.db, region.id, Some(caller)).await?;
    let mut v = Validator::default();
    check_texts(
        &mut v,
        Some(&input.title),
        Some(&input.description),
        input.commissioner_name.as_deref(),
    );
    check_commissioner(
        &mut v,
        input.commissioner,
        input.commissioner_name.as_deref(),
    );
    check_value(&mut v, input.value_band, input.amount_pence);
    check_dates(&mut v, input.opens_on, input.closes_on);
    let places = localities(&mut v, &input.localities);
    let lists = Lists {
        themes: distinct(&input.themes),
        led_by_and_for: distinct(&input.led_by_and_for),
        commitment_ids: distinct(&input.commitment_ids),
    };
    check_commitments(state, &mut v, region.id, &lists.commitment_ids).await?;
    v.finish()?;

    let now = state.clock.now();
    let forum = region_forum(&state.db, region.id).await?.map(|f| f.id);
    let txn = begin_write(&state.db).await?;
    let saved = opportunity::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_id: Set(region.id),
        title: Set(input.title.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        mechanism: Set(input.mechanism),
        commissioner: Set(input.commissioner),
        commissioner_name: Set(input.commissioner_name.map(|n| n.trim().to_string())),
        value_band: Set(input.value_band),
        amount_pence: Set(input.amount_pence),
        opens_on: Set(input.opens_on),
        closes_on: Set(input.closes_on),
        localities: Set(serde_json::json!(places)),
        status: Set(OpportunityState::Published),
        withdrawn_reason: Set(None),
        version: Set(1),
        created_by: Set(Some(caller.id())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    write_lists(&txn, saved.id, &lists).await?;
    let mut sorted = lists;
    sorted.themes.sort();
    sorted.led_by_and_for.sort();
    sorted.commitment_ids.sort();
    // Whoever may publish (the region's RPD staff, admins) takes part in
    // the region's forum, so is shown people's names: their own here.
    let name = Some(caller.user.display_name.clone());
    let out = OpportunityOut::new(saved, region.code, sorted, london_today(now), name);
    AuditEvent::by(
        caller.id(),
        "opportunity.published",
        EntityKind::Opportunity,
        out.id,
    )
    .forum_of(forum)
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// 422 on `commitment_ids` naming those not of the region's current plan.
pub(super) async fn check_commitments(
    state: &AppState,
    v: &mut Validator,
    region_id: Uuid,
    ids: &[Uuid],
) -> ApiResult<()> {
    let strays = not_of_current_plan(&state.db, region_id, ids).await?;
    let named: Vec<String> = strays.iter().map(Uuid::to_string).collect();
    v.check(
        strays.is_empty(),
        "commitment_ids",
        &format!(
            "not commitments of the region's current plan: {}",
            named.join(", ")
        ),
    );
    Ok(())
}
