use axum::extract::State;
use entity::{action_item, action_update};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries::move_status;
use super::types::{UpdateIn, UpdateOut};
use crate::counters::{self, ActionFacts};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::ForumAction;
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::ApiResult;
use crate::kernel::events::{self, Event, Kind};
use crate::kernel::limits;
use crate::kernel::pagination::{Page, PageQuery, PageRequest};
use crate::kernel::state::AppState;
use crate::kernel::validation::Validator;
use crate::kernel::versioning::{self, IfMatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_updates, add_update))
}

/// The action's progress log, oldest first (the forum's participants).
#[utoipa::path(
    get,
    path = "/actions/{id}/updates",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Action id"), PageQuery),
    responses(
        (status = 200, description = "A page of progress updates", body = Page<UpdateOut>),
        (status = 404, description = "No such action, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn list_updates(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<UpdateOut>>> {
    crate::kernel::access::load_visible::<entity::action_item::Entity>(&state.db, id, Some(&user))
        .await?;
    let page = PageRequest::<Uuid>::new(query.limit, query.cursor.as_deref())?;
    let mut select = action_update::Entity::find().filter(action_update::Column::ActionId.eq(id));
    if let Some(after) = page.after {
        select = select.filter(action_update::Column::Id.gt(after));
    }
    let rows = select
        .order_by_asc(action_update::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    Ok(Json(page.finish(rows, |u| u.id, UpdateOut::from)))
}

/// Log progress on an action, optionally moving its status in the same step
/// (officers, and the members of the organisation that owns it).
#[utoipa::path(
    post,
    path = "/actions/{id}/updates",
    tag = "actions",
    params(("id" = Uuid, Path, description = "Action id")),
    request_body = UpdateIn,
    responses(
        (status = 201, description = "Update logged", body = UpdateOut),
        (status = 404, description = "No such action, or not yours to see", body = crate::http::problem::Problem),
        (status = 409, description = "Not a move the action can make", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn add_update(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(input): Json<UpdateIn>,
) -> ApiResult<Created<UpdateOut>> {
    let (action, access) = crate::kernel::access::load_visible::<entity::action_item::Entity>(
        &state.db,
        id,
        Some(&user),
    )
    .await?;
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
    // The status moves only if nobody moved it meanwhile (409 otherwise).
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
        author_id: Set(Some(user.id())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    events::emit(
        &txn,
        now,
        Event::action_moved(
            Kind::ActionProgress,
            from,
            &saved,
            Some(user.id()),
            Some(&update.body),
        ),
    )
    .await?;
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "action.progress-logged", EntityKind::Action, id)
            .forum(action.forum_id)
            .changes(json!({"update_id": update.id, "status": status_to.map(|to| json!({"from": from, "to": to}))})),
    )
    .await?;
    txn.commit().await?;
    let location = format!("/api/v1/actions/{id}/updates");
    Ok(Created::at(location, UpdateOut::from(update)))
}
