//! An operation's refusal as a page: a 404 page for what is not there (or
//! not the reader's to see), and the design system's "sorry" page for the
//! rest, never a stack trace. The API renders the same `ApiError` as a
//! problem document.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::kernel::error::ApiError;
use crate::web::page::Page;

/// What a page handler returns.
pub type PageResult<T> = Result<T, PageError>;

#[derive(Debug)]
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self(error)
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self(error.into())
    }
}

/// An id from a page's address: one that is not an id names nothing, so the
/// reader gets the page for a wrong address (not the API's 400).
pub fn id_in_path(text: &str) -> Result<uuid::Uuid, PageError> {
    text.parse()
        .map_err(|_| ApiError::NotFound(format!("`{text}` is not an id")).into())
}

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub page: Page,
}

#[derive(Template, WebTemplate)]
#[template(path = "problem.html")]
pub struct ProblemPage {
    page: Page,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = Page::default();
        match self.0 {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, NotFoundPage { page }).into_response(),
            other => {
                // Logged as the API logs it; the page says only sorry.
                let status = other.into_response().status();
                (status, ProblemPage { page }).into_response()
            }
        }
    }
}
