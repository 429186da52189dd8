//! Every version of the minutes, with who made it and when.

use std::collections::HashMap;

use axum::extract::State;
use entity::{minutes_revision, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::sections::{self, Section};
use super::types::{RevisionOut, RevisionQuery};
use super::{minutes_of, no_minutes};
use crate::http::extract::{Json, Path, Query};
use crate::kernel::access::AuthUser;
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest};
use crate::kernel::state::AppState;

/// Every version of the minutes, oldest first: who wrote it, when, and what
/// (the forum's participants; sections they may not read are withheld, as
/// in the minutes). The last one of approved minutes is the
/// approved text, by whoever approved it.
#[utoipa::path(
    get,
    path = "/meetings/{id}/minutes/revisions",
    tag = "minutes",
    params(("id" = Uuid, Path, description = "Meeting id"), RevisionQuery),
    responses(
        (status = 200, description = "A page of revisions", body = Page<RevisionOut>),
        (status = 404, description = "No such meeting or minutes, or not yours to see", body = crate::http::problem::Problem),
    ),
    security(("bearer" = []))
)]
pub(super) async fn list_revisions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<RevisionQuery>,
) -> ApiResult<Json<Page<RevisionOut>>> {
    let (_, access) =
        crate::kernel::access::load_visible::<entity::meeting::Entity>(&state.db, id, Some(&user))
            .await?;
    let page = PageRequest::<i32>::new(query.limit, query.cursor.as_deref())?;
    let minutes = minutes_of(&state.db, id).await?.ok_or_else(no_minutes)?;
    let mut select =
        minutes_revision::Entity::find().filter(minutes_revision::Column::MinutesId.eq(minutes.id));
    if let Some(after) = page.after {
        select = select.filter(minutes_revision::Column::Version.gt(after));
    }
    let rows = select
        .order_by_asc(minutes_revision::Column::Version)
        .limit(page.fetch())
        .all(&state.db)
        .await?;
    let names: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.edited_by)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    // Each version as this reader may read it, by its items' visibility now.
    let kept: Vec<Vec<Section>> = rows.iter().map(sections::of_revision).collect();
    let items = sections::item_visibility(&state.db, kept.iter().flatten()).await?;
    let mut kept = kept.into_iter();
    Ok(Json(page.finish(
        rows,
        |r| r.version,
        |r| {
            let shown = sections::as_read(&kept.next().unwrap_or_default(), &items, |v| {
                access.may_read(v)
            });
            RevisionOut {
                version: r.version,
                edited_by_name: r.edited_by.and_then(|id| names.get(&id).cloned()),
                edited_by: r.edited_by,
                body: sections::render(&shown),
                sections: shown,
                edited_at: r.edited_at,
            }
        },
    )))
}
