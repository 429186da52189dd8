//! An operation's refusal as a page: a 404 page for what is not there (or
//! not the reader's to see), and the design system's "sorry" page for the
//! rest, never a stack trace. The API renders the same `ApiError` as a
//! problem document.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::kernel::error::ApiError;
use crate::web::page::Page;

/// What a page handler returns.
pub type PageResult<T> = Result<T, PageError>;

#[derive(Debug)]
pub enum PageError {
    /// An operation's refusal.
    Operation(ApiError),
    /// A form whose CSRF token is not the visitor's.
    FormNotChecked,
    /// A form whose token is not the visitor's, answered with the page that
    /// keeps what was typed into it (`crate::web::session::UnsentPage`).
    Unsent(Box<Response>),
    /// A page only for the signed in, asked for by someone who is not: they
    /// are sent to sign in, and brought back to this address.
    SignInFirst { back_to: String },
}

impl PageError {
    pub fn form_not_checked() -> Self {
        Self::FormNotChecked
    }

    pub fn unsent(page: Response) -> Self {
        Self::Unsent(Box::new(page))
    }

    pub fn sign_in_first(back_to: impl Into<String>) -> Self {
        Self::SignInFirst {
            back_to: back_to.into(),
        }
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        Self::Operation(error)
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Operation(error.into())
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

/// The 403 page: what was refused, in the reader's words.
#[derive(Template, WebTemplate)]
#[template(path = "forbidden.html")]
pub struct ForbiddenPage {
    page: Page,
    /// The message id of why.
    why: &'static str,
}

impl ForbiddenPage {
    /// A form posted from another site.
    pub fn form_from_elsewhere() -> Self {
        Self {
            page: Page::default(),
            why: "forbidden-elsewhere",
        }
    }

    /// A form whose token is not this visitor's (shown before signing in
    /// or out, or in another session).
    fn form_not_checked() -> Self {
        Self {
            page: Page::default(),
            why: "forbidden-form",
        }
    }

    fn not_allowed() -> Self {
        Self {
            page: Page::default(),
            why: "forbidden-not-allowed",
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = Page::default();
        let error = match self {
            Self::FormNotChecked => {
                return (StatusCode::FORBIDDEN, ForbiddenPage::form_not_checked()).into_response();
            }
            Self::Unsent(page) => return *page,
            Self::SignInFirst { back_to } => {
                // A query may hold `/` as it is: the address stays readable.
                let back_to = form_urlencoded::byte_serialize(back_to.as_bytes())
                    .collect::<String>()
                    .replace("%2F", "/");
                return Redirect::to(&format!("/sign-in?next={back_to}")).into_response();
            }
            Self::Operation(error) => error,
        };
        match error {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, NotFoundPage { page }).into_response(),
            ApiError::Forbidden(_) => {
                (StatusCode::FORBIDDEN, ForbiddenPage::not_allowed()).into_response()
            }
            other => {
                // Logged as the API logs it; the page says only sorry.
                let status = other.into_response().status();
                (status, ProblemPage { page }).into_response()
            }
        }
    }
}
