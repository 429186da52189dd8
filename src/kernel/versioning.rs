//! Optimistic concurrency for records that several people edit: each carries
//! a `version`, served as a strong `ETag` (`"3"`); a write may send it back in
//! `If-Match`, and a stale one is refused with 412 so that nobody silently
//! overwrites somebody else's change.
//!
//! The decision is the database's, never a read's: [`save`] writes with
//! `UPDATE … SET …, version = version + 1 WHERE id = ? AND version = ?`, the
//! version being the one this request read (and, with `If-Match`, the one the
//! client read). Under PostgreSQL's READ COMMITTED two requests can read the
//! same version; only one of their updates matches a row, and the other is
//! answered 412 (it sent `If-Match`) or 409 (it did not).

use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, request::Parts};
use chrono::{DateTime, Utc};
use headers::{ETag, HeaderMapExt};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{Required, schema::ObjectBuilder, schema::Type};
use uuid::Uuid;

use crate::kernel::error::{ApiError, ApiResult};

pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The `If-Match` header, if the request sent one, parsed per RFC 9110.
pub struct IfMatch(Option<headers::IfMatch>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .headers
            .typed_try_get::<headers::IfMatch>()
            .map(Self)
            .map_err(|_| ApiError::BadRequest("If-Match is not a list of entity tags".into()))
    }
}

impl IfMatch {
    /// No precondition: for writes whose client cannot send one.
    pub fn none() -> Self {
        Self(None)
    }

    pub fn sent(&self) -> bool {
        self.0.is_some()
    }

    /// Whether the header lets a write to this version through. Strong
    /// comparison (RFC 9110 §13.1.1): a weak tag never matches; `*` matches
    /// any record that exists.
    fn matches(&self, version: i32) -> bool {
        let Some(header) = &self.0 else {
            return true;
        };
        if header.is_any() {
            return true;
        }
        format!("\"{version}\"")
            .parse::<ETag>()
            .is_ok_and(|tag| header.precondition_passes(&tag))
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

/// Documents `If-Match` on an operation: `params(IfMatch)`.
impl utoipa::IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The ETag you last read (e.g. `\"3\"`): the write is refused with 412 if \
                     the record has changed since. Weak tags never match; `*` matches any \
                     version.",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        ]
    }
}

/// Documents `If-Match` as required on an operation that always needs it
/// (`params(IfMatchRequired)`; the handler still extracts [`IfMatch`] and
/// answers 428 without it).
pub struct IfMatchRequired;

impl utoipa::IntoParams for IfMatchRequired {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(
                    "The ETag you last read (e.g. `\"3\"`): required (428 without it); the \
                     write is refused with 412 if the record has changed since. Weak tags \
                     never match; `*` matches any version.",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        ]
    }
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
    if_match.check(E::version_of(current))?;
    if !changes.is_changed() {
        return Ok(Saved::Unchanged(current.clone()));
    }
    conditional_update::<E>(conn, current, Some(changes), if_match, now)
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
    conditional_update::<E>(conn, current, None, if_match, now).await
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
        .await?;
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
    use axum::http::Request;

    use super::*;

    async fn if_match(value: Option<&str>) -> ApiResult<IfMatch> {
        let mut builder = Request::builder();
        if let Some(value) = value {
            builder = builder.header("if-match", value);
        }
        let (mut parts, ()) = builder.body(()).expect("request").into_parts();
        IfMatch::from_request_parts(&mut parts, &()).await
    }

    #[tokio::test]
    async fn the_current_strong_tag_matches() {
        let header = if_match(Some("\"3\"")).await.expect("parsed");
        assert!(header.check(3).is_ok());
        assert!(matches!(
            header.check(4),
            Err(ApiError::PreconditionFailed(_))
        ));
    }

    #[tokio::test]
    async fn a_weak_tag_never_matches() {
        let header = if_match(Some("W/\"3\"")).await.expect("parsed");
        assert!(matches!(
            header.check(3),
            Err(ApiError::PreconditionFailed(_))
        ));
    }

    #[tokio::test]
    async fn a_star_matches_any_version_and_a_list_matches_any_of_its_tags() {
        let star = if_match(Some("*")).await.expect("parsed");
        assert!(star.check(1).is_ok() && star.check(99).is_ok());
        let list = if_match(Some("\"1\", \"5\"")).await.expect("parsed");
        assert!(list.check(5).is_ok());
        assert!(list.check(2).is_err());
    }

    #[tokio::test]
    async fn an_unquoted_tag_is_not_a_tag() {
        let header = if_match(Some("3")).await;
        match header {
            Ok(header) => assert!(header.check(3).is_err()),
            Err(err) => assert!(matches!(err, ApiError::BadRequest(_))),
        }
    }

    #[tokio::test]
    async fn without_the_header_a_check_passes_but_a_requirement_is_428() {
        let none = if_match(None).await.expect("parsed");
        assert!(!none.sent());
        assert!(none.check(7).is_ok());
        assert!(matches!(
            none.require(7),
            Err(ApiError::PreconditionRequired(_))
        ));
    }

    #[test]
    fn etags_are_quoted_versions() {
        assert_eq!(etag(12), "\"12\"");
    }
}
