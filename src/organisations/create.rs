//! Registering an organisation.

use entity::{organisation, user};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::queries;
use super::types::{OrganisationIn, OrganisationOut, clean};
use crate::kernel::access::{self, AuthUser};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::state::AppState;

/// Registers an organisation. Someone who belongs to no organisation
/// registers theirs and is linked to it (409 when they already belong to
/// one); admins register organisations on others' behalf, unlinked. The
/// unique index of charity numbers decides a second registration of one
/// (409), also when both are made at the same moment.
pub async fn create(
    state: &AppState,
    caller: &AuthUser,
    input: OrganisationIn,
) -> ApiResult<OrganisationOut> {
    input.validate()?;
    let links_creator = access::registers_own_organisation(caller);
    if links_creator && caller.user.organisation_id.is_some() {
        return Err(already_linked());
    }
    let region_ids = queries::region_ids(&state.db, &input.regions_served).await?;
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let org = organisation::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(input.name.trim().to_string()),
        charity_number: Set(clean(input.charity_number)),
        website: Set(clean(input.website)),
        description: Set(input.description.trim().to_string()),
        size_band: Set(input.size_band),
        in_supply_chain: Set(input.in_supply_chain),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(charity_number_taken)?;
    queries::replace_children(
        &txn,
        org.id,
        Some(&input.led_by_and_for),
        Some(&input.themes),
        Some(&region_ids),
    )
    .await?;
    if links_creator {
        // Linked only if still unlinked: of two organisations registered at
        // the same moment by one person, the second is refused and undone.
        let linked = user::Entity::update_many()
            .col_expr(user::Column::OrganisationId, Expr::value(org.id))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::Id.eq(caller.id()))
            .filter(user::Column::OrganisationId.is_null())
            .exec(&txn)
            .await?;
        if linked.rows_affected == 0 {
            return Err(already_linked());
        }
    }
    let out = queries::find(&txn, org.id)
        .await?
        .ok_or_else(|| ApiError::internal("organisation vanished inside its own transaction"))?;
    AuditEvent::by(
        caller.id(),
        "organisation.created",
        EntityKind::Organisation,
        out.id,
    )
    .changes(audit::snapshot(&out)?)
    .record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(out)
}

fn already_linked() -> ApiError {
    ApiError::Conflict("you already belong to an organisation; edit that one instead".into())
}

/// The conflict of the unique index on `charity_number`.
pub(super) fn charity_number_taken() -> String {
    "an organisation with this charity number is already registered".into()
}
