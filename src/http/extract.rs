//! Request extractors whose every rejection is an [`ApiError`], so that no
//! plain-text error of axum's can reach a client.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::kernel::error::{ApiError, FieldError};

/// JSON body: `application/json` (or `+json`) only, at most 1 MiB, an
/// object (every request body of the API is one), unknown fields rejected
/// by the target type's `deny_unknown_fields`.
/// Syntax errors are 400; well-formed JSON of the wrong shape is 422 with
/// the path of the offending field.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::UnsupportedMediaType(
                "the request body must be application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        parse_json(&bytes).map(Json)
    }
}

fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from an array as readily as from an object (its
    // fields by position), so `[]` would pass for a body of defaults.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
            .map_err(|err| ApiError::BadRequest(format!("the body is not valid JSON: {err}")))?;
        return Err(ApiError::Validation(vec![FieldError::new(
            "",
            "the body must be a JSON object",
        )]));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize(&mut deserializer);
    let value = match parsed {
        Ok(value) => value,
        // `419.0` is the integer 419 to JSON Schema (and to JavaScript);
        // serde takes it for a float. Read such a body again with its
        // whole floats written as integers.
        Err(err)
            if err
                .inner()
                .to_string()
                .contains("invalid type: floating point") =>
        {
            let mut tree: serde_json::Value = serde_json::from_slice(bytes).map_err(|err| {
                ApiError::BadRequest(format!("the body is not valid JSON: {err}"))
            })?;
            whole_floats_as_integers(&mut tree);
            return serde_path_to_error::deserialize(tree).map_err(|err| {
                let path = err.path().to_string();
                ApiError::Validation(vec![field_error(&path, &err.into_inner().to_string())])
            });
        }
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            return Err(if inner.is_data() {
                ApiError::Validation(vec![field_error(&path, &inner.to_string())])
            } else {
                ApiError::BadRequest(format!("the body is not valid JSON: {inner}"))
            });
        }
    };
    deserializer
        .end()
        .map_err(|err| ApiError::BadRequest(format!("the body is not valid JSON: {err}")))?;
    Ok(value)
}

/// Writes every float without a fraction (`419.0`, `1e3`) as the integer it is.
fn whole_floats_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_floats_as_integers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_floats_as_integers),
        _ => {}
    }
}

/// serde names unknown and missing fields only in its message; lift the name
/// into the field path so clients can point at it.
fn field_error(path: &str, message: &str) -> FieldError {
    let message = message
        .rsplit_once(" at line ")
        .map_or(message, |(head, _)| head);
    let path = if path == "." { "" } else { path };
    for prefix in ["unknown field `", "missing field `"] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((name, _)) = rest.split_once('`')
        {
            // serde_path_to_error already ends the path with an unknown
            // field's name, but stops at the parent of a missing one.
            let field = if path.is_empty() {
                name.to_string()
            } else if path == name || path.ends_with(&format!(".{name}")) {
                path.to_string()
            } else {
                format!("{path}.{name}")
            };
            let message = if prefix.starts_with("unknown") {
                "is not a known field".to_string()
            } else {
                "is required".to_string()
            };
            return FieldError::new(field, message);
        }
    }
    if let Some(expected) = temporal_message(path, message) {
        return FieldError::new(path, expected);
    }
    FieldError::new(path, message)
}

/// What a date or time field holds, told by the API's naming rule (a test
/// holds every such field of the spec to it): `…_local` is a time on
/// London's clock, `…_at`, `from` and `to` are instants, `…_on`, `…_before`
/// and `…_deadline` are calendar dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporal {
    Date,
    DateTime,
    LondonTime,
}

impl Temporal {
    pub fn of_field(field: &str) -> Option<Self> {
        // `entries[2].starts_at` → `starts_at`
        let name = field.rsplit('.').next().unwrap_or(field);
        let name = name.split('[').next().unwrap_or(name);
        if name.ends_with("_local") {
            Some(Self::LondonTime)
        } else if name.ends_with("_at") || name == "from" || name == "to" {
            Some(Self::DateTime)
        } else if name.ends_with("_on") || name.ends_with("_before") || name.ends_with("deadline") {
            Some(Self::Date)
        } else {
            None
        }
    }

    fn expected(self) -> &'static str {
        match self {
            Self::Date => "must be a date such as 2027-01-10 (YYYY-MM-DD)",
            Self::DateTime => {
                "must be a date-time such as 2027-01-10T09:00:00Z (RFC 3339, with Z or an offset)"
            }
            Self::LondonTime => {
                "must be a time on London's clock such as 2027-01-10T09:00:00 (no offset)"
            }
        }
    }
}

/// chrono's words for a string it could not read as a date or time ("premature
/// end of input"), and serde's for a value of the wrong type, replaced by
/// what the field expects.
fn temporal_message(path: &str, message: &str) -> Option<&'static str> {
    const CHRONO: [&str; 7] = [
        "input is out of range",
        "no possible date and time matching input",
        "input is not enough for unique date and time",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "bad or unsupported format string",
    ];
    const EXPECTING: [&str; 3] = [
        "expected an RFC 3339 formatted date and time string",
        "expected a formatted date string",
        "expected a formatted date and time string",
    ];
    let chrono_says = CHRONO.contains(&message) || EXPECTING.iter().any(|e| message.ends_with(e));
    if !chrono_says {
        return None;
    }
    Some(match Temporal::of_field(path) {
        Some(kind) => kind.expected(),
        None => "must be a date such as 2027-01-10 or a date-time such as 2027-01-10T09:00:00Z",
    })
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// Path parameters. A parameter that does not parse (a malformed id) names no
/// record, so it is a 404 like any other unknown id.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| ApiError::NotFound("no resource exists at this path".into()))
    }
}

/// Query string. Wrong types and unknown parameters are 422 with the name of
/// the parameter.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|err| {
                let path = err.path().to_string();
                ApiError::Validation(vec![field_error(&path, &err.into_inner().to_string())])
            })
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    struct Item {
        minutes: i32,
        weights: Vec<u8>,
    }

    #[test]
    fn a_whole_float_is_the_integer_it_is() {
        let item: Item = parse_json(br#"{"minutes": 419.0, "weights": [1e1, 2]}"#).expect("read");
        assert_eq!(item.minutes, 419);
        assert_eq!(item.weights, [10, 2]);
    }

    #[test]
    fn a_fraction_is_still_refused_under_its_field() {
        let refused = parse_json::<Item>(br#"{"minutes": 1.5, "weights": []}"#);
        match refused {
            Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, "minutes"),
            other => panic!("expected a 422, got {other:?}"),
        }
        assert!(matches!(
            parse_json::<Item>(br#"{"minutes": 1.0, "weights": []} x"#),
            Err(ApiError::BadRequest(_))
        ));
    }
}
