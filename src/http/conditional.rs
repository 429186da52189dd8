//! Conditional GET for what is published (RFC 9110 §13): a strong `ETag`
//! (a digest of the body) and `Last-Modified`, and `304 Not Modified` to a
//! reader that already has this version — by `If-None-Match`, or, when it
//! sent none, by `If-Modified-Since`.

use std::time::SystemTime;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use headers::{ETag, HeaderMapExt, IfModifiedSince, IfNoneMatch, LastModified};
use sha2::{Digest, Sha256};

/// A published document, answered in full or as 304.
pub struct Published {
    pub content_type: &'static str,
    pub body: String,
    pub modified: DateTime<Utc>,
}

impl Published {
    /// The answer to a request with these headers.
    pub fn answer(self, request: &HeaderMap) -> Response {
        let digest = Sha256::digest(self.body.as_bytes());
        let tag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        let etag: Option<ETag> = format!("\"{tag}\"").parse().ok();
        let modified: SystemTime = self.modified.into();
        let mut headers = HeaderMap::new();
        if let Some(etag) = &etag {
            headers.typed_insert(etag.clone());
        }
        headers.typed_insert(LastModified::from(modified));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        );
        if not_modified(request, etag.as_ref(), modified) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        (headers, self.body).into_response()
    }
}

fn not_modified(request: &HeaderMap, etag: Option<&ETag>, modified: SystemTime) -> bool {
    // A header that does not parse is as if it were not sent.
    if let Ok(Some(if_none_match)) = request.typed_try_get::<IfNoneMatch>() {
        return etag.is_some_and(|etag| !if_none_match.precondition_passes(etag));
    }
    if let Ok(Some(since)) = request.typed_try_get::<IfModifiedSince>() {
        return !since.is_modified(modified);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published() -> Published {
        Published {
            content_type: "application/atom+xml",
            body: "<feed/>".into(),
            modified: "2026-12-04T10:00:00Z".parse().expect("a time"),
        }
    }

    fn answer(headers: &[(&str, &str)]) -> Response {
        let mut request = HeaderMap::new();
        for (name, value) in headers {
            request.insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).expect("a name"),
                HeaderValue::from_str(value).expect("a value"),
            );
        }
        published().answer(&request)
    }

    #[test]
    fn a_reader_with_this_version_gets_304_and_anyone_else_the_document() {
        let first = answer(&[]);
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG]
            .to_str()
            .expect("text")
            .to_string();
        assert_eq!(
            answer(&[("if-none-match", &etag)]).status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            answer(&[("if-none-match", &format!("W/{etag}"))]).status(),
            StatusCode::NOT_MODIFIED,
            "If-None-Match compares weakly"
        );
        assert_eq!(
            answer(&[("if-none-match", "\"other\"")]).status(),
            StatusCode::OK
        );
        let since = "Fri, 04 Dec 2026 10:00:00 GMT";
        assert_eq!(
            answer(&[("if-modified-since", since)]).status(),
            StatusCode::NOT_MODIFIED
        );
        let before = "Fri, 04 Dec 2026 09:59:59 GMT";
        assert_eq!(
            answer(&[("if-modified-since", before)]).status(),
            StatusCode::OK
        );
        assert_eq!(
            answer(&[("if-none-match", "\"other\""), ("if-modified-since", since)]).status(),
            StatusCode::OK,
            "If-None-Match wins over If-Modified-Since"
        );
    }
}
