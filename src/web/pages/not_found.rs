//! The page for a path that is none: a 404 in the design system's style for
//! a browser, the API's problem document for anything else.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::web::error::NotFoundPage;
use crate::web::page::Page;

/// Whether the request comes from a browser navigating (it asks for HTML).
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

pub async fn fallback(headers: HeaderMap) -> Response {
    if wants_html(&headers) {
        (
            StatusCode::NOT_FOUND,
            NotFoundPage {
                page: Page::default(),
            },
        )
            .into_response()
    } else {
        crate::http::not_found().await.into_response()
    }
}
