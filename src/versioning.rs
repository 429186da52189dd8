//! Optimistic concurrency for records that several people edit: each carries
//! a `version`, served as a strong `ETag` (`"3"`); a write may send it back in
//! `If-Match`, and a stale one is refused with 412 so that nobody silently
//! overwrites somebody else's change.

use axum::extract::FromRequestParts;
use axum::http::{HeaderValue, header, request::Parts};

use crate::error::{ApiError, ApiResult};

pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The `If-Match` header, if the request sent one.
pub struct IfMatch(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let value = parts
            .headers
            .get(header::IF_MATCH)
            .map(|v| v.to_str().map(|s| s.trim().to_string()))
            .transpose()
            .map_err(|_| ApiError::BadRequest("If-Match is not readable text".into()))?;
        Ok(Self(value))
    }
}

impl IfMatch {
    /// Refuses a stale `If-Match` (412); with `required`, also a missing one (428).
    pub fn check(&self, current: i32, required: bool) -> ApiResult<()> {
        let Some(value) = &self.0 else {
            return if required {
                Err(ApiError::PreconditionRequired(format!(
                    "send If-Match with the ETag you last read (currently \"{current}\")"
                )))
            } else {
                Ok(())
            };
        };
        let matches = value == "*"
            || value
                .split(',')
                .map(|tag| tag.trim().trim_start_matches("W/"))
                .any(|tag| tag == format!("\"{current}\""));
        if matches {
            Ok(())
        } else {
            Err(ApiError::PreconditionFailed(format!(
                "the record has changed since you read it; it is now at ETag \"{current}\""
            )))
        }
    }
}
