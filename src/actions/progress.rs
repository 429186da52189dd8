//! An action's progress log: notes of what happened, each of which may move
//! its status.

use entity::{action_item, action_update};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, Select, SelectModel, Selector, Set,
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
    let rows = with_authors(
        select
            .order_by_asc(action_update::Column::Id)
            .limit(page.fetch()),
    )
    .all(&state.db)
    .await?;
    Ok(page.finish(
        rows,
        |u| u.record.id,
        |u| UpdateOut::new(u.record, u.names.one_name),
    ))
}

/// The newest `limit` notes of the action's log, newest first, and
/// whether there are older ones (one statement). For a caller whose
/// access to the action has been checked.
pub(super) async fn latest_progress(
    conn: &impl ConnectionTrait,
    id: Uuid,
    limit: u64,
) -> ApiResult<(Vec<UpdateOut>, bool)> {
    let select = action_update::Entity::find()
        .filter(action_update::Column::ActionId.eq(id))
        .order_by_desc(action_update::Column::Id)
        .limit(limit + 1);
    let mut rows = with_authors(select).all(conn).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok((
        rows.into_iter()
            .map(|u| UpdateOut::new(u.record, u.names.one_name))
            .collect(),
        more,
    ))
}

/// Notes read with their authors' names in the same statement. Only the
/// forum's participants read the log, so authors are named.
fn with_authors(
    select: Select<action_update::Entity>,
) -> Selector<SelectModel<Named<action_update::Model, OneName>>> {
    let author = person_name(
        (action_update::Entity, action_update::Column::AuthorId),
        People::of_participants(),
    );
    select
        .column_as(author, ONE_NAME)
        .into_model::<Named<action_update::Model, OneName>>()
}

/// Logs progress on an action, optionally moving its status in the same
/// step (officers, and the members of the organisation that owns it): the
/// note and the move are one transaction, both written or neither. The
/// status moves only if nobody moved it meanwhile (409 otherwise). With
/// `if_match` (the version a form was read at) the note is conditional on
/// it too (412 when stale) and raises the version even without a move, so
/// that of two people writing from one reading exactly one is saved.
/// Gives the note and the action's version now.
pub async fn log_progress(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
    input: UpdateIn,
    if_match: &IfMatch,
) -> ApiResult<(UpdateOut, i32)> {
    let (action, access) =
        access::load_visible::<action_item::Entity>(&state.db, id, Some(caller)).await?;
    access.require(ForumAction::UpdateAction {
        owner_organisation_id: action.owner_organisation_id,
    })?;
    Validator::default()
        .rule::<limits::UpdateBody>(&input.body, "body")
        .finish()?;
    if_match.check(action.version)?;
    let now = state.clock.now();
    let from = action.status;
    let status_to = input.status.filter(|s| *s != from);
    let mut changes = action.clone().into_active_model();
    if let Some(to) = status_to {
        move_status(&mut changes, from, to, now)?;
    }
    let txn = begin_write(&state.db).await?;
    let saved = if status_to.is_none() && if_match.sent() {
        versioning::touch::<action_item::Entity>(&txn, &action, if_match, now).await?
    } else {
        versioning::save::<action_item::Entity>(&txn, &action, changes, if_match, now)
            .await?
            .into_inner()
    };
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
    let out = UpdateOut::new(update, Some(caller.user.display_name.clone()));
    Ok((out, saved.version))
}
