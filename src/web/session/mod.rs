//! Who is at the browser, and keeping their forms their own: the session
//! cookie (the same session rows as the API's tokens), the CSRF token
//! every form carries, and the `Origin` check on every unsafe request.

mod cookies;
mod form;
mod local_path;
mod origin;
mod unsent;
mod visitor;

pub use cookies::{SESSION_COOKIE, SetCookies, ended_session_cookie, session_cookie};
pub use form::{CheckedForm, CheckedMultipart};
pub use local_path::{back_saying, local_path};
pub use origin::same_origin_only;
pub use unsent::{Unsent, UnsentPage, sign_in_form};
pub use visitor::Visitor;
