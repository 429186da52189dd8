//! Reading forums: the list and one forum's profile (anyone may).

use std::collections::HashMap;

use entity::forum;
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::queries;
use super::types::{ForumDetail, ForumOut, ForumQuery, PaperStorage};
use crate::kernel::access::{AuthUser, ForumAccess};
use crate::kernel::error::ApiResult;
use crate::kernel::pagination::{Page, PageRequest, after_key};
use crate::kernel::state::AppState;
use crate::regions;

/// The forums, by name.
pub async fn list(state: &AppState, query: ForumQuery) -> ApiResult<Page<ForumOut>> {
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
    let codes: HashMap<Uuid, String> = regions::all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.code))
        .collect();
    Ok(page.finish(
        rows,
        |f| (f.name.clone(), f.id),
        |f| {
            let code = codes.get(&f.region_id).cloned().unwrap_or_default();
            ForumOut::new(f, code)
        },
    ))
}

/// One forum, with a summary of its active member organisations; its
/// officers (and admins) also get what its papers take in storage.
pub async fn get(state: &AppState, caller: Option<&AuthUser>, id: Uuid) -> ApiResult<ForumDetail> {
    let access = ForumAccess::load(&state.db, id, caller).await?;
    let membership_summary = queries::membership_summary(&state.db, id).await?;
    let paper_storage = if access.is_officer() {
        Some(PaperStorage {
            used_bytes: queries::paper_storage_used(&state.db, id).await?,
            limit_bytes: state.forum_storage_limit_bytes,
        })
    } else {
        None
    };
    let forum = queries::forum_out(&state.db, access.forum).await?;
    Ok(ForumDetail {
        forum,
        membership_summary,
        paper_storage,
    })
}
