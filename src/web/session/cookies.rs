//! The cookies the pages set: the session's, and a signed-out browser's
//! own random value that its forms' CSRF tokens are bound to. Both are
//! `HttpOnly` (no script reads them) and `SameSite=Lax` (no other site's
//! form sends them), and `Secure` except where Convene is served over
//! plain HTTP on the machine itself.

use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponseParts, ResponseParts};
use chrono::{DateTime, Utc};
use cookie::time::Duration;
use cookie::{Cookie, SameSite};

use crate::kernel::state::AppState;

pub const SESSION_COOKIE: &str = "convene_session";
pub const BROWSER_COOKIE: &str = "convene_browser";

/// Whether cookies must be `Secure`: always, but for `http://localhost` and
/// `http://127.0.0.1` (the public URL's host, or else the request's), where
/// a browser would not send a secure cookie back.
pub fn must_be_secure(state: &AppState, parts: &Parts) -> bool {
    match &state.public_url {
        Some(url) => !is_local_http(url),
        None => {
            let host = parts
                .headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default();
            !is_local_host(host)
        }
    }
}

fn is_local_http(url: &str) -> bool {
    url.strip_prefix("http://")
        .map(|rest| rest.split('/').next().unwrap_or_default())
        .is_some_and(is_local_host)
}

fn is_local_host(host_and_port: &str) -> bool {
    let host = match host_and_port.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => host_and_port,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

fn build(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// The session's cookie, kept by the browser until the session expires.
pub fn session_cookie(
    value: String,
    expires_at: DateTime<Utc>,
    secure: bool,
    now: DateTime<Utc>,
) -> Cookie<'static> {
    let mut cookie = build(SESSION_COOKIE, value, secure);
    let seconds = (expires_at - now).num_seconds().max(0);
    cookie.set_max_age(Duration::seconds(seconds));
    cookie
}

/// What tells the browser to forget the session's cookie.
pub fn ended_session_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = build(SESSION_COOKIE, String::new(), secure);
    cookie.set_max_age(Duration::ZERO);
    cookie
}

/// A signed-out browser's own value, for as long as the browser runs.
pub fn browser_cookie(value: String, secure: bool) -> Cookie<'static> {
    build(BROWSER_COOKIE, value, secure)
}

/// Cookies for the browser to keep (or forget), as `Set-Cookie` headers.
#[derive(Default)]
pub struct SetCookies(pub Vec<Cookie<'static>>);

impl IntoResponseParts for SetCookies {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        for cookie in self.0 {
            // A cookie's own formatting is always a valid header value; one
            // that were not would be left out rather than fail the page.
            if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
                res.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        Ok(res)
    }
}

/// The value of the cookie of this name the request carries, if any.
pub fn read(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .flatten()
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_on_this_machine_goes_without_secure() {
        for local in [
            "http://localhost:8080",
            "http://127.0.0.1",
            "http://[::1]:80/x",
        ] {
            assert!(is_local_http(local), "{local}");
        }
        for remote in [
            "https://localhost:8080",
            "http://convene.example.org",
            "http://localhost.example.org",
            "https://convene.example.org",
        ] {
            assert!(!is_local_http(remote), "{remote}");
        }
    }
}
