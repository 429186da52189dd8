//! A form posted from a page: its fields, and who sent it, once its CSRF
//! token has been checked against the visitor it was shown to. A form
//! without the right token (none, another session's, a signed-out
//! browser's after signing in) is refused with a 403 page, and nothing it
//! asked for is done; but what was typed into it is kept on that page, to
//! send again once signed in (`super::unsent`).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use serde::de::DeserializeOwned;

use super::Visitor;
use super::unsent::{Unsent, UnsentPage};
use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;
use crate::web::error::PageError;

/// The name of every form's CSRF field.
pub const CSRF_FIELD: &str = "csrf_token";

pub struct CheckedForm<T> {
    pub visitor: Visitor,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let action = parts.uri.path_and_query().map(|p| p.as_str().to_string());
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError::from(ApiError::PayloadTooLarge))?;
        let presented = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == CSRF_FIELD)
            .map(|(_, value)| value.into_owned());
        if !visitor.sent_own_form(presented.as_deref()) {
            let unsent = action.and_then(|action| Unsent::from_body(&action, &bytes));
            return Err(match unsent {
                Some(unsent) => PageError::unsent(keep(&visitor, unsent)),
                None => PageError::form_not_checked(),
            });
        }
        // The pages' fields are text that may be empty (a checkbox's name
        // repeats, one per box ticked), so any body of fields reads; a
        // malformed one was never a page's.
        let form = serde_html_form::from_bytes(&bytes)
            .map_err(|err| PageError::from(ApiError::BadRequest(err.to_string())))?;
        Ok(Self { visitor, form })
    }
}

/// The page that keeps a form whose token was not the visitor's: to send
/// again now, or once signed in (with the cookie a signed-out browser's
/// token needs, the first time it is given one).
fn keep(visitor: &Visitor, unsent: Unsent) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    let page = visitor.page();
    let token = visitor.csrf_token().to_string();
    let shown = match visitor.caller {
        Some(_) => UnsentPage::send_again(page, token, unsent),
        None => {
            let form = super::sign_in_form(&crate::web::i18n::Text::default(), "");
            UnsentPage::sign_in_first(page, token, unsent, form)
        }
    };
    (StatusCode::FORBIDDEN, visitor.cookies(), shown).into_response()
}

/// A form with a file (`multipart/form-data`), once its CSRF token has been
/// checked. The pages put the token first, and it must come first: a
/// browser sends a form's fields in their order, so nothing else of a form
/// that is not the visitor's is read — its file least of all. The rest of
/// the form is left to the handler to stream, once the operation has said
/// the visitor may send it.
pub struct CheckedMultipart {
    pub visitor: Visitor,
    pub multipart: Multipart,
}

impl FromRequest<AppState> for CheckedMultipart {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|err| PageError::from(ApiError::BadRequest(err.body_text())))?;
        let presented = match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some(CSRF_FIELD) => field.text().await.ok(),
            _ => None,
        };
        if !visitor.sent_own_form(presented.as_deref()) {
            return Err(PageError::form_not_checked());
        }
        Ok(Self { visitor, multipart })
    }
}
