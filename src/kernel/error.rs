//! The one error type of the API. Every failure, whether raised by a handler,
//! an extractor, the router or a middleware, leaves as an RFC 9457
//! `application/problem+json` document.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The most invalid fields one problem lists. A spreadsheet with every cell
/// wrong would otherwise be answered with megabytes; the rest are counted
/// (`errors_total`) and fixing the first shows the next.
pub const MOST_LISTED_ERRORS: usize = 100;

/// One invalid input field of a 422 problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, e.g. `email` or `regions_served[2]`.
    pub field: String,
    pub message: String,
    /// For an uploaded spreadsheet: the row, as a spreadsheet numbers it
    /// (the header is row 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub row: Option<u64>,
    /// For an uploaded spreadsheet: the column's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub column: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            row: None,
            column: None,
        }
    }

    /// A bad cell (or, with no column, a bad row) of an uploaded
    /// spreadsheet; `field` reads `rows[7].theme`.
    pub fn in_row(row: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        let field = match column {
            Some(column) => format!("rows[{row}].{column}"),
            None => format!("rows[{row}]"),
        };
        Self {
            field,
            message: message.into(),
            row: Some(row),
            column: column.map(str::to_string),
        }
    }
}

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

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorised: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request timed out")]
    RequestTimeout,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    #[error("payload too large")]
    PayloadTooLarge,
    /// 413 with what was too large, and by what measure.
    #[error("too large: {0}")]
    TooLarge(String),
    /// 416: the range asked for is not within the `0` bytes given.
    #[error("range not satisfiable")]
    RangeNotSatisfiable(u64),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("precondition required: {0}")]
    PreconditionRequired(String),
    #[error("too many requests: {detail}")]
    TooManyRequests {
        detail: String,
        retry_after_secs: u64,
    },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal(err.to_string())
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A state machine refusing a move: 409 naming where the record is.
    pub fn transition(noun: &str, from: &str, to: &str) -> Self {
        Self::Conflict(format!("this {noun} is {from}; it cannot become {to}"))
    }

    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("no {what} with that id is visible to you"))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            Self::PayloadTooLarge | Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RangeNotSatisfiable(_) => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest(d)
            | Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::Conflict(d)
            | Self::PreconditionFailed(d)
            | Self::UnsupportedMediaType(d)
            | Self::PreconditionRequired(d)
            | Self::Unavailable(d)
            | Self::TooLarge(d)
            | Self::TooManyRequests { detail: d, .. } => d.clone(),
            Self::RangeNotSatisfiable(size) => {
                format!("the range asked for is not within the {size} bytes of the file")
            }
            Self::MethodNotAllowed => "this resource does not support that method".into(),
            Self::RequestTimeout => "the request took too long and was abandoned".into(),
            Self::PayloadTooLarge => "the request body is larger than 1 MiB".into(),
            Self::Validation(_) => "one or more fields are invalid".into(),
            // Internals stay in the log, never in the response.
            Self::Internal(_) => "an unexpected error occurred; it has been logged".into(),
        }
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
        let status = self.status();
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

impl From<DbErr> for ApiError {
    /// Constraint violations are the caller's doing and become 409/422 on both
    /// databases; anything else is ours and becomes a logged 500.
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("a record with these values already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::invalid("", "refers to a record that does not exist")
            }
            _ => Self::Internal(err.to_string()),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// For writes that a unique constraint guards (the loser of two concurrent
/// creates meets it): the conflict told in the record's own words rather than
/// the generic "already exists".
pub trait OrConflict<T> {
    fn or_conflict(self, detail: impl FnOnce() -> String) -> ApiResult<T>;
}

impl<T> OrConflict<T> for Result<T, DbErr> {
    fn or_conflict(self, detail: impl FnOnce() -> String) -> ApiResult<T> {
        self.map_err(|err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => ApiError::Conflict(detail()),
            _ => ApiError::from(err),
        })
    }
}
