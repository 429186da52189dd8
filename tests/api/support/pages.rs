//! A browser as the page tests need one, without a real browser: it keeps
//! the cookies the pages set, sends what a browser sends (`Host`, and
//! `Origin` on a form), and reads forms' CSRF tokens out of the pages.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Method, Request, header};

use super::{TestApp, TestResponse};

/// Where the tests' pages are served from.
pub const HOST: &str = "127.0.0.1:8080";
pub const ORIGIN: &str = "http://127.0.0.1:8080";

pub struct PageClient<'a> {
    app: &'a TestApp,
    pub host: String,
    pub origin: String,
    pub cookies: HashMap<String, String>,
}

/// The value of a form's CSRF field in a page.
pub fn csrf_token(html: &str) -> String {
    html.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no CSRF token in {html}"))
        .to_string()
}

/// The value of the first hidden field of this name in a page, as the
/// browser reads it (the page's escapes undone).
pub fn hidden_field(html: &str, name: &str) -> String {
    let escaped = html
        .split(&format!("type=\"hidden\" name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no hidden field {name} in {html}"));
    escaped
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

pub fn text(response: &TestResponse) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

impl<'a> PageClient<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self::at(app, HOST, ORIGIN)
    }

    /// A browser that reaches Convene by another name (a public host).
    pub fn at(app: &'a TestApp, host: &str, origin: &str) -> Self {
        Self {
            app,
            host: host.to_string(),
            origin: origin.to_string(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Keeps what the response's `Set-Cookie` headers say, as a browser
    /// would (an empty value with `Max-Age=0` forgets the cookie).
    fn keep_cookies(&mut self, response: &TestResponse) {
        for set in response.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().expect("a cookie is text");
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() || attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("a request");
        let response = self.app.send(request).await;
        self.keep_cookies(&response);
        response
    }

    /// Posts `fields` as a form, with whatever headers are given (the
    /// browser's `Origin` unless they name one).
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, self.cookie_header());
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("origin"))
        {
            builder = builder.header(header::ORIGIN, &self.origin);
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = self
            .app
            .send(builder.body(Body::from(body)).expect("a request"))
            .await;
        self.keep_cookies(&response);
        response
    }

    /// Fills in the form of the page at `page` and sends it to `action`, as
    /// a person would: its CSRF token is the one that page gave.
    pub async fn submit(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let shown = self.get(page).await;
        let token = csrf_token(&text(&shown));
        let mut with_token = vec![("csrf_token", token.as_str())];
        with_token.extend_from_slice(fields);
        self.post_raw(action, &with_token, &[]).await
    }

    /// Fills in the upload form of the page at `page` (its token first,
    /// as the page puts it) and sends it, with its file, to `action` as
    /// `multipart/form-data`.
    pub async fn upload(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> TestResponse {
        let shown = self.get(page).await;
        let token = csrf_token(&text(&shown));
        let mut with_token = vec![("csrf_token", token.as_str())];
        with_token.extend_from_slice(fields);
        let body = crate::papers::form(&with_token, file);
        let request = Request::builder()
            .method(Method::POST)
            .uri(action)
            .header(header::HOST, &self.host)
            .header(header::ACCEPT, "text/html")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={}", crate::papers::BOUNDARY),
            )
            .header(header::ORIGIN, &self.origin)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::from(body))
            .expect("a request");
        let response = self.app.send(request).await;
        self.keep_cookies(&response);
        response
    }

    /// Signs in with the sign-in page.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> TestResponse {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }
}
