//! Every error leaves the JSON API as an RFC 9457
//! `application/problem+json` document: an operation's [`ApiError`], and
//! what no handler wrote (router fallbacks, timeouts, middleware refusals).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::kernel::error::{ApiError, FieldError};

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The most invalid fields one problem lists. A spreadsheet with every cell
/// wrong would otherwise be answered with megabytes; the rest are counted
/// (`errors_total`) and fixing the first shows the next.
pub const MOST_LISTED_ERRORS: usize = 100;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// URI identifying the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Present on 422 responses: each field that was rejected and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // Left out rather than null, so neither required nor nullable.
    #[schema(nullable = false)]
    pub errors: Option<Vec<FieldError>>,
    /// Present when there were more invalid fields than `errors` lists (at
    /// most 100, in order): how many there were in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub errors_total: Option<usize>,
}

/// The status an error is answered with.
pub fn status(error: &ApiError) -> StatusCode {
    use ApiError::*;
    match error {
        BadRequest(_) => StatusCode::BAD_REQUEST,
        Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Forbidden(_) => StatusCode::FORBIDDEN,
        NotFound(_) => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        Conflict(_) => StatusCode::CONFLICT,
        PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
        PayloadTooLarge | TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        RangeNotSatisfiable(_) => StatusCode::RANGE_NOT_SATISFIABLE,
        UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
        TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The problem document for a bare status, used where no handler spoke
/// (router fallbacks, timeouts, middleware rejections).
pub fn problem_for_status(status: StatusCode, detail: Option<String>) -> Response {
    problem_response(
        status,
        detail.unwrap_or_else(|| default_detail(status)),
        None,
    )
}

fn default_detail(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "no resource exists at this path".into(),
        StatusCode::METHOD_NOT_ALLOWED => "this resource does not support that method".into(),
        StatusCode::REQUEST_TIMEOUT => "the request took too long and was abandoned".into(),
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is larger than this endpoint takes".into()
        }
        other => other
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_lowercase(),
    }
}

fn slug(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("error")
        .to_lowercase()
        .replace([' ', '\''], "-")
}

fn problem_response(
    status: StatusCode,
    detail: String,
    errors: Option<Vec<FieldError>>,
) -> Response {
    let total = errors.as_ref().map_or(0, Vec::len);
    let (detail, errors, errors_total) = match errors {
        Some(mut errors) if total > MOST_LISTED_ERRORS => {
            errors.truncate(MOST_LISTED_ERRORS);
            let detail = format!(
                "{total} fields are invalid; the first {MOST_LISTED_ERRORS} are listed, in order"
            );
            (detail, Some(errors), Some(total))
        }
        errors => (detail, errors, None),
    };
    let problem = Problem {
        kind: format!("urn:convene:problem:{}", slug(status)),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail,
        errors,
        errors_total,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status(&self);
        if let Self::Internal(internal) = &self {
            tracing::error!(error = %internal, "request failed");
        }
        let errors = match &self {
            Self::Validation(errors) => Some(errors.clone()),
            _ => None,
        };
        let mut response = problem_response(status, self.detail(), errors);
        let headers = response.headers_mut();
        match &self {
            Self::Unauthorized(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"convene\""),
                );
            }
            Self::TooManyRequests {
                retry_after_secs, ..
            } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            Self::RangeNotSatisfiable(size) => {
                if let Ok(range) = HeaderValue::from_str(&format!("bytes */{size}")) {
                    headers.insert(header::CONTENT_RANGE, range);
                }
            }
            _ => {}
        }
        response
    }
}
