//! The one error type of every operation: what went wrong, in words a
//! person can act on. The faces render it — the JSON API as an RFC 9457
//! problem document (`http::problem`), the pages as an error summary.

use sea_orm::{DbErr, SqlErr};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

    /// What went wrong, for the person who asked.
    pub fn detail(&self) -> String {
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
