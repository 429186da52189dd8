//! The person at the browser: signed in, when their cookie names a live
//! session, or not. Either way their forms carry a CSRF token bound to
//! them: to the session, or to the signed-out browser's own random value.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::cookies::{self, BROWSER_COOKIE, SESSION_COOKIE, SetCookies};
use crate::auth;
use crate::kernel::access::AuthUser;
use crate::kernel::credentials::tokens::new_refresh_token;
use crate::kernel::state::AppState;
use crate::web::error::PageError;
use crate::web::page::{Page, SignedIn};

pub struct Visitor {
    /// Who is signed in, if anyone.
    pub caller: Option<AuthUser>,
    /// Whether the cookies set for this browser must be `Secure`.
    pub secure: bool,
    /// A signed-out browser's own value: the one its cookie carries, or a
    /// new one for a browser that has none yet.
    browser: Option<String>,
    /// Whether `browser` is new, and so must be set by a page with a form.
    browser_is_new: bool,
    csrf_token: String,
    state: AppState,
}

/// The shape of the values Convene gives out (256 bits, base64url): a
/// cookie of any other shape is not Convene's.
fn looks_like_ours(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What a visitor's CSRF tokens are bound to: their session, or else
/// their browser's own value.
fn binding(caller: &Option<AuthUser>, browser: &Option<String>) -> String {
    match (caller, browser) {
        (Some(caller), _) => format!("session:{}", caller.session_id),
        (None, browser) => format!("browser:{}", browser.as_deref().unwrap_or_default()),
    }
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let caller = match cookies::read(parts, SESSION_COOKIE).filter(|v| looks_like_ours(v)) {
            Some(cookie) => auth::browser_caller(state, &cookie).await?,
            None => None,
        };
        let (browser, browser_is_new) = match (&caller, cookies::read(parts, BROWSER_COOKIE)) {
            (Some(_), _) => (None, false),
            (None, Some(value)) if looks_like_ours(&value) => (Some(value), false),
            (None, _) => (Some(new_refresh_token()), true),
        };
        Ok(Self {
            csrf_token: state.tokens.csrf_token(&binding(&caller, &browser)),
            secure: cookies::must_be_secure(state, parts),
            caller,
            browser,
            browser_is_new,
            state: state.clone(),
        })
    }
}

impl Visitor {
    /// The person signed in, or else the page's error that sends them to
    /// sign in and brings them back to `back_to`.
    pub fn signed_in(&self, back_to: &str) -> Result<&AuthUser, PageError> {
        self.caller
            .as_ref()
            .ok_or_else(|| PageError::sign_in_first(back_to))
    }

    /// The token the forms of a session just started carry: the page that
    /// signs someone in may already show one.
    pub fn token_for_session(&self, session_id: impl std::fmt::Display) -> String {
        self.state
            .tokens
            .csrf_token(&format!("session:{session_id}"))
    }

    /// The token this visitor's forms carry.
    pub fn csrf_token(&self) -> &str {
        &self.csrf_token
    }

    /// Whether a form came with this visitor's token. A browser that sent
    /// no value of its own was never shown a form, so nothing it sends is.
    pub fn sent_own_form(&self, presented: Option<&str>) -> bool {
        !self.browser_is_new
            && presented.is_some_and(|presented| {
                let binding = binding(&self.caller, &self.browser);
                self.state.tokens.csrf_token_is_valid(&binding, presented)
            })
    }

    /// What a page with a form must set: the signed-out browser's value, the
    /// first time it is shown one.
    pub fn cookies(&self) -> SetCookies {
        match (&self.browser, self.browser_is_new) {
            (Some(value), true) => {
                SetCookies(vec![cookies::browser_cookie(value.clone(), self.secure)])
            }
            _ => SetCookies::default(),
        }
    }

    /// The frame of a page for this visitor: their name and a way to sign
    /// out in the header, when they are signed in.
    pub fn page(&self) -> Page {
        Page {
            signed_in: self.caller.as_ref().map(|caller| SignedIn {
                display_name: caller.user.display_name.clone(),
                csrf_token: self.csrf_token.clone(),
            }),
            ..Page::default()
        }
    }
}

/// A page that shows no form needs only its frame.
impl FromRequestParts<AppState> for Page {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        Ok(Visitor::from_request_parts(parts, state).await?.page())
    }
}
