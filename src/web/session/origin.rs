//! Every unsafe request to a page must come from Convene's own pages: its
//! `Origin` (or, from a browser that sends none, its `Referer`) must be
//! this server's. A form posted from another site is refused with the 403
//! page before anything reads it, whatever cookies came with it.

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::kernel::state::AppState;
use crate::web::error::ForbiddenPage;

pub async fn same_origin_only(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    if comes_from_here(&state, &parts) {
        next.run(Request::from_parts(parts, body)).await
    } else {
        tracing::info!(
            origin = ?parts.headers.get(header::ORIGIN),
            referer = ?parts.headers.get(header::REFERER),
            "a form from elsewhere was refused"
        );
        (StatusCode::FORBIDDEN, ForbiddenPage::form_from_elsewhere()).into_response()
    }
}

fn comes_from_here(state: &AppState, parts: &Parts) -> bool {
    let Some(origin) = origin_of_request(&parts.headers) else {
        return false;
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let ours = |candidate: &str| origin.eq_ignore_ascii_case(candidate);
    host.is_some_and(|host| ours(&format!("http://{host}")) || ours(&format!("https://{host}")))
        || state
            .public_url
            .as_deref()
            .and_then(origin_of)
            .is_some_and(|public| ours(&public))
}

/// The origin a request says it comes from: its `Origin`, or its
/// `Referer`'s scheme, host and port.
fn origin_of_request(headers: &HeaderMap) -> Option<String> {
    let header_text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match header_text(header::ORIGIN) {
        Some(origin) if origin != "null" => Some(origin.to_string()),
        _ => header_text(header::REFERER).and_then(origin_of),
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    match parsed.origin() {
        origin @ url::Origin::Tuple(..) => Some(origin.ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referer_gives_its_origin_without_path_or_query() {
        assert_eq!(
            origin_of("https://convene.example.org/sign-in?next=/account").as_deref(),
            Some("https://convene.example.org")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("not a url"), None);
    }
}
