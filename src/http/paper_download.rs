//! A paper's file as every face sends it (the API, and the pages'
//! download links): always as an attachment, never for the browser to
//! render; its SHA-256 as a strong `ETag` (304 to `If-None-Match`); one
//! byte range at a time (`Range`, 206; 416 outside the file).

use std::ops::Bound;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt, IfNoneMatch, Range};

use crate::http::attachment::disposition;
use crate::kernel::error::{ApiError, ApiResult};
use crate::kernel::state::AppState;
use crate::papers::Download;

/// The one range asked for, as `(first, last)` byte offsets; `None` for the
/// whole file (no `Range`, or several ranges, which are answered whole).
fn wanted(headers: &HeaderMap, size: u64) -> ApiResult<Option<(u64, u64)>> {
    let Some(range) = headers.typed_get::<Range>() else {
        return Ok(None);
    };
    let ranges: Vec<_> = range.satisfiable_ranges(size).collect();
    if ranges.len() > 1 {
        return Ok(None);
    }
    let Some((start, end)) = ranges.first() else {
        return Err(ApiError::RangeNotSatisfiable(size));
    };
    let first = match start {
        Bound::Included(n) => *n,
        Bound::Excluded(n) => n + 1,
        Bound::Unbounded => 0,
    };
    let last = match end {
        Bound::Included(n) => (*n).min(size.saturating_sub(1)),
        Bound::Excluded(n) => n.saturating_sub(1).min(size.saturating_sub(1)),
        Bound::Unbounded => size.saturating_sub(1),
    };
    if size == 0 || first > last {
        return Err(ApiError::RangeNotSatisfiable(size));
    }
    Ok(Some((first, last)))
}

/// Sends a file as a download: 304 to a matching `If-None-Match`, one
/// `Range` (206, 416), or the whole.
pub fn send(state: &AppState, headers: &HeaderMap, file: Download) -> ApiResult<Response> {
    let etag_text = format!("\"{}\"", file.sha256);
    let etag: Option<ETag> = etag_text.parse().ok();
    if let (Some(tag), Some(if_none_match)) = (&etag, headers.typed_get::<IfNoneMatch>())
        && !if_none_match.precondition_passes(tag)
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(value) = HeaderValue::from_str(&etag_text) {
            response.headers_mut().insert(header::ETAG, value);
        }
        return Ok(response);
    }
    let size = file.size();
    let range = wanted(headers, size)?;
    let (status, first, last) = match range {
        Some((first, last)) => (StatusCode::PARTIAL_CONTENT, first, last),
        None => (StatusCode::OK, 0, size.saturating_sub(1)),
    };
    let media = HeaderValue::from_str(&file.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let attachment = disposition(&file.file_name);
    let body = Body::from_stream(file.bytes(state, first, last));
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, media);
    out.insert(header::CONTENT_DISPOSITION, attachment);
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(last + 1 - first));
    if let Ok(value) = HeaderValue::from_str(&etag_text) {
        out.insert(header::ETAG, value);
    }
    if range.is_some()
        && let Ok(value) = HeaderValue::from_str(&format!("bytes {first}-{last}/{size}"))
    {
        out.insert(header::CONTENT_RANGE, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_answered_and_one_outside_the_file_is_refused() {
        let ask = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::RANGE,
                HeaderValue::from_str(value).expect("a header"),
            );
            wanted(&headers, 1000)
        };
        assert_eq!(ask("bytes=0-99").ok().flatten(), Some((0, 99)));
        assert_eq!(ask("bytes=900-").ok().flatten(), Some((900, 999)));
        assert_eq!(ask("bytes=-100").ok().flatten(), Some((900, 999)));
        assert_eq!(ask("bytes=990-5000").ok().flatten(), Some((990, 999)));
        assert!(ask("bytes=1000-1001").is_err());
        assert_eq!(
            ask("bytes=0-1,5-6").ok().flatten(),
            None,
            "several: the whole file"
        );
    }
}
