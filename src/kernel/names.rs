//! Names beside ids. Wherever a reader may see who did something, a record
//! carries the name beside the id, under one rule: an organisation's name
//! is public; a person's display name is shown only to those who take part
//! in the forum the record belongs to (its members' people, officers, the
//! region's RPD staff, admins), and is `null` for anyone else.
//!
//! A list reads its names in its own statement ([`organisation_name`],
//! [`person_name`]: a subquery on the named table's primary key for each
//! column), or, where its rows are not one selection, in one more statement
//! for the whole list ([`Names::load`]); never a statement per row.

use std::collections::HashMap;

use entity::{forum, forum_role, organisation, user};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, IntoColumnRef, IntoIden, Query, SelectStatement, UnionType,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryResult,
    QuerySelect,
};
use uuid::Uuid;

use crate::kernel::access::{AuthUser, ForumAccess};
use crate::kernel::error::ApiResult;

/// Whether a reader is shown people's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum People {
    Named,
    Unnamed,
}

impl People {
    /// Named for a reader who takes part in the forum.
    pub fn named_if(takes_part: bool) -> Self {
        if takes_part {
            Self::Named
        } else {
            Self::Unnamed
        }
    }

    /// As the caller's access to the record's forum decides.
    pub fn of(access: &ForumAccess) -> Self {
        Self::named_if(access.is_participant())
    }

    /// For records only the forum's participants can read at all.
    pub fn of_participants() -> Self {
        Self::Named
    }
}

/// Whether the caller is shown people's names on a region's records (its
/// plans' commitments, its funding opportunities): if they take part in
/// the region's forum, or are an admin. `region` is the region's id, or a
/// subquery giving it. One statement for a signed-in caller who is not an
/// admin; none for anyone else.
pub async fn people_of_region(
    conn: &impl ConnectionTrait,
    region: Expr,
    caller: Option<&AuthUser>,
) -> ApiResult<People> {
    let Some(caller) = caller else {
        return Ok(People::Unnamed);
    };
    if caller.user.is_admin {
        return Ok(People::Named);
    }
    let forums_of_region = Query::select()
        .column(forum::Column::Id)
        .from(forum::Entity)
        .and_where(Expr::col(forum::Column::RegionId).eq(region))
        .to_owned();
    let role = forum_role::Entity::find()
        .filter(forum_role::Column::UserId.eq(caller.id()))
        .filter(forum_role::Column::ForumId.in_subquery(forums_of_region))
        .one(conn)
        .await?;
    Ok(People::named_if(role.is_some()))
}

/// The name of the organisation whose id is in `id`, read in the row's own
/// statement: `(SELECT name FROM organisations WHERE id = <id>)`.
pub fn organisation_name(id: impl IntoColumnRef) -> Expr {
    name_of(organisation::Entity, organisation::Column::Name, id)
}

/// The display name of the person whose id is in `id`, read in the row's
/// own statement; `NULL` for a reader who is not shown people's names.
pub fn person_name(id: impl IntoColumnRef, people: People) -> Expr {
    match people {
        People::Named => name_of(user::Entity, user::Column::DisplayName, id),
        // Typed, so that PostgreSQL reads the column as text like the name.
        People::Unnamed => Expr::cust("CAST(NULL AS TEXT)"),
    }
}

/// A scalar subquery on the named table's primary key. The table is read
/// under an alias of its own, so that the outer row's columns are never
/// mistaken for its.
fn name_of(table: impl IntoIden, name: impl IntoIden, id: impl IntoColumnRef) -> Expr {
    let named = Alias::new("named");
    Expr::from(
        Query::select()
            .expr(Expr::col((named.clone(), name)))
            .from_as(table, named.clone())
            .and_where(Expr::col((named, Alias::new("id"))).equals(id))
            .to_owned(),
    )
}

/// A row read with the names it carries: the record, then its names (a
/// struct whose fields are the names' column aliases).
pub struct Named<M, N> {
    pub record: M,
    pub names: N,
}

impl<M: FromQueryResult, N: FromQueryResult> FromQueryResult for Named<M, N> {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            record: M::from_query_result(row, pre)?,
            names: N::from_query_result(row, pre)?,
        })
    }
}

/// The one name read beside a row, for records that carry one: read it
/// under the alias [`ONE_NAME`] and the row as `Named<Model, OneName>`.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct OneName {
    pub one_name: Option<String>,
}

pub const ONE_NAME: &str = "one_name";

/// Some people, each with the name of their organisation, in one
/// statement (for lists of people: who answered, who holds a role).
pub async fn people_with_organisations(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> ApiResult<HashMap<Uuid, Named<user::Model, OneName>>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .column_as(
            organisation_name((user::Entity, user::Column::OrganisationId)),
            ONE_NAME,
        )
        .into_model::<Named<user::Model, OneName>>()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.record.id, p))
        .collect())
}

/// The names of some people and organisations, read in one statement.
#[derive(Debug, Default)]
pub struct Names {
    people: HashMap<Uuid, String>,
    organisations: HashMap<Uuid, String>,
}

const PERSON: &str = "person";
const ORGANISATION: &str = "organisation";

impl Names {
    /// The names of these people (when the reader is shown them) and
    /// organisations: one statement, or none when there is no one to name.
    pub async fn load(
        conn: &impl ConnectionTrait,
        people: People,
        person_ids: impl IntoIterator<Item = Option<Uuid>>,
        organisation_ids: impl IntoIterator<Item = Option<Uuid>>,
    ) -> ApiResult<Self> {
        let mut person_ids: Vec<Uuid> = match people {
            People::Named => person_ids.into_iter().flatten().collect(),
            People::Unnamed => Vec::new(),
        };
        let mut organisation_ids: Vec<Uuid> = organisation_ids.into_iter().flatten().collect();
        for ids in [&mut person_ids, &mut organisation_ids] {
            ids.sort();
            ids.dedup();
        }
        let mut parts = Vec::new();
        if !person_ids.is_empty() {
            parts.push(names_in(
                PERSON,
                user::Entity,
                user::Column::DisplayName,
                person_ids,
            ));
        }
        if !organisation_ids.is_empty() {
            parts.push(names_in(
                ORGANISATION,
                organisation::Entity,
                organisation::Column::Name,
                organisation_ids,
            ));
        }
        let mut parts = parts.into_iter();
        let Some(mut statement) = parts.next() else {
            return Ok(Self::default());
        };
        for part in parts {
            statement.union(UnionType::All, part);
        }
        let rows = conn
            .query_all_raw(conn.get_database_backend().build(&statement))
            .await?;
        let mut names = Self::default();
        for row in rows {
            let kind: String = row.try_get("", "kind")?;
            let id: Uuid = row.try_get("", "id")?;
            let name: String = row.try_get("", "name")?;
            match kind.as_str() {
                PERSON => names.people.insert(id, name),
                _ => names.organisations.insert(id, name),
            };
        }
        Ok(names)
    }

    /// The person's display name, if the reader is shown it.
    pub fn person(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|id| self.people.get(&id).cloned())
    }

    /// The organisation's name.
    pub fn organisation(&self, id: Option<Uuid>) -> Option<String> {
        id.and_then(|id| self.organisations.get(&id).cloned())
    }
}

/// `SELECT '<kind>' AS kind, id, <name> AS name FROM <table> WHERE id IN (…)`.
fn names_in(
    kind: &str,
    table: impl IntoIden,
    name: impl IntoIden,
    ids: Vec<Uuid>,
) -> SelectStatement {
    Query::select()
        .expr_as(Expr::val(kind), Alias::new("kind"))
        .column(Alias::new("id"))
        .expr_as(Expr::col(name), Alias::new("name"))
        .from(table)
        .and_where(Expr::col(Alias::new("id")).is_in(ids))
        .to_owned()
}
