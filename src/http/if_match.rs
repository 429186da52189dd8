//! `If-Match` from a request, and its place in the spec: the kernel's
//! [`IfMatch`] precondition, parsed from the header (400 when it is not a
//! list of entity tags).

use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, header, request::Parts};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{Required, schema::ObjectBuilder, schema::Type};

use crate::kernel::error::ApiError;
use crate::kernel::versioning::{IfMatch, tag};

/// A version as an `ETag` header value.
pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&tag(version)).unwrap_or(HeaderValue::from_static("\"0\""))
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let mut values = parts.headers.get_all(header::IF_MATCH).iter().peekable();
        if values.peek().is_none() {
            return Ok(IfMatch::none());
        }
        let joined = values
            .map(|v| v.to_str())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| ApiError::BadRequest("If-Match is not a list of entity tags".into()))?
            .join(",");
        IfMatch::parse(&joined)
    }
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
/// the operation answers 428 without it).
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

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    #[tokio::test]
    async fn the_header_is_read_and_a_malformed_one_refused() {
        let read = |value: Option<&'static str>| async move {
            let mut builder = Request::builder();
            if let Some(value) = value {
                builder = builder.header("if-match", value);
            }
            let (mut parts, ()) = builder.body(()).expect("request").into_parts();
            IfMatch::from_request_parts(&mut parts, &()).await
        };
        assert!(read(Some("\"3\"")).await.expect("parsed").check(3).is_ok());
        assert!(!read(None).await.expect("parsed").sent());
        assert!(matches!(
            read(Some("3")).await,
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn etags_are_quoted_versions() {
        assert_eq!(etag(12), "\"12\"");
    }
}
