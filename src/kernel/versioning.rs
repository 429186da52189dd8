//! Optimistic concurrency for records that several people edit: each carries
//! a `version`, which the faces serve as a strong `ETag` (`"3"`); a write may
//! send it back (`If-Match`), and a stale one is refused (412) so that
//! nobody silently overwrites somebody else's change.
//!
//! The decision is the database's, never a read's: [`save`] writes with
//! `UPDATE … SET …, version = version + 1 WHERE id = ? AND version = ?`, the
//! version being the one this request read (and, with `If-Match`, the one the
//! client read). Under PostgreSQL's READ COMMITTED two requests can read the
//! same version; only one of their updates matches a row, and the other is
//! answered 412 (it sent `If-Match`) or 409 (it did not).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult, OrConflict};

/// The entity tag of a version, as `ETag` and `If-Match` write it: `"3"`.
pub fn tag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The versions a client says it read (`If-Match`), if it said: the write
/// goes through only to one of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IfMatch(Option<Tags>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tags {
    /// `*`: any version of a record that exists.
    Any,
    /// The strong tags that name a version; a weak tag (`W/"3"`) or one that
    /// names no version never matches (RFC 9110 §13.1.1: strong comparison).
    Listed(Vec<i32>),
}

impl IfMatch {
    /// No precondition: for writes whose client cannot send one.
    pub fn none() -> Self {
        Self(None)
    }

    /// The header's value, as RFC 9110 §13.1.1 writes it: `*`, or entity
    /// tags separated by commas. The list may be empty (`#entity-tag` allows
    /// it): a precondition no version meets, so the write is refused 412.
    pub fn parse(value: &str) -> ApiResult<Self> {
        let malformed = || ApiError::BadRequest("If-Match is not a list of entity tags".into());
        let value = value.trim();
        if value == "*" {
            return Ok(Self(Some(Tags::Any)));
        }
        // Read tag by tag: an opaque tag may itself hold a comma (`"a,b"`).
        let mut versions = Vec::new();
        let mut rest = value;
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            let (weak, quoted) = match rest.strip_prefix("W/") {
                Some(after) => (true, after),
                None => (false, rest),
            };
            let opaque_and_rest = quoted.strip_prefix('"').ok_or_else(malformed)?;
            let end = opaque_and_rest.find('"').ok_or_else(malformed)?;
            let opaque = &opaque_and_rest[..end];
            rest = &opaque_and_rest[end + 1..];
            if !rest.is_empty() && !rest.starts_with([' ', '\t', ',']) {
                return Err(malformed());
            }
            if !weak && let Ok(version) = opaque.parse::<i32>() {
                versions.push(version);
            }
        }
        Ok(Self(Some(Tags::Listed(versions))))
    }

    pub fn sent(&self) -> bool {
        self.0.is_some()
    }

    /// Whether the precondition lets a write to this version through.
    fn matches(&self, version: i32) -> bool {
        match &self.0 {
            None | Some(Tags::Any) => true,
            Some(Tags::Listed(versions)) => versions.contains(&version),
        }
    }

    /// Refuses a stale `If-Match` (412).
    pub fn check(&self, current: i32) -> ApiResult<()> {
        if self.matches(current) {
            Ok(())
        } else {
            Err(stale(current))
        }
    }

    /// As [`Self::check`], and refuses a request without `If-Match` (428).
    pub fn require(&self, current: i32) -> ApiResult<()> {
        if !self.sent() {
            return Err(ApiError::PreconditionRequired(format!(
                "send If-Match with the ETag you last read (currently \"{current}\")"
            )));
        }
        self.check(current)
    }
}

fn stale(current: i32) -> ApiError {
    ApiError::PreconditionFailed(format!(
        "the record has changed since you read it; it is now at ETag \"{current}\""
    ))
}

/// A table whose rows carry `id`, `version` and `updated_at`.
pub trait Versioned: EntityTrait {
    /// What the API calls a row, for problem details: "action".
    const NOUN: &'static str;
    fn id_column() -> Self::Column;
    fn version_column() -> Self::Column;
    fn updated_at_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> Uuid;
    fn version_of(model: &Self::Model) -> i32;
    /// The row's state (`open`, `approved`…), named when a concurrent change wins.
    fn state_of(model: &Self::Model) -> Option<&'static str>;
}

/// Implements [`Versioned`] for an entity with `Id`, `Version` and
/// `UpdatedAt` columns, and optionally a `status` field.
#[macro_export]
macro_rules! versioned {
    ($entity:path, $noun:literal $(, $status:ident)?) => {
        impl $crate::kernel::versioning::Versioned for $entity {
            const NOUN: &'static str = $noun;
            fn id_column() -> Self::Column {
                <Self as sea_orm::EntityTrait>::Column::Id
            }
            fn version_column() -> Self::Column {
                <Self as sea_orm::EntityTrait>::Column::Version
            }
            fn updated_at_column() -> Self::Column {
                <Self as sea_orm::EntityTrait>::Column::UpdatedAt
            }
            fn id_of(model: &Self::Model) -> uuid::Uuid {
                model.id
            }
            fn version_of(model: &Self::Model) -> i32 {
                model.version
            }
            #[allow(unused_variables)]
            fn state_of(model: &Self::Model) -> Option<&'static str> {
                None $(.or(Some(model.$status.as_str())))?
            }
        }
    };
}

versioned!(entity::action_item::Entity, "action", status);
versioned!(entity::agenda_item::Entity, "agenda item", status);
versioned!(entity::commitment::Entity, "commitment", status);
versioned!(entity::meeting::Entity, "meeting", status);
versioned!(entity::minutes::Entity, "minutes", status);
versioned!(entity::paper::Entity, "paper");
versioned!(entity::raised_issue::Entity, "issue", status);

/// Writes the changed columns of `changes` to the row as `current` was read
/// in this transaction, raising its version, in one conditional `UPDATE`.
///
/// `If-Match` is checked against what was read first (412). When nothing in
/// `changes` differs from `current`, nothing is written and the version stays
/// as it is: a PATCH that changes nothing is not an edit.
pub async fn save<E>(
    conn: &impl ConnectionTrait,
    current: &E::Model,
    changes: E::ActiveModel,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<Saved<E::Model>>
where
    E: Versioned,
    E::Model: Clone,
{
    save_checked::<E>(conn, current, changes, if_match, now, None).await
}

/// As [`save`], for a change a unique index may refuse (a reference the
/// record's siblings have already): the index decides, and its conflict is
/// told in the record's own words, `taken`, rather than the generic
/// "already exists".
pub async fn save_unique<E>(
    conn: &impl ConnectionTrait,
    current: &E::Model,
    changes: E::ActiveModel,
    if_match: &IfMatch,
    now: DateTime<Utc>,
    taken: impl Fn() -> String + Sync,
) -> ApiResult<Saved<E::Model>>
where
    E: Versioned,
    E::Model: Clone,
{
    save_checked::<E>(conn, current, changes, if_match, now, Some(&taken)).await
}

async fn save_checked<E>(
    conn: &impl ConnectionTrait,
    current: &E::Model,
    changes: E::ActiveModel,
    if_match: &IfMatch,
    now: DateTime<Utc>,
    taken: Option<&(dyn Fn() -> String + Sync)>,
) -> ApiResult<Saved<E::Model>>
where
    E: Versioned,
    E::Model: Clone,
{
    if_match.check(E::version_of(current))?;
    if !changes.is_changed() {
        return Ok(Saved::Unchanged(current.clone()));
    }
    conditional_update::<E>(conn, current, Some(changes), if_match, now, taken)
        .await
        .map(Saved::Changed)
}

/// Raises the version of a record whose representation changed through
/// another table (a link added or removed, an item reordered).
pub async fn touch<E>(
    conn: &impl ConnectionTrait,
    current: &E::Model,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<E::Model>
where
    E: Versioned,
{
    if_match.check(E::version_of(current))?;
    conditional_update::<E>(conn, current, None, if_match, now, None).await
}

/// What [`save`] did.
#[derive(Debug)]
pub enum Saved<M> {
    Changed(M),
    Unchanged(M),
}

impl<M> Saved<M> {
    pub fn changed(&self) -> bool {
        matches!(self, Self::Changed(_))
    }

    pub fn into_inner(self) -> M {
        match self {
            Self::Changed(m) | Self::Unchanged(m) => m,
        }
    }
}

async fn conditional_update<E>(
    conn: &impl ConnectionTrait,
    current: &E::Model,
    changes: Option<E::ActiveModel>,
    if_match: &IfMatch,
    now: DateTime<Utc>,
    taken: Option<&(dyn Fn() -> String + Sync)>,
) -> ApiResult<E::Model>
where
    E: Versioned,
{
    let (id, read_version) = (E::id_of(current), E::version_of(current));
    let mut update = E::update_many();
    if let Some(changes) = changes {
        update = update.set(changes);
    }
    let updated = update
        .col_expr(E::version_column(), Expr::col(E::version_column()).add(1))
        .col_expr(E::updated_at_column(), Expr::value(now))
        .filter(E::id_column().eq(id))
        .filter(E::version_column().eq(read_version))
        .exec_with_returning(conn)
        .await;
    let updated = match taken {
        Some(taken) => updated.or_conflict(taken)?,
        None => updated?,
    };
    match updated.into_iter().next() {
        Some(row) => Ok(row),
        None => Err(lost_race::<E>(conn, current, if_match).await?),
    }
}

/// The answer for a write whose conditional update matched no row: somebody
/// else's change was committed between this request's read and its write.
async fn lost_race<E: Versioned>(
    conn: &impl ConnectionTrait,
    read: &E::Model,
    if_match: &IfMatch,
) -> ApiResult<ApiError> {
    let found = E::find()
        .filter(E::id_column().eq(E::id_of(read)))
        .one(conn)
        .await?;
    let Some(found) = found else {
        return Ok(ApiError::not_found(E::NOUN));
    };
    if if_match.sent() {
        return Ok(stale(E::version_of(&found)));
    }
    let noun = E::NOUN;
    Ok(match E::state_of(&found) {
        Some(state) if Some(state) != E::state_of(read) => ApiError::Conflict(format!(
            "this {noun} became {state} while your request was being made; read it again"
        )),
        _ => ApiError::Conflict(format!(
            "this {noun} was changed by someone else while your request was being made; \
             read it again and retry"
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_match(value: Option<&str>) -> ApiResult<IfMatch> {
        value.map_or(Ok(IfMatch::none()), IfMatch::parse)
    }

    #[test]
    fn the_current_strong_tag_matches() {
        let header = if_match(Some("\"3\"")).expect("parsed");
        assert!(header.check(3).is_ok());
        assert!(matches!(
            header.check(4),
            Err(ApiError::PreconditionFailed(_))
        ));
    }

    #[test]
    fn a_weak_tag_never_matches() {
        let header = if_match(Some("W/\"3\"")).expect("parsed");
        assert!(matches!(
            header.check(3),
            Err(ApiError::PreconditionFailed(_))
        ));
    }

    #[test]
    fn a_star_matches_any_version_and_a_list_matches_any_of_its_tags() {
        let star = if_match(Some("*")).expect("parsed");
        assert!(star.check(1).is_ok() && star.check(99).is_ok());
        let list = if_match(Some("\"1\", \"5\"")).expect("parsed");
        assert!(list.check(5).is_ok());
        assert!(list.check(2).is_err());
        // An opaque tag may hold a comma; it names no version.
        let odd = if_match(Some("\"%a,b\", \"7\",W/\"2\"")).expect("parsed");
        assert!(odd.check(7).is_ok());
        assert!(odd.check(2).is_err());
    }

    #[test]
    fn an_unquoted_tag_is_not_a_tag() {
        assert!(matches!(if_match(Some("3")), Err(ApiError::BadRequest(_))));
        assert!(matches!(
            if_match(Some("\"3")),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            if_match(Some("\"3\"x")),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn an_empty_list_is_sent_and_matches_no_version() {
        for empty in ["", " ", ", ,"] {
            let header = if_match(Some(empty)).expect("parsed");
            assert!(header.sent());
            assert!(matches!(
                header.check(1),
                Err(ApiError::PreconditionFailed(_))
            ));
        }
    }

    #[test]
    fn without_the_header_a_check_passes_but_a_requirement_is_428() {
        let none = if_match(None).expect("parsed");
        assert!(!none.sent());
        assert!(none.check(7).is_ok());
        assert!(matches!(
            none.require(7),
            Err(ApiError::PreconditionRequired(_))
        ));
    }

    #[test]
    fn tags_are_quoted_versions() {
        assert_eq!(tag(12), "\"12\"");
    }
}
