//! An action's progress log: notes of what happened, each of which may move
//! its status.

use entity::{action_item, action_update};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::events;
use super::queries::move_status;
use super::types::{UpdateIn, UpdateOut};
use crate::counters::{self, ActionFacts};
use crate::kernel::access::{self, AuthUser, ForumAction};
use crate::kernel::audit::{AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::events::Kind;
use crate::kernel::limits;
use crate::kernel::names::{Named, ONE_NAME, OneName, People, person_name};
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

/// The action's progress log, oldest first (the forum's participants).
pub async fn progress(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    query: PageQuery,
) -> ApiResult<Page<UpdateOut>> {
    access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = action_update::Entity::find().filter(action_update::Column::ActionId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(action_update::Column::Id.gt(after));
    }
    // Only the forum's participants read the log: authors are named.
    let author = person_name(
        (action_update::Entity, action_update::Column::AuthorId),
        People::of_participants(),
    );
    let rows = select
        .column_as(author, ONE_NAME)
        .order_by_asc(action_update::Column::Id)
        .limit(page.fetch())
        .into_model::<Named<action_update::Model, OneName>>()
        .all(&state.db)
        .await?;
    Ok(page.finish(
        rows,
        |u| u.record.id,
        |u| UpdateOut::new(u.record, u.names.one_name),
    ))
}

/// Logs progress on an action, optionally moving its status in the same
/// step (officers, and the members of the organisation that owns it). The
/// status moves only if nobody moved it meanwhile (409 otherwise).
pub async fn log_progress(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: UpdateIn,
) -> ApiResult<UpdateOut> {
    let (action, access) =
        access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    Validator::default()
        .rule::<limits::UpdateBody>(&input.body, "body")
        .finish()?;
    let now = state.clock.now();
    let from = action.status;
    let status_to = input.status.filter(|s| *s != from);
    let mut changes = action.clone().into_active_model();
    if let Some(to) = status_to {
        move_status(&mut changes, from, to, now)?;
    }
    let txn = begin_write(&state.db).await?;
    let saved =
        versioning::save::<action_item::Entity>(&txn, &action, changes, &IfMatch::none(), now)
            .await?
            .into_inner();
    counters::action_changed(&txn, id, ActionFacts::of(&action), ActionFacts::of(&saved)).await?;
    let update = action_update::ActiveModel {
        id: Set(Uuid::now_v7()),
        action_id: Set(id),
        body: Set(input.body.trim().to_string()),
        status_from: Set(status_to.map(|_| from)),
        status_to: Set(status_to),
        author_id: Set(Some(caller.id())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let told = events::moved(
        Kind::ActionProgress,
        from,
        &saved,
        Some(caller.id()),
        Some(&update.body),
    );
    crate::kernel::events::emit(&txn, now, told).await?;
    AuditEvent::by(caller.id(), "action.progress-logged", EntityKind::Action, id)
            .forum(action.forum_id)
            .changes(json!({"update_id": update.id, "status": status_to.map(|to| json!({"from": from, "to": to}))}))
.record(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(UpdateOut::new(
        update,
        Some(caller.user.display_name.clone()),
    ))
}
