//! The shapes of successful write answers, written once: a record with its
//! version as a strong `ETag`, and `201 Created` with a `Location`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::http::extract::Json;
use crate::http::if_match::etag;

/// `200 OK` with the record and its version as the `ETag`.
pub struct Tagged<T> {
    pub version: i32,
    pub body: T,
}

impl<T> Tagged<T> {
    pub fn new(version: i32, body: T) -> Self {
        Self { version, body }
    }
}

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, etag(self.version));
        (headers, Json(self.body)).into_response()
    }
}

/// `201 Created` with the new record, its URL in `Location` and, for
/// versioned records, its first `ETag`.
pub struct Created<T> {
    location: String,
    version: Option<i32>,
    body: T,
}

impl<T> Created<T> {
    /// `location` is the path of the new record, e.g. `/api/v1/actions/{id}`.
    pub fn at(location: impl Into<String>, body: T) -> Self {
        Self {
            location: location.into(),
            version: None,
            body,
        }
    }

    pub fn tagged(mut self, version: i32) -> Self {
        self.version = Some(version);
        self
    }
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        let mut headers = HeaderMap::new();
        // Paths are built from ids and fixed segments, so they are always
        // valid header text; anything else would be a bug, answered 500.
        match HeaderValue::from_str(&self.location) {
            Ok(location) => {
                headers.insert(header::LOCATION, location);
            }
            Err(err) => return crate::kernel::error::ApiError::internal(err).into_response(),
        }
        if let Some(version) = self.version {
            headers.insert(header::ETAG, etag(version));
        }
        (StatusCode::CREATED, headers, Json(self.body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::links::api_path;

    #[test]
    fn created_names_the_new_record_and_its_first_version() {
        let response = Created::at(api_path("actions/1"), serde_json::json!({"id": 1}))
            .tagged(1)
            .into_response();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(
            response.headers()[header::LOCATION],
            api_path("actions/1").as_str()
        );
        assert_eq!(response.headers()[header::ETAG], "\"1\"");
    }

    #[test]
    fn tagged_carries_the_version_as_a_strong_etag() {
        let response = Tagged::new(4, serde_json::json!({})).into_response();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::ETAG], "\"4\"");
    }
}
