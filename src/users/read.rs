//! Reading user accounts (admins).

use entity::user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::types::UserQuery;
use crate::auth::UserOut;
use crate::kernel::access::{self, AuthUser};
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

/// Every account, oldest first, optionally of one organisation or only the
/// (not) disabled ones.
pub async fn list(
    state: &AppState,
    caller: &AuthUser,
    query: UserQuery,
) -> ApiResult<Page<UserOut>> {
    access::require_admin(caller)?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = user::Entity::find();
    if let Some(organisation_id) = query.organisation_id {
        select = select.filter(user::Column::OrganisationId.eq(organisation_id));
    }
    if let Some(disabled) = query.disabled {
        select = select.filter(user::Column::Disabled.eq(disabled));
    }
    if let Some(after) = page.after {
        select = select.filter(user::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(user::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(page.finish(rows, |u| u.id, UserOut::from))
}

/// One account.
pub async fn get(state: &AppState, caller: &AuthUser, id: Uuid) -> ApiResult<UserOut> {
    access::require_admin(caller)?;
    user::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .map(UserOut::from)
        .ok_or_else(|| ApiError::not_found("user"))
}
