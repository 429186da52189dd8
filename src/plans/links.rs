//! Checks shared by everything that links to commitments (actions, agenda
//! items): a link must stay within the forum's own region.

use std::collections::HashMap;

use entity::{commitment, forum, regional_plan};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, FieldError};

/// Which of these commitments belong to a plan of the forum's own region
/// (`true`), another region's (`false`), or do not exist (absent).
pub async fn commitment_regions(
    conn: &impl ConnectionTrait,
    forum: &forum::Model,
    ids: &[Uuid],
) -> ApiResult<HashMap<Uuid, bool>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let plans_of_region = Query::select()
        .column(regional_plan::Column::Id)
        .from(regional_plan::Entity)
        .and_where(regional_plan::Column::RegionId.eq(forum.region_id))
        .to_owned();
    let ours: Vec<Uuid> = commitment::Entity::find()
        .filter(commitment::Column::Id.is_in(ids.iter().copied()))
        .filter(commitment::Column::PlanId.in_subquery(plans_of_region))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let existing: Vec<Uuid> = commitment::Entity::find()
        .filter(commitment::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    Ok(existing
        .into_iter()
        .map(|id| (id, ours.contains(&id)))
        .collect())
}

/// The given commitment ids, deduplicated, if every one is a commitment of the
/// forum's region; otherwise 422 naming each offending `field[i]`.
pub async fn require_own_region(
    conn: &impl ConnectionTrait,
    forum: &forum::Model,
    ids: &[Uuid],
    field: &str,
) -> ApiResult<Vec<Uuid>> {
    let regions = commitment_regions(conn, forum, ids).await?;
    let errors: Vec<FieldError> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| match regions.get(id) {
            Some(true) => None,
            Some(false) => Some(FieldError::new(
                format!("{field}[{i}]"),
                "belongs to another region's plan",
            )),
            None => Some(FieldError::new(
                format!("{field}[{i}]"),
                "no commitment has this id",
            )),
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    Ok(unique)
}

/// The commitments linked to each of some records (actions, agenda items,
/// issues), read from their link table in one query.
pub async fn linked_commitments<E>(
    conn: &impl ConnectionTrait,
    owner: E::Column,
    commitment: E::Column,
    owner_ids: &[Uuid],
) -> ApiResult<HashMap<Uuid, Vec<Uuid>>>
where
    E: EntityTrait,
{
    let mut links: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if owner_ids.is_empty() {
        return Ok(links);
    }
    let rows: Vec<(Uuid, Uuid)> = E::find()
        .select_only()
        .column(owner)
        .column(commitment)
        .filter(owner.is_in(owner_ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    for (owner_id, commitment_id) in rows {
        links.entry(owner_id).or_default().push(commitment_id);
    }
    for ids in links.values_mut() {
        ids.sort();
    }
    Ok(links)
}
