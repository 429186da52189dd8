use axum::extract::State;
use entity::forum;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::queries;
use super::types::{
    DEFAULT_ISSUE_RESPONSE_DAYS, ForumDetail, ForumIn, ForumOut, ForumPatch, ForumQuery,
    PaperStorage,
};
use crate::http::extract::{Json, Path, Query};
use crate::http::responses::Created;
use crate::kernel::access::AuthUser;
use crate::kernel::access::{ForumAccess, ForumAction, require_admin};
use crate::kernel::audit::{self, AuditEvent, EntityKind};
use crate::kernel::db::begin_write;
use crate::kernel::error::{ApiError, ApiResult, OrConflict};
use crate::kernel::pagination::{Page, PageRequest, after_key};
use crate::kernel::state::AppState;
use crate::regions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_forums, create_forum))
        .routes(routes!(get_forum, patch_forum))
}

/// The forums, by name (public).
#[utoipa::path(
    get,
    path = "/forums",
    tag = "forums",
    params(ForumQuery),
    responses((status = 200, description = "A page of forums", body = Page<ForumOut>))
)]
async fn list_forums(
    State(state): State<AppState>,
    Query(query): Query<ForumQuery>,
) -> ApiResult<Json<Page<ForumOut>>> {
    let page = PageRequest::<(String, Uuid)>::new(query.limit, query.cursor.as_deref())?;
    let mut select = forum::Entity::find();
    if let Some((name, id)) = page.after.clone() {
        select = select.filter(after_key(
            [
                Expr::col((forum::Entity, forum::Column::Name)),
                Expr::col((forum::Entity, forum::Column::Id)),
            ],
            [name.into(), id.into()],
        ));
    }
    let rows = select
        .order_by_asc(forum::Column::Name)
        .order_by_asc(forum::Column::Id)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let codes: std::collections::HashMap<Uuid, String> = regions::all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.code))
        .collect();
    Ok(Json(page.finish(
        rows,
        |f| (f.name.clone(), f.id),
        |f| {
            let code = codes.get(&f.region_id).cloned().unwrap_or_default();
            ForumOut::new(f, code)
        },
    )))
}

/// Create the forum of a region (admins). A region has at most one forum:
/// a second is 409, also when both are created at the same moment.
#[utoipa::path(
    post,
    path = "/forums",
    tag = "forums",
    request_body = ForumIn,
    responses(
        (status = 201, description = "Forum created", body = ForumOut,
         headers(("Location" = String, description = "URL of the new forum"))),
        (status = 409, description = "The region already has a forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn create_forum(
    State(state): State<AppState>,
    user: AuthUser,
    Json(input): Json<ForumIn>,
) -> ApiResult<Created<ForumOut>> {
    require_admin(&user)?;
    input.validate()?;
    let region = regions::find_by_code(&state.db, &input.region)
        .await
        .map_err(|_| {
            ApiError::invalid("region", format!("`{}` is not a region code", input.region))
        })?;
    let region_has_forum = || format!("{} already has a forum", region.name);
    // The unique index on the region decides; reading first only lets the
    // common case skip the write lock.
    if forum::Entity::find()
        .filter(forum::Column::RegionId.eq(region.id))
        .one(&state.db)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(region_has_forum()));
    }
    let now = state.clock.now();
    let txn = begin_write(&state.db).await?;
    let created = forum::ActiveModel {
        id: Set(Uuid::now_v7()),
        region_id: Set(region.id),
        name: Set(input.name.trim().to_string()),
        description: Set(input.description.trim().to_string()),
        terms_of_reference: Set(input.terms_of_reference),
        issue_response_days: Set(input
            .issue_response_days
            .unwrap_or(DEFAULT_ISSUE_RESPONSE_DAYS)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .or_conflict(region_has_forum)?;
    let out = ForumOut::new(created, region.code);
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "forum.created", EntityKind::Forum, out.id)
            .forum(out.id)
            .changes(audit::snapshot(&out)?),
    )
    .await?;
    txn.commit().await?;
    Ok(Created::at(format!("/api/v1/forums/{}", out.id), out))
}

/// One forum, with a summary of its active member organisations (public).
///
/// Its officers (and admins) also get what its papers take in storage,
/// against its limit.
#[utoipa::path(
    get,
    path = "/forums/{id}",
    tag = "forums",
    params(("id" = Uuid, Path, description = "Forum id")),
    responses(
        (status = 200, description = "The forum", body = ForumDetail),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security((), ("bearer" = []))
)]
async fn get_forum(
    State(state): State<AppState>,
    caller: Option<AuthUser>,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ForumDetail>> {
    let forum = forum::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("forum"))?;
    let membership_summary = queries::membership_summary(&state.db, id).await?;
    let forum = queries::forum_out(&state.db, forum).await?;
    let paper_storage = match caller {
        Some(caller)
            if crate::kernel::access::ForumAccess::load(&state.db, id, Some(&caller))
                .await?
                .is_officer() =>
        {
            Some(PaperStorage {
                used_bytes: crate::papers::quota::used(&state.db, id).await?,
                limit_bytes: state.forum_storage_limit_bytes,
            })
        }
        _ => None,
    };
    Ok(Json(ForumDetail {
        forum,
        membership_summary,
        paper_storage,
    }))
}

/// Edit a forum.
///
/// Its secretary or chair may change the description and terms of reference;
/// the name and `issue_response_days` are for admins. A PATCH that changes
/// nothing writes nothing.
#[utoipa::path(
    patch,
    path = "/forums/{id}",
    tag = "forums",
    params(("id" = Uuid, Path, description = "Forum id")),
    request_body = ForumPatch,
    responses(
        (status = 200, description = "The updated forum", body = ForumOut),
        (status = 404, description = "No such forum", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
async fn patch_forum(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Json(patch): Json<ForumPatch>,
) -> ApiResult<Json<ForumOut>> {
    let access = ForumAccess::load(&state.db, id, Some(&user)).await?;
    access.require(ForumAction::EditForumProfile)?;
    if patch.touches_settings() {
        access.require(ForumAction::EditForumSettings)?;
    }
    patch.validate()?;
    let mut changes = access.forum.clone().into_active_model();
    if let Some(name) = patch.name {
        changes.name.set_ne(name.trim().to_string());
    }
    if let Some(description) = patch.description {
        changes.description.set_ne(description.trim().to_string());
    }
    if let Some(tor) = patch.terms_of_reference {
        changes.terms_of_reference.set_ne(tor);
    }
    if let Some(days) = patch.issue_response_days {
        changes.issue_response_days.set_ne(days);
    }
    let before = queries::forum_out(&state.db, access.forum).await?;
    if !changes.is_changed() {
        return Ok(Json(before));
    }
    let now = state.clock.now();
    changes.updated_at = Set(now);
    let txn = begin_write(&state.db).await?;
    // Only the columns given are written: concurrent edits of different
    // fields (the profile by an officer, the settings by an admin) both stand.
    let out = ForumOut::new(changes.update(&txn).await?, before.region.clone());
    audit::record(
        &txn,
        now,
        AuditEvent::new(Some(user.id()), "forum.updated", EntityKind::Forum, id)
            .forum(id)
            .changes(audit::diff(
                &audit::snapshot(&before)?,
                &audit::snapshot(&out)?,
            )),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(out))
}
