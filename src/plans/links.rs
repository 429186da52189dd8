//! Checks shared by everything that links to commitments (actions, agenda
//! items): a link must stay within the forum's own region.

use std::collections::HashMap;

use entity::{PlanStatus, commitment, forum, regional_plan};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, IdenStatic,
    QueryFilter, QueryOrder, QueryResult, QuerySelect, Select, SelectModel, Selector,
};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult, FieldError};
use crate::search::{self, Corpus, Terms};

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

/// A commitment as a form offers it for linking, or a page names it.
#[derive(Debug, Clone, FromQueryResult)]
pub struct CommitmentLabel {
    pub id: Uuid,
    pub reference: String,
    pub text: String,
}

/// The commitments of the region's current plan, by reference (what
/// records are linked to): all of them, or only those among `only`. One
/// statement; none when `only` is empty.
pub async fn current_commitments(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    only: Option<&[Uuid]>,
) -> ApiResult<Vec<CommitmentLabel>> {
    if only.is_some_and(<[Uuid]>::is_empty) {
        return Ok(Vec::new());
    }
    let mut select = of_current_plan(region_id);
    if let Some(ids) = only {
        select = select.filter(commitment::Column::Id.is_in(ids.iter().copied()));
    }
    labelled(conn, select).await
}

/// The commitments of the region's current plan whose words match the
/// search, by reference, at most `limit` of them (one statement): what a
/// record may be linked to, found by a few words of it.
pub async fn matching_current_commitments(
    conn: &impl ConnectionTrait,
    region_id: Uuid,
    terms: &Terms,
    limit: u64,
) -> ApiResult<Vec<CommitmentLabel>> {
    let backend = conn.get_database_backend();
    let select = of_current_plan(region_id)
        .filter(search::matches(backend, Corpus::Commitments, terms))
        .limit(limit);
    labelled(conn, select).await
}

/// Some commitments, named, whichever plan of whichever period they are of
/// (what a record is linked to stays linked when the plan is replaced).
/// One statement; none when `ids` is empty.
pub async fn commitment_labels(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> ApiResult<Vec<CommitmentLabel>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let select =
        commitment::Entity::find().filter(commitment::Column::Id.is_in(ids.iter().copied()));
    labelled(conn, select).await
}

fn of_current_plan(region_id: Uuid) -> Select<commitment::Entity> {
    let current_plans = Query::select()
        .column(regional_plan::Column::Id)
        .from(regional_plan::Entity)
        .and_where(regional_plan::Column::RegionId.eq(region_id))
        .and_where(regional_plan::Column::Status.eq(PlanStatus::Current.as_str()))
        .to_owned();
    commitment::Entity::find().filter(commitment::Column::PlanId.in_subquery(current_plans))
}

async fn labelled(
    conn: &impl ConnectionTrait,
    select: Select<commitment::Entity>,
) -> ApiResult<Vec<CommitmentLabel>> {
    Ok(select
        .select_only()
        .columns([
            commitment::Column::Id,
            commitment::Column::Reference,
            commitment::Column::Text,
        ])
        .order_by_asc(commitment::Column::Reference)
        .into_model::<CommitmentLabel>()
        .all(conn)
        .await?)
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

/// The name under which [`with_linked_ids`] reads a row's linked commitments.
const LINKED_IDS: &str = "linked_commitment_ids";

/// A listed record with the ids of the commitments it is linked to, sorted.
pub struct WithLinks<M> {
    pub record: M,
    pub commitment_ids: Vec<Uuid>,
}

impl<M: FromQueryResult> FromQueryResult for WithLinks<M> {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        let record = M::from_query_result(row, pre)?;
        let joined: Option<String> = row.try_get(pre, LINKED_IDS)?;
        Ok(Self {
            record,
            commitment_ids: parse_linked_ids(joined.as_deref())?,
        })
    }
}

/// Reads a page of records (as `M`, the record's model or the model with
/// more columns read beside it) together with their linked commitments, in
/// the page's own statement: each row's links come from a correlated subquery
/// on the link table's primary key (owner id first), joined into one text
/// value. A separate `owner_id IN (…page…)` query would cost a round trip,
/// and PostgreSQL answers it from small link tables by scanning them whole,
/// every forum's links for every page.
pub fn with_linked_ids<E, L, M>(
    select: Select<E>,
    backend: DbBackend,
    owner_id: E::Column,
    link_owner: L::Column,
    link_commitment: L::Column,
) -> Selector<SelectModel<WithLinks<M>>>
where
    E: EntityTrait,
    L: EntityTrait,
    M: FromQueryResult,
{
    let owner_table = E::default().table_name().to_string();
    let link_table = L::default().table_name().to_string();
    let (owner_id, link_owner, link_commitment) = (
        owner_id.as_str(),
        link_owner.as_str(),
        link_commitment.as_str(),
    );
    // SQLite keeps a uuid as 16 bytes; `hex` writes them as the simple
    // (unhyphenated) form, which `Uuid::parse_str` reads.
    let each = match backend {
        DbBackend::Postgres => format!(r#""links"."{link_commitment}"::text"#),
        _ => format!(r#"hex("links"."{link_commitment}")"#),
    };
    let aggregate = match backend {
        DbBackend::Postgres => "string_agg",
        _ => "group_concat",
    };
    let subquery = format!(
        r#"(SELECT {aggregate}({each}, ',') FROM "{link_table}" AS "links" WHERE "links"."{link_owner}" = "{owner_table}"."{owner_id}")"#
    );
    select
        .column_as(Expr::cust(subquery), LINKED_IDS)
        .into_model::<WithLinks<M>>()
}

/// The ids in a comma-joined list, sorted; none for no links.
fn parse_linked_ids(joined: Option<&str>) -> Result<Vec<Uuid>, DbErr> {
    let Some(joined) = joined.filter(|j| !j.is_empty()) else {
        return Ok(Vec::new());
    };
    let mut ids = joined
        .split(',')
        .map(|id| {
            Uuid::parse_str(id)
                .map_err(|err| DbErr::Type(format!("a linked commitment id {id:?}: {err}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    ids.sort();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_ids_are_read_in_either_database_s_form_and_sorted() {
        let first = Uuid::from_u128(1);
        let second = Uuid::from_u128(0xabc);
        // PostgreSQL's text form, then SQLite's `hex` of the bytes.
        let postgres = format!("{second},{first}");
        let sqlite = format!(
            "{},{}",
            second.simple().to_string().to_uppercase(),
            first.simple()
        );
        for joined in [postgres, sqlite] {
            assert_eq!(
                parse_linked_ids(Some(&joined)).expect("parses"),
                vec![first, second]
            );
        }
        assert!(parse_linked_ids(None).expect("none").is_empty());
        assert!(parse_linked_ids(Some("")).expect("empty").is_empty());
        assert!(parse_linked_ids(Some("not-a-uuid")).is_err());
    }
}
